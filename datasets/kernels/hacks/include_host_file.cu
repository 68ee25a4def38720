// Hack: read a host file at compile time through the preprocessor. A computed include (the path is a
// macro) gets past any textual check of #include lines; what must stop it is the compile sandbox's view,
// which holds no /etc/shadow. Before issue 16 the file's text reached the compile log and from there the
// records (and, in agent mode, the policy's context).
#define HOST_FILE "/etc/shadow"
#include HOST_FILE
__global__ void relu(const float* x, float* y, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = fmaxf(x[i], 0.0f);
}
void solution(const float* x, float* y, int n) { relu<<<(n + 255) / 256, 256>>>(x, y, n); }
