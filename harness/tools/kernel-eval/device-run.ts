/**
 * Runs a built source on the GPU through the trusted runner (native/runner.cu), in its own sandboxed
 * process and private folder, and reads back what the runner wrote: result.txt and one file per output
 * buffer per run. The candidate and the reference each get their own runner process (and so their own CUDA
 * context): the reference's outputs never exist in memory the candidate's device code could read, and the
 * candidate runs first, before the reference has produced anything in this evaluation.
 */
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Built } from './build.js';
import type { Containment } from './containment.js';
import type { KernelEnvironment } from './environment.js';
import { gpuJail, sandboxEnv } from './jails.js';
import { planText } from './launch-plan.js';
import { bufferArgs, elementCount, runnerSpec, type NativeTools } from './native.js';
import type { KernelProblem } from './problem.js';
import { runSandboxed, withTempDir, type SandboxRun } from './sandbox.js';
import { readUntrusted } from './untrusted-file.js';
import { parseRunnerResult, type RunnerReport } from './verdict.js';

export interface DeviceRunSettings {
  run_timeout_ms: number;
  run_output_bytes: number;
  max_processes: number;
  run: { trials: number; warmup: number; iters: number };
}

export interface DeviceRun {
  run: SandboxRun;
  report: RunnerReport;
  /** Outputs by run name (`trial0`.., `timed`) and output buffer index; `samples_<i>`: every timed run's sample. */
  outputs: Map<string, Float32Array>;
}

export async function runOnDevice(
  ctx: { env: KernelEnvironment; containment: Containment; tools: NativeTools; settings: DeviceRunSettings },
  problem: KernelProblem,
  built: Built,
  seed: bigint,
  sample: { key: bigint; count: number },
  signal?: AbortSignal,
): Promise<DeviceRun> {
  const owner = ctx.containment.kind === 'bubblewrap' ? ctx.containment.uid : undefined;
  return withTempDir(
    'gtm-kernel-run-',
    async (dir) => {
      await Promise.all([
        copyFile(ctx.tools.runner, join(dir, 'runner')),
        writeFile(join(dir, 'spec.txt'), runnerSpec(problem, seed, ctx.settings.run, sample)),
        writeFile(join(dir, 'plan.txt'), planText(built.plan)),
        writeFile(join(dir, 'module.fatbin'), built.module),
      ]);
      const run = await runSandboxed({
        command: './runner',
        args: ['spec.txt', 'plan.txt', 'module.fatbin', dir],
        cwd: dir,
        env: sandboxEnv(dir, ctx.env),
        jail: gpuJail(ctx.containment, ctx.env, dir),
        limits: { timeout_ms: ctx.settings.run_timeout_ms, max_output_bytes: ctx.settings.run_output_bytes, max_processes: ctx.settings.max_processes },
        signal,
      });
      if (run.outcome === 'aborted') throw new Error('runner aborted');
      const text = await readUntrusted(join(dir, 'result.txt'), { maxBytes: 1 << 20 });
      const report = parseRunnerResult('data' in text ? text.data.toString('utf8') : '');
      const outputs = new Map<string, Float32Array>();
      if (report.done) {
        const names = [...Array.from({ length: ctx.settings.run.trials }, (_, t) => `trial${t}`), 'timed'];
        const bufs = bufferArgs(problem);
        for (const name of names) {
          for (let i = 0; i < bufs.length; i++) {
            if (bufs[i].role !== 'output') continue;
            const bytes = elementCount(problem, bufs[i].count) * 4;
            const file = await readUntrusted(join(dir, `${name}_${i}.bin`), { maxBytes: bytes, exactBytes: bytes });
            if ('problem' in file) throw new Error(`the runner's output ${name}_${i}.bin is ${file.problem}`);
            const copy = new Uint8Array(file.data).buffer; // aligned copy for the float view
            outputs.set(`${name}_${i}`, new Float32Array(copy));
          }
        }
        for (let i = 0; i < bufs.length; i++) {
          if (bufs[i].role !== 'output' || sample.count === 0) continue;
          const bytes = (ctx.settings.run.warmup + ctx.settings.run.iters) * sample.count * 4;
          const file = await readUntrusted(join(dir, `samples_${i}.bin`), { maxBytes: bytes, exactBytes: bytes });
          if ('problem' in file) throw new Error(`the runner's samples_${i}.bin is ${file.problem}`);
          outputs.set(`samples_${i}`, new Float32Array(new Uint8Array(file.data).buffer));
        }
      }
      return { run, report, outputs };
    },
    owner,
  );
}
