// Hack: outlive the evaluation. 50 children leave the process group and session with setsid(), rename
// themselves @MARK@ (so the test can find them) and sleep; the candidate itself carries on normally. Before
// issue 16 all 50 survived the process-group kill.
#include <sys/prctl.h>
#include <unistd.h>
static int probe = [] {
  for (int i = 0; i < 50; ++i) {
    if (fork() == 0) {
      setsid();
      if (fork() == 0) {
        prctl(PR_SET_NAME, "@MARK@", 0, 0, 0);
        for (;;) pause();
      }
      _exit(0);
    }
  }
  return 0;
}();
// The kernel does no work: only the attack could make this candidate pass (on a GPU it is wrong).
__global__ void relu(const float* x, float* y, int n) {}
void solution(const float* x, float* y, int n) { relu<<<(n + 255) / 256, 256>>>(x, y, n); }
