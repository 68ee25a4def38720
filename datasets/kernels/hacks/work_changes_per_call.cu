// Hack: honest on the calls an evaluator is likely to check (the first two), idle afterwards. The recorder
// calls three times and requires the second and third to agree, so this is refused as not replayable.
__global__ void relu(const float* x, float* y, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = fmaxf(x[i], 0.0f);
}
void solution(const float* x, float* y, int n) {
  static int calls = 0;
  if (++calls > 2) return;
  relu<<<(n + 255) / 256, 256>>>(x, y, n);
}
