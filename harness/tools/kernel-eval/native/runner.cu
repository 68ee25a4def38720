// gtm-bench kernel evaluator: the trusted runner (issue 16). It holds no candidate host code: it loads the
// candidate's (or the reference's) compiled device code as a library and replays a launch plan recorded by
// launch-recorder.cpp and validated by the evaluator. It fills the inputs, poisons the outputs, runs, checks
// the inputs came back unchanged, writes the outputs for the evaluator to compare, and times the replay.
// Its results go to <out>/result.txt, a file in a folder only this process writes; the device code it runs
// can printf to stdout, which the evaluator ignores.
//
//   runner <spec> <plan> <module> <out>
//
// spec lines: `seed S`, `runs TRIALS WARMUP ITERS`, `sample KEY COUNT`, `buffer I input COUNT LO HI`,
// `buffer I output COUNT`.
// plan: two segments, `segment first` (the first call) and `segment steady` (every later call), of
//   alloc ID BYTES | free ID | memset REF BYTE BYTES | h2d REF BYTES HEX | d2d REF REF BYTES |
//   attr KERNEL ATTR VALUE | launch KERNEL GX GY GZ BX BY BZ SHARED N ARG... (ARG: p:REF | x:HEX)
//   with REF: a<i>+<off> | s<id>+<off> | 0 | raw:<decimal>.
// Inputs are generated on the device from (seed, run, buffer, index) by a counter-based hash, so the
// reference's runner (a separate process) generates the same inputs without sharing memory with this one.
// Every correctness trial and every timed iteration gets fresh inputs: an output cached from an earlier call
// is wrong for the next one. Written for gtm-bench.
#include <cuda_runtime.h>

#include <algorithm>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>
#include <unistd.h>

namespace {

FILE* result = nullptr;

void say(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void say(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfprintf(result, fmt, ap);
  va_end(ap);
  fputc('\n', result);
  fflush(result);
}

[[noreturn]] void finish(int code) {
  if (result) fclose(result);
  _exit(code);
}

// One word per line field; messages go last and have their newlines removed.
std::string clean(const char* s) {
  std::string out(s ? s : "");
  for (char& c : out)
    if (c == '\n' || c == '\r') c = ' ';
  return out.substr(0, 400);
}

[[noreturn]] void fail(const char* who, const char* stage, cudaError_t e) {
  say("%s %s %d %s", who, stage, (int)e, clean(cudaGetErrorString(e)).c_str());
  finish(who[0] == 'c' ? 4 : 5);
}

__device__ __host__ inline uint64_t mix(uint64_t z) {
  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Copies `k` elements of `src` at positions drawn from `key` (which the device code under test never sees).
__global__ void gather(const float* src, size_t n, uint64_t key, float* out, int k) {
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < k; i += gridDim.x * blockDim.x) out[i] = src[mix(key ^ mix((uint64_t)i)) % n];
}

__global__ void fill(float* p, size_t n, uint64_t key, float lo, float hi) {
  for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n; i += (size_t)gridDim.x * blockDim.x) {
    uint64_t r = mix(key ^ mix(i));
    p[i] = lo + (hi - lo) * (float)((r >> 40) * (1.0 / 16777216.0));
  }
}

struct Buf {
  int index;
  bool input;
  size_t count;
  float lo = 0, hi = 0;
  float* dev = nullptr;
};

struct Ref {
  char kind = '0';  // 'a', 's', '0' (null), 'r' (raw)
  unsigned id = 0;
  uint64_t off = 0;
};

struct Op {
  std::string kind, kernel;
  unsigned id = 0;
  uint64_t bytes = 0;
  int value = 0;
  Ref dst, src;
  std::vector<unsigned char> data;
  dim3 grid, block;
  size_t shared = 0;
  std::vector<std::vector<unsigned char>> args;
  std::vector<int> arg_ptr;  // -1: bytes; else index into ptr_refs
  std::vector<Ref> ptr_refs;
};

Ref parse_ref(const std::string& s) {
  Ref r;
  if (s == "0") return r;
  if (s.rfind("raw:", 0) == 0) {
    r.kind = 'r';
    r.off = strtoull(s.c_str() + 4, nullptr, 10);
    return r;
  }
  r.kind = s[0];
  r.id = (unsigned)strtoul(s.c_str() + 1, nullptr, 10);
  size_t plus = s.find('+');
  r.off = plus == std::string::npos ? 0 : strtoull(s.c_str() + plus + 1, nullptr, 10);
  return r;
}

std::vector<unsigned char> unhex(const std::string& h) {
  std::vector<unsigned char> out(h.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) out[i] = (unsigned char)strtoul(h.substr(2 * i, 2).c_str(), nullptr, 16);
  return out;
}

std::vector<std::string> words(const std::string& line) {
  std::vector<std::string> w;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == ' ') ++i;
    size_t j = i;
    while (j < line.size() && line[j] != ' ') ++j;
    if (j > i) w.push_back(line.substr(i, j - i));
    i = j;
  }
  return w;
}

