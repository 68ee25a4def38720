// gtm-bench kernel evaluator: the launch recorder (issue 16). Linked, in place of the CUDA runtime, with
// the candidate's host code; run in the sandbox WITHOUT a GPU. The candidate's `solution()` is called with
// fake device pointers and every CUDA runtime call it makes is written down instead of executed: kernel
// launches (name, grid, block, shared memory, argument bytes, pointers mapped back to buffers), scratch
// allocations, memsets and host-to-device copies. The trusted runner (runner.cu) later replays that plan
// on the GPU in a process where no candidate host code exists. Everything this program writes is untrusted
// (the candidate shares its process) and is validated by the evaluator before anything is replayed.
//
// Written for gtm-bench; the symbol names and signatures are the ones nvcc's generated launch stubs call
// (crt/host_runtime.h, crt/device_functions.h of CUDA 12/13).
#include <cuda_runtime_api.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <vector>
#include <unistd.h>

namespace {

// Fake device addresses: harness buffers at A_BASE + (i+1) * SPAN, scratch at S_BASE + (id+1) * SPAN. A
// value in such a range is a pointer into that buffer; anything else passes through as plain bytes.
const uint64_t A_BASE = 0x7a0000000000ull, S_BASE = 0x7c0000000000ull, SPAN = 1ull << 36;
const size_t MAX_OPS = 100000, MAX_H2D_BYTES = 1 << 20, MAX_PLAN_BYTES = 64 << 20;

struct Buffer {
  char kind;  // 'a' harness argument, 's' scratch
  unsigned id;
  uint64_t base, bytes;
  bool live;
};

struct Config {
  dim3 grid, block;
  size_t shared;
};

// All state lives in one function-local static: the candidate's static constructors (nvcc's registration
// among them) run before this file's globals would be constructed.
struct State {
  std::mutex mu;
  std::vector<Buffer> buffers;
  std::map<const void*, std::string> kernels_by_host;  // host stub -> mangled device name
  std::vector<std::string> kernel_names;             // handle - 1 -> mangled name
  std::map<std::string, std::vector<size_t>> param_sizes;
  std::string plan;
  size_t ops = 0, h2d_bytes = 0;
  unsigned next_scratch = 0;
  bool overflow = false;
  std::vector<Config> configs;  // __cudaPushCallConfiguration / Pop pairs
};
State& st() {
  static State* s = new State();  // never destroyed: exit handlers may still call in
  return *s;
}
#define mu (st().mu)
#define buffers (st().buffers)
#define kernels_by_host (st().kernels_by_host)
#define kernel_names (st().kernel_names)
#define param_sizes (st().param_sizes)
#define plan (st().plan)
#define ops (st().ops)
#define h2d_bytes (st().h2d_bytes)
#define next_scratch (st().next_scratch)
#define overflow (st().overflow)
#define configs (st().configs)

void emit(const std::string& line) {
  if (overflow) return;
  if (++ops > MAX_OPS || plan.size() + line.size() > MAX_PLAN_BYTES) {
    overflow = true;
    plan += "unsupported limit more than 100000 operations or 64 MiB of plan\n";
    return;
  }
  plan += line;
  plan += '\n';
}

std::string hex(const void* p, size_t n) {
  static const char* d = "0123456789abcdef";
  std::string s;
  s.reserve(2 * n);
  const unsigned char* b = static_cast<const unsigned char*>(p);
  for (size_t i = 0; i < n; ++i) {
    s += d[b[i] >> 4];
    s += d[b[i] & 15];
  }
  return s;
}

// A reference to device memory as the plan writes it: a<i>+off, s<id>+off, 0 (null) or raw:<hex>.
std::string ref(uint64_t v) {
  if (v == 0) return "0";
  for (const Buffer& b : buffers) {
    if (b.live && v >= b.base && v <= b.base + b.bytes) return std::string(1, b.kind) + std::to_string(b.id) + "+" + std::to_string(v - b.base);
  }
  return "raw:" + std::to_string(v);
}

bool is_device(const void* p) {
  uint64_t v = reinterpret_cast<uint64_t>(p);
  for (const Buffer& b : buffers)
    if (v >= b.base && v < b.base + (b.bytes ? b.bytes : 1)) return true;
  return false;
}

std::string dim(const dim3& d) { return std::to_string(d.x) + " " + std::to_string(d.y) + " " + std::to_string(d.z); }

void record_launch(const std::string& name, dim3 grid, dim3 block, void** args, size_t shared) {
  auto it = param_sizes.find(name);
  if (it == param_sizes.end()) {
    emit("unsupported launch of " + name + ": no parameter list for it in the compiled device code");
    return;
  }
  std::string line = "launch " + name + " " + dim(grid) + " " + dim(block) + " " + std::to_string(shared) + " " + std::to_string(it->second.size());
  for (size_t i = 0; i < it->second.size(); ++i) {
    size_t n = it->second[i];
    if (n == 8) {
      uint64_t v;
      memcpy(&v, args[i], 8);
      std::string r = ref(v);
      if (r.rfind("raw:", 0) != 0) {
        line += " p:" + r;
        continue;
      }
    }
    line += " x:" + hex(args[i], n);
  }
  emit(line);
}

}  // namespace

