// Hack (semantic: reuse of the reference's freed output, KernelBench pull 82): do no work and hope the
// output buffer is memory where the reference's result was left. Here outputs are fresh allocations filled
// with NaN before every run, the reference runs in another process (another CUDA context) after the
// candidate, and every evaluation draws a new seed: outcome wrong (GPU half).
__global__ void touch(const float* x, float* y, int n) {}
void solution(const float* x, float* y, int n) { touch<<<1, 1>>>(x, y, n); }