std::vector<Buf> bufs;
std::map<unsigned, void*> scratch;
std::map<std::string, cudaKernel_t> kernels;
// Each argument gets a slot of the largest parameter size CUDA allows, so a plan that says fewer bytes than
// the kernel takes can never make the driver read past our memory.
const size_t ARG_SLOT = 32768;

void* resolve(const Ref& r) {
  switch (r.kind) {
    case '0':
      return nullptr;
    case 'r':
      return reinterpret_cast<void*>(r.off);
    case 'a':
      for (Buf& b : bufs)
        if ((unsigned)b.index == r.id) return reinterpret_cast<char*>(b.dev) + r.off;
      return nullptr;
    default: {
      auto it = scratch.find(r.id);
      return it == scratch.end() ? nullptr : reinterpret_cast<char*>(it->second) + r.off;
    }
  }
}

cudaError_t replay(const std::vector<Op>& ops, cudaStream_t stream, std::vector<unsigned char>& slots) {
  for (const Op& op : ops) {
    cudaError_t e = cudaSuccess;
    if (op.kind == "alloc") {
      void* p = nullptr;
      e = cudaMalloc(&p, op.bytes ? op.bytes : 1);
      if (e == cudaSuccess) scratch[op.id] = p;
    } else if (op.kind == "free") {
      auto it = scratch.find(op.id);
      if (it != scratch.end()) {
        e = cudaFree(it->second);
        scratch.erase(it);
      }
    } else if (op.kind == "memset") {
      e = cudaMemsetAsync(resolve(op.dst), op.value, op.bytes, stream);
    } else if (op.kind == "h2d") {
      e = cudaMemcpyAsync(resolve(op.dst), op.data.data(), op.data.size(), cudaMemcpyHostToDevice, stream);
      if (e == cudaSuccess) e = cudaStreamSynchronize(stream);  // op.data is pageable host memory
    } else if (op.kind == "d2d") {
      e = cudaMemcpyAsync(resolve(op.dst), resolve(op.src), op.bytes, cudaMemcpyDeviceToDevice, stream);
    } else if (op.kind == "attr") {
      e = cudaFuncSetAttribute(reinterpret_cast<const void*>(kernels[op.kernel]), (cudaFuncAttribute)op.id, op.value);
    } else if (op.kind == "launch") {
      std::vector<void*> params(op.args.size());
      for (size_t i = 0; i < op.args.size(); ++i) {
        unsigned char* slot = slots.data() + i * ARG_SLOT;
        memset(slot, 0, ARG_SLOT);
        if (op.arg_ptr[i] >= 0) {
          void* p = resolve(op.ptr_refs[op.arg_ptr[i]]);
          memcpy(slot, &p, sizeof p);
        } else {
          memcpy(slot, op.args[i].data(), std::min(op.args[i].size(), ARG_SLOT));
        }
        params[i] = slot;
      }
      e = cudaLaunchKernel(reinterpret_cast<const void*>(kernels[op.kernel]), op.grid, op.block, params.data(), op.shared, stream);
    }
    if (e != cudaSuccess) return e;
  }
  return cudaSuccess;
}

// Calls fn with the words of every non-empty line of text.
template <typename F> void for_each_line(const std::string& text, F fn) {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::vector<std::string> w = words(text.substr(start, end - start));
    start = end + 1;
    if (!w.empty()) fn(w);
  }
}

