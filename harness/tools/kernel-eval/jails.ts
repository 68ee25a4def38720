/**
 * What each sandboxed step of an evaluation may see (sandbox.ts Jail): the compile sees the toolchain and
 * its own dir; a program that touches the GPU also sees the GPU's device nodes and /sys (the CUDA driver
 * reads its PCI topology there). Nothing else of the host: no /etc beyond ld.so.cache, no home, no checkout,
 * no problem folder (a candidate has no business reading the reference; #include of a host file finds
 * nothing). The environment is built here from nothing: PATH to the toolchain, HOME/TMPDIR in the dir, the
 * GPU selection variables and the library path CUDA may need; never the harness's own variables (API keys).
 */
import { readdirSync } from 'node:fs';
import type { Containment } from './containment.js';
import type { KernelEnvironment } from './environment.js';
import type { Jail } from './sandbox.js';

/** Variables a CUDA program may legitimately need from the harness's environment. */
const PASSED = ['CUDA_VISIBLE_DEVICES', 'NVIDIA_VISIBLE_DEVICES', 'LD_LIBRARY_PATH'] as const;

export function sandboxEnv(dir: string, env: Pick<KernelEnvironment, 'cuda_root'>): Record<string, string> {
  const path = [env.cuda_root ? `${env.cuda_root}/bin` : null, '/usr/local/bin', '/usr/bin', '/bin'].filter(Boolean).join(':');
  const out: Record<string, string> = { PATH: path, HOME: dir, TMPDIR: dir, LANG: 'C', LC_ALL: 'C' };
  for (const k of PASSED) if (process.env[k]) out[k] = process.env[k]!;
  return out;
}

/** Read-only toolchain paths beyond /usr (always bound): the CUDA root and the configured library dirs. */
function toolchain(env: Pick<KernelEnvironment, 'cuda_root'>, extra: string[]): string[] {
  const libs = (process.env.LD_LIBRARY_PATH ?? '').split(':').filter((p) => p.startsWith('/'));
  return [...(env.cuda_root ? [env.cuda_root] : []), ...libs, ...extra];
}

export function compileJail(containment: Containment, env: Pick<KernelEnvironment, 'cuda_root'>, dir: string, extraRo: string[] = []): Jail {
  return { containment, ro: toolchain(env, extraRo), rw: [dir] };
}

/** The GPU's device nodes present on this machine (/dev/nvidia0, /dev/nvidiactl, /dev/nvidia-uvm, ...). */
function gpuDevices(): string[] {
  try {
    return readdirSync('/dev')
      .filter((n) => n.startsWith('nvidia'))
      .map((n) => `/dev/${n}`);
  } catch {
    return [];
  }
}

export function gpuJail(containment: Containment, env: Pick<KernelEnvironment, 'cuda_root'>, dir: string, extraRo: string[] = []): Jail {
  return { containment, ro: [...toolchain(env, extraRo), '/sys'], rw: [dir], devices: gpuDevices() };
}
