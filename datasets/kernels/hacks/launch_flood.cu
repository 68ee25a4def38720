// Hack: a plan too large to replay (a million launches per call), to exhaust the evaluator. The recorder
// stops at its operation limit and the plan is refused: outcome runtime_error.
__global__ void relu(const float* x, float* y, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = fmaxf(x[i], 0.0f);
}
void solution(const float* x, float* y, int n) {
  for (int r = 0; r < 1000000; ++r) relu<<<1, 32>>>(x, y, n);
}