// ---- called by the generated main (recorder-main.cpp) ----
extern "C" void gtm_recorder_begin(const char* params_file, int harness_buffers, const unsigned long long* sizes) {
  FILE* f = fopen(params_file, "r");
  if (f) {
    char name[4096];
    unsigned count;
    while (fscanf(f, "%4095s %u", name, &count) == 2) {
      std::vector<size_t> v(count);
      for (unsigned i = 0; i < count; ++i)
        if (fscanf(f, "%zu", &v[i]) != 1) v[i] = 0;
      param_sizes[name] = v;
    }
    fclose(f);
  }
  for (int i = 0; i < harness_buffers; ++i) buffers.push_back({'a', (unsigned)i, A_BASE + (uint64_t)(i + 1) * SPAN, sizes[i], true});
  // Whatever static constructors did before main belongs to the first call.
  plan = "gtm-launch-plan 1\ncall 0\n" + plan;
}

extern "C" void* gtm_recorder_pointer(int i) { return reinterpret_cast<void*>(A_BASE + (uint64_t)(i + 1) * SPAN); }

extern "C" void gtm_recorder_call(int k) {
  std::lock_guard<std::mutex> g(mu);
  if (k > 0) emit("call " + std::to_string(k));
}

// Writes the plan and ends the process at once: threads the candidate left running record nothing more.
extern "C" void gtm_recorder_finish(const char* out_file) {
  mu.lock();
  plan += "end\n";
  FILE* f = fopen(out_file, "w");
  if (!f || fwrite(plan.data(), 1, plan.size(), f) != plan.size() || fclose(f) != 0) _exit(5);
  _exit(0);
}

