/**
 * What the kernel evaluator runs on: the GPU (from nvidia-smi, when there is one), the nvcc release, and
 * the architecture kernels are compiled for. Probed once per process; every recorded result names it.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';

export interface GpuInfo {
  name: string;
  driver_version: string;
  /** e.g. "8.0" for an A100/A800, "9.0" for an H100. */
  compute_cap: string;
}

export interface KernelEnvironment {
  /** The GPU kernels run on, or null with the reason in `no_gpu_reason`. */
  gpu: GpuInfo | null;
  no_gpu_reason?: string;
  /** `nvcc --version`'s release line, e.g. "Cuda compilation tools, release 13.0, V13.0.88"; null when nvcc is missing. */
  nvcc_version: string | null;
  nvcc_missing_reason?: string;
  /** The -arch passed to nvcc, and where it came from. */
  arch: string;
  arch_source: 'gpu' | 'default' | 'option';
  host: string;
  /** The CUDA toolkit's root (bin/nvcc.profile below it), realpath'd: the part of the toolchain the sandbox shows. */
  cuda_root: string | null;
}

/**
 * Without a GPU, compile for sm_80 (A100/A800): the GPU the paper's serving set-up names (an A800) and the
 * one KernelBench reports its baselines on. nvcc 13 dropped architectures below sm_75.
 */
export const DEFAULT_ARCH = 'sm_80';

interface Exec {
  ok: boolean;
  stdout: string;
  message: string;
}

function run(file: string, args: string[], timeoutMs = 15000): Promise<Exec> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (!err) return resolve({ ok: true, stdout, message: '' });
      const code = (err as NodeJS.ErrnoException).code;
      const message = code === 'ENOENT' ? `${file} not found on PATH` : `${file} failed: ${(stderr || err.message).trim().split('\n')[0]}`;
      resolve({ ok: false, stdout, message });
    });
  });
}

/** The first GPU nvidia-smi lists, or why there is none. */
export async function probeGpu(): Promise<{ gpu: GpuInfo | null; reason?: string }> {
  const r = await run('nvidia-smi', ['--query-gpu=name,driver_version,compute_cap', '--format=csv,noheader']);
  if (!r.ok) return { gpu: null, reason: `no GPU: ${r.message}` };
  const line = r.stdout.split('\n').find((l) => l.trim());
  if (!line) return { gpu: null, reason: 'no GPU: nvidia-smi lists no device' };
  const [name, driver_version, compute_cap] = line.split(',').map((s) => s.trim());
  if (!/^\d+\.\d+$/.test(compute_cap ?? '')) return { gpu: null, reason: `no GPU: nvidia-smi printed an unexpected line: ${line.trim()}` };
  return { gpu: { name, driver_version, compute_cap } };
}

export async function probeNvcc(): Promise<{ version: string | null; reason?: string; archs: string[] }> {
  const v = await run('nvcc', ['--version']);
  if (!v.ok) return { version: null, reason: v.message, archs: [] };
  const version =
    v.stdout
      .split('\n')
      .find((l) => l.includes('release'))
      ?.trim() ??
    v.stdout.trim().split('\n').pop() ??
    '';
  const list = await run('nvcc', ['--list-gpu-arch']);
  const archs = list.ok ? list.stdout.split(/\s+/).filter((a) => a.startsWith('compute_')) : [];
  return { version, archs };
}

/**
 * sm_XY for a GPU of compute capability X.Y when this nvcc can target it; otherwise the default (a GPU newer
 * than the compiler then runs the embedded PTX through the driver's JIT).
 */
export function archFor(gpu: GpuInfo | null, supported: string[]): { arch: string; source: 'gpu' | 'default' } {
  if (!gpu) return { arch: DEFAULT_ARCH, source: 'default' };
  const digits = gpu.compute_cap.replace('.', '');
  if (supported.length === 0 || supported.includes(`compute_${digits}`)) return { arch: `sm_${digits}`, source: 'gpu' };
  return { arch: DEFAULT_ARCH, source: 'default' };
}

/** Where the CUDA toolkit lives: $CUDA_HOME, $CUDA_PATH, two levels above the real nvcc, or /usr/local/cuda. */
export function findCudaRoot(): string | null {
  const guesses = [process.env.CUDA_HOME, process.env.CUDA_PATH];
  try {
    const nvcc = execFileSync('sh', ['-c', 'command -v nvcc'], { encoding: 'utf8' }).trim();
    if (nvcc) guesses.push(dirname(dirname(realpathSync(nvcc))));
  } catch {
    // no nvcc on PATH
  }
  guesses.push('/usr/local/cuda');
  for (const g of guesses) if (g && existsSync(join(g, 'bin', 'nvcc.profile'))) return realpathSync(g);
  return null;
}

let cached: Promise<KernelEnvironment> | undefined;

/** Probes once per process (nvidia-smi and nvcc each take a fraction of a second). */
export function kernelEnvironment(archOverride?: string): Promise<KernelEnvironment> {
  cached ??= (async () => {
    const [g, n] = await Promise.all([probeGpu(), probeNvcc()]);
    const { arch, source } = archFor(g.gpu, n.archs);
    return {
      gpu: g.gpu,
      ...(g.reason ? { no_gpu_reason: g.reason } : {}),
      nvcc_version: n.version,
      ...(n.reason ? { nvcc_missing_reason: n.reason } : {}),
      arch,
      arch_source: source,
      host: hostname(),
      cuda_root: findCudaRoot(),
    } satisfies KernelEnvironment;
  })();
  if (!archOverride) return cached;
  return cached.then((env) => ({ ...env, arch: archOverride, arch_source: 'option' as const }));
}
