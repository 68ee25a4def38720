/**
 * KernelBench-format problems (a PyTorch reference `Model` with get_inputs/get_init_inputs, candidates
 * defining `ModelNew`, usually with inline CUDA through torch.utils.cpp_extension.load_inline). They need
 * python3 with torch: load_inline compiles against torch's headers. Where torch cannot be imported the
 * evaluator is not offered for these problems at all (the target says why), rather than answering
 * "did not compile" for a compile that never happened.
 */
import { execFile } from 'node:child_process';
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Containment } from './containment.js';
import type { KernelEnvironment } from './environment.js';
import type { KernelEvalSettings } from './settings.js';
import { gpuJail, sandboxEnv } from './jails.js';
import type { KernelProblem } from './problem.js';
import { cleanCompileLog, fromRun, harnessEvents, type KernelEvalResult } from './result.js';
import { runSandboxed, withTempDir } from './sandbox.js';
import { harnessFile } from '../../util/package-root.js';

export interface KernelBenchRuntime {
  /** The interpreter itself (sys.executable), so a pyenv shim outside the sandbox's view is not needed. */
  python: string;
  /** sys.prefix, sys.base_prefix and sys.path folders: bound read-only into the sandbox. */
  python_paths: string[];
  torch_version: string;
  torch_cuda: string | null;
  cuda_available: boolean;
}

const RUNNER = harnessFile('tools', 'kernel-eval', 'kernelbench_runner.py');

/** python3 with torch, or the reason there is none (`import torch` failing is the common case). */
export function probeKernelBench(python = 'python3'): Promise<{ runtime?: KernelBenchRuntime; reason?: string }> {
  const script =
    'import json, sys, torch; print(json.dumps({"torch": torch.__version__, "cuda": torch.version.cuda, "available": torch.cuda.is_available(), ' +
    '"executable": sys.executable, "paths": sorted({p for p in [sys.prefix, sys.base_prefix, *sys.path] if p.startswith("/")})}))';
  return new Promise((resolve) => {
    execFile(python, ['-c', script], { timeout: 60000, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) {
        const last = (stderr || err.message).trim().split('\n').pop() ?? '';
        const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? `${python} not found on PATH` : `\`${python} -c "import torch"\` failed: ${last}`;
        return resolve({ reason: `KernelBench-format problems need python3 with torch; ${why}` });
      }
      const v = JSON.parse(stdout.trim().split('\n').pop()!);
      resolve({ runtime: { python: v.executable, python_paths: v.paths, torch_version: v.torch, torch_cuda: v.cuda, cuda_available: v.available } });
    });
  });
}

type GpuLock = <T>(fn: () => Promise<T>) => Promise<T>;

/**
 * A KernelBench candidate is Python (ModelNew) and runs in the same process as the runner that checks and
 * times it: contained by the sandbox, but able to print the runner's lines or patch its timer. Its
 * correctness is reported as the runner saw it; its speedup is withheld (not rewarded), and the result says
 * why, until the format gets the `cuda` format's split into a recorder and a trusted runner (issue 16).
 */
export const KERNELBENCH_UNTRUSTED =
  'untrusted: a KernelBench-format candidate runs in the process that checks and times it, so its verdict could be forged; speedup withheld, not rewarded';

function untrusted(r: KernelEvalResult): KernelEvalResult {
  if (r.outcome !== 'correct') return r;
  const { speedup: _withheld, ...rest } = r;
  return { ...rest, error: KERNELBENCH_UNTRUSTED };
}

export async function evaluateKernelBench(
  problem: KernelProblem,
  source: string,
  runtime: KernelBenchRuntime,
  settings: KernelEvalSettings,
  gpuLock: GpuLock,
  sandbox: { containment: Containment; env: KernelEnvironment },
  signal?: AbortSignal,
): Promise<KernelEvalResult> {
  return withTempDir(
    'gtm-kernelbench-',
    async (dir) => {
      await Promise.all([
        writeFile(join(dir, 'reference.py'), problem.reference_source),
        writeFile(join(dir, 'candidate.py'), source),
        copyFile(RUNNER, join(dir, 'runner.py')),
      ]);
      const nonce = randomBytes(16).toString('hex');
      const { seed, trials, warmup, iters } = settings.run;
      const timeout = settings.compile_timeout_ms + settings.run_timeout_ms;
      // Candidate Python runs in this process (ModelNew is host code): contained like every candidate, with
      // the interpreter's own folders visible read-only so torch imports.
      const env: Record<string, string> = { ...sandboxEnv(dir, sandbox.env), TORCH_EXTENSIONS_DIR: join(dir, 'ext') };
      if (sandbox.env.cuda_root) env.CUDA_HOME = sandbox.env.cuda_root;
      const jail = gpuJail(sandbox.containment, sandbox.env, dir, runtime.python_paths);
      // Compile and run happen in one Python process, so the whole evaluation holds the GPU.
      const run = await gpuLock(() =>
        runSandboxed({
          command: runtime.python,
          args: ['runner.py', String(seed), String(trials), String(warmup), String(iters), String(problem.tolerance.atol), String(problem.tolerance.rtol)],
          cwd: dir,
          env,
          jail,
          stdin: nonce + '\n',
          limits: { timeout_ms: timeout, max_output_bytes: settings.run_output_bytes, max_processes: settings.max_processes },
          signal,
        }),
      );
      const events = harnessEvents(run.stdout, nonce);
      const noTorch = events.find((e) => e.event === 'no_torch');
      if (noTorch) throw new Error(`python3 could not import torch in the sandbox: ${noTorch.error}`);
      const compileError = events.find((e) => e.event === 'compile_error');
      if (compileError) {
        const log = cleanCompileLog(String(compileError.log ?? ''), dir);
        return { compiled: false, compile_log: log, ran: false, error: `build or import failed: ${compileError.error}`, outcome: 'compile_error' };
      }
      const compiled = events.find((e) => e.event === 'compiled');
      if (!compiled) {
        const log = cleanCompileLog(run.stdout + run.stderr, dir);
        if (run.outcome === 'timeout')
          return { compiled: false, compile_log: log, ran: false, error: `killed after ${timeout / 1000} s while building`, outcome: 'compile_timeout' };
        return {
          compiled: false,
          compile_log: log,
          ran: false,
          error: `the runner ended (${run.outcome}, code ${run.exit_code}) before the candidate was built`,
          outcome: 'compile_error',
        };
      }
      return untrusted(fromRun(run, nonce, cleanCompileLog(String(compiled.log ?? ''), dir), timeout));
    },
    sandbox.containment.kind === 'bubblewrap' ? sandbox.containment.uid : undefined,
  );
}
