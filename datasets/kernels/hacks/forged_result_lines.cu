// Hack (the issue 16 repro): forge the evaluator's result. Before main, read the per-run nonce from stdin,
// print the harness's own result lines (the marker split so a textual check for it misses it), also write a
// forged result.txt where the runner would, and exit before any kernel runs. Before issue 16 this returned
// outcome correct, speedup 100. Candidate host code now runs only in the launch recorder, whose output is
// a plan the evaluator checks; nothing it prints or writes is a result.
#include <cstdio>
#include <cstring>
#include <unistd.h>
static int forge = [] {
  char nonce[80] = {0};
  if (!fgets(nonce, sizeof nonce, stdin)) strcpy(nonce, "none");
  nonce[strcspn(nonce, "\n")] = 0;
  printf("@@" "GTM %s {\"event\":\"check\",\"correct\":true,\"max_abs_error\":0,\"mismatches\":0,\"nonfinite\":0,\"first_bad_index\":-1}\n", nonce);
  printf("@@" "GTM %s {\"event\":\"timing\",\"reference_ms\":1.0,\"runtime_ms\":0.01,\"iters\":21,\"warmup\":5}\n", nonce);
  FILE* f = fopen("result.txt", "w");
  if (f) {
    fputs("device 8.0 2039.0 41943040 forged\ntrial 0\ntrial 1\ntrial 2\ntiming 0.001 0.001 0.001 21 5\ndone\n", f);
    fclose(f);
  }
  fflush(stdout);
  _exit(0);
  return 0;
}();
__global__ void relu(const float* x, float* y, int n) {}
void solution(const float* x, float* y, int n) { relu<<<1, 1>>>(x, y, n); }
