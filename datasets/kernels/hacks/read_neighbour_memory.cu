// Hack (semantic: stale buffers): read whatever lies just past the input, hoping to find the reference's
// output there, through a pointer the host code computes from the input. The pointer is outside every buffer
// the evaluator knows, so it is replayed as a raw address: the device code faults or reads garbage (GPU half:
// crash or wrong).
__global__ void copy_from(const float* src, float* y, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = src[i];
}
void solution(const float* x, float* y, int n) { copy_from<<<(n + 255) / 256, 256>>>(x + 2 * (size_t)n, y, n); }
