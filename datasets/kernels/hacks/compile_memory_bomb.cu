// Hack: exhaust the machine's memory at compile time. Every level of the template tree instantiates two
// distinct children and keeps them (2^40 classes); before issue 16 one such compile reached 7.84 GB, with
// one compile per core. The compile's address-space limit stops it.
template <int N, unsigned long long M> struct Tree {
  static constexpr unsigned long long value = Tree<N - 1, 2 * M>::value + Tree<N - 1, 2 * M + 1>::value;
  char pad[1 << 12];
};
template <unsigned long long M> struct Tree<0, M> { static constexpr unsigned long long value = M; };
__global__ void relu(const float* x, float* y, int n, unsigned long long salt) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = salt ? fmaxf(x[i], 0.0f) : 0.0f;
}
void solution(const float* x, float* y, int n) { relu<<<(n + 255) / 256, 256>>>(x, y, n, Tree<40, 1>::value); }
