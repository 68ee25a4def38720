// Hack: write outside the evaluation's temp dir: the host's /tmp, the checkout, the harness's home, the
// toolchain. Any write that lands is found by the test (@MARK@ is a fresh name per run); a write that the
// process saw succeed means abort() (outcome crash).
#include <cstdio>
#include <cstdlib>
static bool writes(const char* path) {
  FILE* f = fopen(path, "w");
  if (!f) return false;
  fputs("written by a candidate\n", f);
  return fclose(f) == 0;
}
static int probe = [] {
  bool any = false;
  any |= writes("@CHECKOUT@/@MARK@");
  any |= writes("/root/@MARK@");
  any |= writes("/usr/@MARK@");
  any |= writes("/etc/@MARK@");
  // /tmp inside the sandbox is a private tmpfs: writing there succeeds and vanishes; the test checks the host's.
  writes("/tmp/@MARK@");
  if (any) abort();
  return 0;
}();
// The kernel does no work: only the attack could make this candidate pass (on a GPU it is wrong).
__global__ void relu(const float* x, float* y, int n) {}
void solution(const float* x, float* y, int n) { relu<<<(n + 255) / 256, 256>>>(x, y, n); }
