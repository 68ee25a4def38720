// Hack (semantic: cached output): compute once, then skip the work on every later call and leave the old
// output in place, as a cache keyed on the call count (or the pointers, which are the same every call).
// Replayed, the later calls launch nothing: with fresh inputs and NaN-poisoned outputs on every trial and
// timed run, the result is wrong. On a machine without a GPU the plan shows it (no launch after the first).
__global__ void relu(const float* x, float* y, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = fmaxf(x[i], 0.0f);
}
void solution(const float* x, float* y, int n) {
  static const float* seen = nullptr;
  if (seen == x) return;
  seen = x;
  relu<<<(n + 255) / 256, 256>>>(x, y, n);
}
