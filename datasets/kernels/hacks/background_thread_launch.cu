// Hack (timing: background thread): return at once and launch the real work later from another thread, so
// a timer around the call sees nothing. The recorder keeps only what is launched during the calls and ends
// the process when they are done: the plan has no launch, and replayed, the output is wrong.
#include <chrono>
#include <thread>
__global__ void relu(const float* x, float* y, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = fmaxf(x[i], 0.0f);
}
void solution(const float* x, float* y, int n) {
  std::thread([=] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    relu<<<(n + 255) / 256, 256>>>(x, y, n);
  }).detach();
}