// ---- what nvcc's generated code calls ----
extern "C" {
void** __cudaRegisterFatBinary(void*) {
  static void* handle = nullptr;
  return &handle;
}
void __cudaRegisterFatBinaryEnd(void**) {}
void __cudaUnregisterFatBinary(void**) {}
void __cudaRegisterFunction(void**, const char* hostFun, char* deviceFun, const char*, int, uint3*, uint3*, dim3*, dim3*, int*) {
  kernels_by_host[hostFun] = deviceFun;
}
void __cudaRegisterVar(void**, char*, char*, const char*, int, size_t, int, int) {}
char __cudaInitModule(void**) { return 1; }

unsigned __cudaPushCallConfiguration(dim3 grid, dim3 block, size_t shared, struct CUstream_st*) {
  std::lock_guard<std::mutex> g(mu);
  configs.push_back({grid, block, shared});
  return 0;
}
cudaError_t __cudaPopCallConfiguration(dim3* grid, dim3* block, size_t* shared, void* stream) {
  std::lock_guard<std::mutex> g(mu);
  if (configs.empty()) return cudaErrorInvalidConfiguration;
  *grid = configs.back().grid;
  *block = configs.back().block;
  *shared = configs.back().shared;
  *static_cast<cudaStream_t*>(stream) = nullptr;
  configs.pop_back();
  return cudaSuccess;
}
cudaError_t __cudaGetKernel(cudaKernel_t* kernel, const void* hostFun) {
  std::lock_guard<std::mutex> g(mu);
  auto it = kernels_by_host.find(hostFun);
  if (it == kernels_by_host.end()) return cudaErrorInvalidDeviceFunction;
  kernel_names.push_back(it->second);
  *kernel = reinterpret_cast<cudaKernel_t>(kernel_names.size());
  return cudaSuccess;
}
cudaError_t __cudaLaunchKernel(cudaKernel_t kernel, dim3 grid, dim3 block, void** args, size_t shared, cudaStream_t) {
  std::lock_guard<std::mutex> g(mu);
  size_t h = reinterpret_cast<size_t>(kernel);
  if (h == 0 || h > kernel_names.size()) return cudaErrorInvalidDeviceFunction;
  record_launch(kernel_names[h - 1], grid, block, args, shared);
  return cudaSuccess;
}
cudaError_t __cudaLaunchKernel_ptsz(cudaKernel_t kernel, dim3 grid, dim3 block, void** args, size_t shared, cudaStream_t s) {
  return __cudaLaunchKernel(kernel, grid, block, args, shared, s);
}
cudaError_t cudaLaunchKernel(const void* func, dim3 grid, dim3 block, void** args, size_t shared, cudaStream_t) {
  std::lock_guard<std::mutex> g(mu);
  auto it = kernels_by_host.find(func);
  if (it == kernels_by_host.end()) return cudaErrorInvalidDeviceFunction;
  record_launch(it->second, grid, block, args, shared);
  return cudaSuccess;
}

cudaError_t cudaMalloc(void** p, size_t bytes) {
  std::lock_guard<std::mutex> g(mu);
  unsigned id = next_scratch++;
  if (bytes >= SPAN) {
    emit("unsupported cudaMalloc of " + std::to_string(bytes) + " bytes");
    return cudaErrorMemoryAllocation;
  }
  buffers.push_back({'s', id, S_BASE + (uint64_t)(id + 1) * SPAN, bytes, true});
  *p = reinterpret_cast<void*>(buffers.back().base);
  emit("alloc " + std::to_string(id) + " " + std::to_string(bytes));
  return cudaSuccess;
}
cudaError_t cudaFree(void* p) {
  std::lock_guard<std::mutex> g(mu);
  if (!p) return cudaSuccess;
  uint64_t v = reinterpret_cast<uint64_t>(p);
  for (Buffer& b : buffers) {
    if (b.kind == 's' && b.live && b.base == v) {
      emit("free " + std::to_string(b.id));
      b.live = false;
      return cudaSuccess;
    }
  }
  emit("unsupported cudaFree of " + ref(v));
  return cudaErrorInvalidValue;
}
cudaError_t cudaMemset(void* p, int value, size_t bytes) {
  std::lock_guard<std::mutex> g(mu);
  emit("memset " + ref(reinterpret_cast<uint64_t>(p)) + " " + std::to_string(value & 0xff) + " " + std::to_string(bytes));
  return cudaSuccess;
}
cudaError_t cudaMemsetAsync(void* p, int value, size_t bytes, cudaStream_t) { return cudaMemset(p, value, bytes); }
cudaError_t cudaMemcpy(void* dst, const void* src, size_t bytes, cudaMemcpyKind) {
  std::lock_guard<std::mutex> g(mu);
  bool d = is_device(dst), s = is_device(src);
  if (d && s) {
    emit("d2d " + ref(reinterpret_cast<uint64_t>(dst)) + " " + ref(reinterpret_cast<uint64_t>(src)) + " " + std::to_string(bytes));
  } else if (d) {
    h2d_bytes += bytes;
    if (h2d_bytes > MAX_H2D_BYTES) {
      emit("unsupported host-to-device copies of more than 1 MiB in total");
      return cudaErrorNotSupported;
    }
    emit("h2d " + ref(reinterpret_cast<uint64_t>(dst)) + " " + std::to_string(bytes) + " " + hex(src, bytes));
  } else {
    // The host would read device data: the plan could not be replayed without running host code on it.
    emit("unsupported cudaMemcpy that reads device memory on the host (or copies host to host)");
    return cudaErrorNotSupported;
  }
  return cudaSuccess;
}
cudaError_t cudaMemcpyAsync(void* dst, const void* src, size_t bytes, cudaMemcpyKind kind, cudaStream_t) { return cudaMemcpy(dst, src, bytes, kind); }

// Errors surface at replay; here every call "succeeds".
cudaError_t cudaGetLastError(void) { return cudaSuccess; }
cudaError_t cudaPeekAtLastError(void) { return cudaSuccess; }
const char* cudaGetErrorString(cudaError_t) { return "recorded, not executed"; }
const char* cudaGetErrorName(cudaError_t) { return "cudaSuccess"; }
cudaError_t cudaDeviceSynchronize(void) { return cudaSuccess; }
cudaError_t cudaStreamSynchronize(cudaStream_t) { return cudaSuccess; }
cudaError_t cudaStreamCreate(cudaStream_t* s) {
  static char streams[64];
  static int n = 0;
  *s = reinterpret_cast<cudaStream_t>(&streams[n++ % 64]);
  return cudaSuccess;
}
cudaError_t cudaStreamCreateWithFlags(cudaStream_t* s, unsigned) { return cudaStreamCreate(s); }
cudaError_t cudaStreamDestroy(cudaStream_t) { return cudaSuccess; }
cudaError_t cudaEventCreate(cudaEvent_t* e) {
  static char events[64];
  static int n = 0;
  *e = reinterpret_cast<cudaEvent_t>(&events[n++ % 64]);
  return cudaSuccess;
}
cudaError_t cudaEventRecord(cudaEvent_t, cudaStream_t) { return cudaSuccess; }
cudaError_t cudaEventSynchronize(cudaEvent_t) { return cudaSuccess; }
cudaError_t cudaEventDestroy(cudaEvent_t) { return cudaSuccess; }
cudaError_t cudaEventElapsedTime(float* ms, cudaEvent_t, cudaEvent_t) {
  *ms = 0;
  return cudaSuccess;
}
cudaError_t cudaGetDevice(int* d) {
  *d = 0;
  return cudaSuccess;
}
cudaError_t cudaSetDevice(int) { return cudaSuccess; }
cudaError_t cudaGetDeviceCount(int* n) {
  *n = 1;
  return cudaSuccess;
}
cudaError_t cudaFuncSetAttribute(const void* func, cudaFuncAttribute attr, int value) {
  std::lock_guard<std::mutex> g(mu);
  auto it = kernels_by_host.find(func);
  if (it == kernels_by_host.end()) return cudaErrorInvalidDeviceFunction;
  emit("attr " + it->second + " " + std::to_string((int)attr) + " " + std::to_string(value));
  return cudaSuccess;
}
}  // extern "C"
