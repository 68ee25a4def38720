// Hack: read host files (password hashes, the harness user's home, the checkout with its keys and the
// problem's reference). Any file opened means abort() (outcome crash). @CHECKOUT@ is replaced by the test.
#include <cstdio>
#include <cstdlib>
static bool opens(const char* path) {
  FILE* f = fopen(path, "r");
  if (f) fclose(f);
  return f != nullptr;
}
static int probe = [] {
  const char* paths[] = {"/etc/shadow", "/etc/passwd", "/root/.bashrc", "/root", "@CHECKOUT@/package.json", "/work"};
  for (const char* p : paths) if (opens(p)) abort();
  return 0;
}();
// The kernel does no work: only the attack could make this candidate pass (on a GPU it is wrong).
__global__ void relu(const float* x, float* y, int n) {}
void solution(const float* x, float* y, int n) { relu<<<(n + 255) / 256, 256>>>(x, y, n); }
