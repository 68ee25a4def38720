// Hack: compute on the host. Copy the input back, apply ReLU on the CPU, copy the result up: the GPU work a
// timer would see is two copies. Reading device memory on the host cannot be replayed without running host
// code next to the verdict, so the recorder refuses it.
#include <cstdlib>
__global__ void noop() {}
void solution(const float* x, float* y, int n) {
  float* h = (float*)malloc((size_t)n * sizeof(float));
  cudaMemcpy(h, x, (size_t)n * sizeof(float), cudaMemcpyDeviceToHost);
  for (int i = 0; i < n; ++i) h[i] = h[i] > 0 ? h[i] : 0;
  cudaMemcpy(y, h, (size_t)n * sizeof(float), cudaMemcpyHostToDevice);
  noop<<<1, 1>>>();
  free(h);
}