bool read_file(const char* path, std::string& out) {
  FILE* f = fopen(path, "rb");
  if (!f) return false;
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) out.append(chunk, n);
  fclose(f);
  return true;
}

bool write_file(const std::string& path, const void* data, size_t bytes) {
  FILE* f = fopen(path.c_str(), "wb");
  if (!f) return false;
  bool ok = fwrite(data, 1, bytes, f) == bytes;
  return fclose(f) == 0 && ok;
}

uint64_t key_for(uint64_t seed, int run, int buffer) { return mix(seed ^ mix(((uint64_t)run << 16) ^ (uint64_t)buffer)); }

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) return 6;
  const std::string out = argv[4];
  result = fopen((out + "/result.txt").c_str(), "w");
  if (!result) return 6;

  std::string spec, plan_text, module;
  if (!read_file(argv[1], spec) || !read_file(argv[2], plan_text) || !read_file(argv[3], module)) {
    say("bad_invocation cannot read the spec, plan or module");
    finish(6);
  }
  uint64_t seed = 0, sample_key = 0;
  int sample_count = 0;
  int trials = 0, warmup = 0, iters = 0;
  for_each_line(spec, [&](const std::vector<std::string>& w) {
    if (w[0] == "seed" && w.size() == 2) seed = strtoull(w[1].c_str(), nullptr, 10);
    else if (w[0] == "runs" && w.size() == 4) trials = atoi(w[1].c_str()), warmup = atoi(w[2].c_str()), iters = atoi(w[3].c_str());
    else if (w[0] == "buffer" && w.size() >= 4) {
      Buf b;
      b.index = atoi(w[1].c_str());
      b.input = w[2] == "input";
      b.count = strtoull(w[3].c_str(), nullptr, 10);
      if (b.input && w.size() == 6) b.lo = strtof(w[4].c_str(), nullptr), b.hi = strtof(w[5].c_str(), nullptr);
      bufs.push_back(b);
    }
  });
  if (trials < 1 || warmup < 0 || iters < 1 || bufs.empty()) {
    say("bad_invocation bad spec");
    finish(6);
  }

  std::vector<Op> segs[2];
  int seg = -1;
  size_t max_args = 0;
  for_each_line(plan_text, [&](const std::vector<std::string>& w) {
    if (w[0] == "segment") {
      seg = w.size() == 2 && w[1] == "steady" ? 1 : 0;
      return;
    }
    if (seg < 0) return;
    Op op;
    op.kind = w[0];
    if (op.kind == "alloc" && w.size() == 3) op.id = (unsigned)strtoul(w[1].c_str(), nullptr, 10), op.bytes = strtoull(w[2].c_str(), nullptr, 10);
    else if (op.kind == "free" && w.size() == 2) op.id = (unsigned)strtoul(w[1].c_str(), nullptr, 10);
    else if (op.kind == "memset" && w.size() == 4) op.dst = parse_ref(w[1]), op.value = atoi(w[2].c_str()), op.bytes = strtoull(w[3].c_str(), nullptr, 10);
    else if (op.kind == "h2d" && w.size() == 4) op.dst = parse_ref(w[1]), op.data = unhex(w[3]);
    else if (op.kind == "d2d" && w.size() == 4) op.dst = parse_ref(w[1]), op.src = parse_ref(w[2]), op.bytes = strtoull(w[3].c_str(), nullptr, 10);
    else if (op.kind == "attr" && w.size() == 4) op.kernel = w[1], op.id = (unsigned)atoi(w[2].c_str()), op.value = atoi(w[3].c_str());
    else if (op.kind == "launch" && w.size() >= 10) {
      op.kernel = w[1];
      op.grid = dim3(atoi(w[2].c_str()), atoi(w[3].c_str()), atoi(w[4].c_str()));
      op.block = dim3(atoi(w[5].c_str()), atoi(w[6].c_str()), atoi(w[7].c_str()));
      op.shared = strtoull(w[8].c_str(), nullptr, 10);
      size_t n = strtoull(w[9].c_str(), nullptr, 10);
      if (w.size() != 10 + n) {
        say("bad_invocation malformed launch line");
        finish(6);
      }
      for (size_t i = 0; i < n; ++i) {
        const std::string& a = w[10 + i];
        if (a.rfind("p:", 0) == 0) {
          op.arg_ptr.push_back((int)op.ptr_refs.size());
          op.ptr_refs.push_back(parse_ref(a.substr(2)));
          op.args.push_back({});
        } else {
          op.arg_ptr.push_back(-1);
          op.args.push_back(unhex(a.substr(2)));
        }
      }
      max_args = std::max(max_args, n);
      kernels[op.kernel] = nullptr;
    } else {
      say("bad_invocation malformed plan line: %s", clean(w[0].c_str()).c_str());
      finish(6);
    }
    segs[seg].push_back(op);
  });

  int devices = 0;
  cudaError_t probe = cudaGetDeviceCount(&devices);
  if (probe != cudaSuccess || devices == 0) {
    say("no_device %s", probe != cudaSuccess ? clean(cudaGetErrorString(probe)).c_str() : "cudaGetDeviceCount returned 0");
    finish(3);
  }
  cudaDeviceProp prop;
  cudaGetDeviceProperties(&prop, 0);
  int mem_khz = 0, bus_bits = 0, l2 = 0;
  cudaDeviceGetAttribute(&mem_khz, cudaDevAttrMemoryClockRate, 0);
  cudaDeviceGetAttribute(&bus_bits, cudaDevAttrGlobalMemoryBusWidth, 0);
  cudaDeviceGetAttribute(&l2, cudaDevAttrL2CacheSize, 0);
  // Peak DRAM bandwidth: two transfers per memory clock over the bus (what deviceQuery reports).
  const double peak_gbps = 2.0 * mem_khz * 1e3 * (bus_bits / 8.0) / 1e9;
  say("device %d.%d %.1f %d %s", prop.major, prop.minor, peak_gbps, l2, clean(prop.name).c_str());

  cudaLibrary_t library;
  cudaError_t e = cudaLibraryLoadData(&library, module.data(), nullptr, nullptr, 0, nullptr, nullptr, 0);
  if (e != cudaSuccess) fail("candidate_error", "load", e);
  for (auto& k : kernels) {
    e = cudaLibraryGetKernel(&k.second, library, k.first.c_str());
    if (e != cudaSuccess) fail("candidate_error", "get_kernel", e);
  }
  // No persisting L2 carveout: lines parked there would survive the flush between timed runs.
  cudaDeviceSetLimit(cudaLimitPersistingL2CacheSize, 0);
  for (Buf& b : bufs) {
    e = cudaMalloc(&b.dev, std::max<size_t>(b.count, 1) * sizeof(float));
    if (e != cudaSuccess) fail("runner_error", "allocate", e);
  }
  size_t check_count = 0;
  for (const Buf& b : bufs) check_count = std::max(check_count, b.input ? b.count : 0);
  float* check = nullptr;
  if (check_count && (e = cudaMalloc(&check, check_count * sizeof(float))) != cudaSuccess) fail("runner_error", "allocate", e);
  const size_t flush_bytes = 2 * (size_t)std::max(l2, 8 << 20);
  void* flush = nullptr;
  if ((e = cudaMalloc(&flush, flush_bytes)) != cudaSuccess) fail("runner_error", "allocate", e);
  cudaStream_t stream;
  cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking);
  std::vector<unsigned char> slots(std::max<size_t>(max_args, 1) * ARG_SLOT);
  cudaEvent_t start, stop;
  cudaEventCreate(&start);
  cudaEventCreate(&stop);

  auto prepare = [&](int run) {
    for (Buf& b : bufs) {
      if (b.input) fill<<<1024, 256, 0, stream>>>(b.dev, b.count, key_for(seed, run, b.index), b.lo, b.hi);
      else cudaMemsetAsync(b.dev, 0xFF, b.count * sizeof(float), stream);  // NaN: an element never written cannot pass
    }
    cudaMemsetAsync(flush, 0, flush_bytes, stream);  // evict what the previous run left in L2
    cudaCtxResetPersistingL2Cache();
    cudaError_t err = cudaDeviceSynchronize();
    if (err != cudaSuccess) fail("runner_error", "prepare", err);
  };
  auto save = [&](int run, const char* name) {
    std::vector<float> host;
    for (Buf& b : bufs) {
      host.resize(b.count);
      cudaError_t err = cudaMemcpy(host.data(), b.dev, b.count * sizeof(float), cudaMemcpyDeviceToHost);
      if (err != cudaSuccess) fail("candidate_error", "copy back", err);
      if (b.input) {
        // The input must come back as it was generated: a kernel that wrote into its input is wrong.
        std::vector<float> expect(b.count);
        fill<<<1024, 256, 0, stream>>>(check, b.count, key_for(seed, run, b.index), b.lo, b.hi);
        cudaStreamSynchronize(stream);
        cudaMemcpy(expect.data(), check, b.count * sizeof(float), cudaMemcpyDeviceToHost);
        if (memcmp(expect.data(), host.data(), b.count * sizeof(float)) != 0) say("input_modified %s %d", name, b.index);
      } else if (!write_file(out + "/" + name + "_" + std::to_string(b.index) + ".bin", host.data(), b.count * sizeof(float))) {
        fail("runner_error", "write outputs", cudaErrorUnknown);
      }
    }
  };

  for (int t = 0; t < trials; ++t) {
    prepare(t);
    e = replay(segs[t == 0 ? 0 : 1], stream, slots);
    if (e == cudaSuccess) e = cudaGetLastError();
    if (e == cudaSuccess) e = cudaDeviceSynchronize();  // the whole device: work on any stream is waited for
    if (e != cudaSuccess) fail("candidate_error", "trial", e);
    save(t, ("trial" + std::to_string(t)).c_str());
    say("trial %d", t);
  }
  std::vector<float> times;
  // Every timed run (warm-ups included) leaves a sample of each output at positions the device code cannot
  // know; the evaluator compares them with the reference's: a kernel that only works when it is checked is
  // caught on the runs that are timed.
  float* sample_dev = nullptr;
  if (sample_count > 0 && (e = cudaMalloc(&sample_dev, sample_count * sizeof(float))) != cudaSuccess) fail("runner_error", "allocate", e);
  std::map<int, std::vector<float>> samples;
  for (int k = 0; k < warmup + iters; ++k) {
    const int run = trials + k;
    prepare(run);
    cudaEventRecord(start, stream);
    e = replay(segs[1], stream, slots);
    cudaEventRecord(stop, stream);
    if (e == cudaSuccess) e = cudaGetLastError();
    if (e == cudaSuccess) e = cudaDeviceSynchronize();
    if (e != cudaSuccess) fail("candidate_error", "timing", e);
    float ms = 0;
    cudaEventElapsedTime(&ms, start, stop);
    if (k >= warmup) times.push_back(ms);
    for (Buf& b : bufs) {
      if (b.input || sample_count <= 0 || b.count == 0) continue;
      gather<<<16, 256, 0, stream>>>(b.dev, b.count, sample_key ^ (uint64_t)b.index, sample_dev, sample_count);
      cudaStreamSynchronize(stream);  // the copy below is on the legacy stream, which does not wait for ours
      std::vector<float>& into = samples[b.index];
      into.resize((size_t)(k + 1) * sample_count);
      e = cudaMemcpy(into.data() + (size_t)k * sample_count, sample_dev, sample_count * sizeof(float), cudaMemcpyDeviceToHost);
      if (e != cudaSuccess) fail("candidate_error", "sample", e);
    }
  }
  for (auto& kv : samples) {
    if (!write_file(out + "/samples_" + std::to_string(kv.first) + ".bin", kv.second.data(), kv.second.size() * sizeof(float))) fail("runner_error", "write samples", cudaErrorUnknown);
  }
  // The last timed run's outputs are checked too: a kernel that is only right while being checked is wrong.
  save(trials + warmup + iters - 1, "timed");
  std::sort(times.begin(), times.end());
  const size_t n = times.size();
  const double median = n % 2 ? times[n / 2] : 0.5 * (times[n / 2 - 1] + times[n / 2]);
  say("timing %.6g %.6g %.6g %zu %d", median, times.front(), times.back(), n, warmup);
  say("done");
  finish(0);
}
