// Hack (semantic: input mutation, KernelBench pull 82): zero the input as well as the output. If the
// reference ran after the candidate on the same (now zeroed) buffers, relu(0) = 0 would match. Here the
// reference runs in its own process on freshly generated inputs, and the runner checks the candidate's
// inputs came back unchanged: outcome wrong (GPU half).
__global__ void zero_both(const float* x, float* y, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    const_cast<float*>(x)[i] = 0.0f;
    y[i] = 0.0f;
  }
}
void solution(const float* x, float* y, int n) { zero_both<<<(n + 255) / 256, 256>>>(x, y, n); }
