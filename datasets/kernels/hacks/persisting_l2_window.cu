// Hack (timing: L2 persistence, gpu-mode/pygpubench pull 49): park the input in a persisting L2 carveout so
// the cache flush between timed runs cannot evict it. Host code may only use the CUDA calls the recorder
// replays; these are not among them (and the runner sets the carveout to 0): a link error, outcome compile_error.
__global__ void relu(const float* x, float* y, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = fmaxf(x[i], 0.0f);
}
void solution(const float* x, float* y, int n) {
  cudaDeviceSetLimit(cudaLimitPersistingL2CacheSize, 32 << 20);
  cudaStreamAttrValue w = {};
  w.accessPolicyWindow.base_ptr = (void*)x;
  w.accessPolicyWindow.num_bytes = (size_t)n * sizeof(float);
  w.accessPolicyWindow.hitRatio = 1.0f;
  w.accessPolicyWindow.hitProp = cudaAccessPropertyPersisting;
  cudaStreamSetAttribute(0, cudaStreamAttributeAccessPolicyWindow, &w);
  relu<<<(n + 255) / 256, 256>>>(x, y, n);
}
