/**
 * Builds a `cuda` source (a candidate's, or a problem's reference through the same path) into what the
 * trusted runner replays: its device code (the fatbin nvcc embeds) and its launch plan. Two sandboxed steps
 * in one private folder:
 *   1. nvcc compiles the source and links its host code with the launch recorder (in place of the CUDA
 *      runtime) and the problem's recorder main; --keep leaves the PTX (kernel parameter sizes) and the
 *      fatbin, which are read back before anything of the candidate runs;
 *   2. the recorder runs, without a GPU: the candidate's host code executes here and only here, and what it
 *      asked for is written down (launch-plan.ts checks it).
 */
import { chown, copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Containment } from './containment.js';
import type { KernelEnvironment } from './environment.js';
import { compileJail, sandboxEnv } from './jails.js';
import { paramsFile, parsePlan, PlanError, ptxEntries, type LaunchPlan } from './launch-plan.js';
import { bufferArgs, elementCount, recorderMain, type NativeTools } from './native.js';
import type { KernelProblem } from './problem.js';
import { cleanCompileLog, fromCompile, type KernelEvalResult } from './result.js';
import { runSandboxed, withTempDir, type SandboxLimits } from './sandbox.js';
import { readUntrusted } from './untrusted-file.js';
import { fromRecording } from './verdict.js';

export interface BuildSettings {
  compile_timeout_ms: number;
  compile_output_bytes: number;
  compile_memory_bytes: number;
  record_timeout_ms: number;
  max_processes: number;
  nvcc_flags: string[];
}

export interface BuildContext {
  env: KernelEnvironment;
  containment: Containment;
  settings: BuildSettings;
  tools: NativeTools;
  /** Runs nvcc under the evaluator's limit on parallel compiles. */
  compileSlot: <T>(fn: () => Promise<T>) => Promise<T>;
}

export interface Built {
  plan: LaunchPlan;
  /** The fatbin nvcc built from the source's device code. */
  module: Buffer;
  compile_log: string;
  compile_ms: number;
  record_ms: number;
}

export type BuildOutcome = { built: Built } | { result: KernelEvalResult; compile_ms: number | null };

/** The CUDA runtime functions the recorder provides; a link error naming another one is explained. */
const RECORDED_API =
  'cudaMalloc, cudaFree, cudaMemset(Async), cudaMemcpy(Async) to or within the device, cudaFuncSetAttribute, streams, events, cudaGetLastError, cudaDeviceSynchronize';

function linkHint(log: string): string | null {
  const m = /undefined reference to `([A-Za-z_]\w*)/.exec(log);
  if (!m) return null;
  if (/^cuda|^__cuda/.test(m[1])) return `uses ${m[1]}, which the evaluator does not replay (host code may use: ${RECORDED_API})`;
  return `links against ${m[1]}, which is not available (only the C++ standard library and the recorded CUDA runtime calls are)`;
}

export async function buildSource(ctx: BuildContext, problem: KernelProblem, source: string, signal?: AbortSignal): Promise<BuildOutcome> {
  const main = await recorderMain(problem, ctx.tools, ctx.env);
  const owner = ctx.containment.kind === 'bubblewrap' ? ctx.containment.uid : undefined;
  return withTempDir(
    'gtm-kernel-',
    async (dir) => {
      const env = sandboxEnv(dir, ctx.env);
      const jail = compileJail(ctx.containment, ctx.env, dir);
      await mkdir(join(dir, 'keep'));
      if (owner !== undefined && process.getuid?.() === 0) await chown(join(dir, 'keep'), owner, owner);
      await Promise.all([
        writeFile(join(dir, 'candidate.cu'), source),
        copyFile(main, join(dir, 'recorder-main.o')),
        copyFile(ctx.tools.recorder, join(dir, 'launch-recorder.o')),
      ]);
      const limits: SandboxLimits = {
        timeout_ms: ctx.settings.compile_timeout_ms,
        max_output_bytes: ctx.settings.compile_output_bytes,
        max_memory_bytes: ctx.settings.compile_memory_bytes,
        max_processes: ctx.settings.max_processes,
      };
      const args = [
        '-O3',
        '-std=c++17',
        `-arch=${ctx.env.arch}`,
        ...ctx.settings.nvcc_flags,
        '--keep',
        '--keep-dir',
        'keep',
        '-cudart',
        'none',
        '-o',
        'record',
        'candidate.cu',
        'recorder-main.o',
        'launch-recorder.o',
        '-lpthread',
      ];
      const compile = await ctx.compileSlot(() => runSandboxed({ command: 'nvcc', args, cwd: dir, env, jail, limits, signal }));
      // Stopped from outside (Ctrl-C) or never started: no verdict on the candidate.
      if (compile.outcome === 'aborted' || compile.outcome === 'spawn_error')
        throw new Error(`compile ${compile.outcome}${compile.message ? `: ${compile.message}` : ''}`);
      const log = cleanCompileLog(compile.stdout + compile.stderr, dir);
      const compile_ms = compile.wall_ms;
      const failed = fromCompile(compile, log, ctx.settings.compile_timeout_ms);
      if (failed) {
        const hint = linkHint(log);
        return { result: hint ? { ...failed, error: `link failed: the candidate ${hint}` } : failed, compile_ms };
      }
      const [ptx, module] = await Promise.all([
        readUntrusted(join(dir, 'keep', 'candidate.ptx'), { maxBytes: 64 << 20 }),
        readUntrusted(join(dir, 'keep', 'candidate.fatbin'), { maxBytes: 256 << 20 }),
      ]);
      if ('problem' in ptx || 'problem' in module)
        throw new Error(`nvcc left no PTX or fatbin (${'problem' in ptx ? ptx.problem : ''} ${'problem' in module ? module.problem : ''})`);
      const entries = ptxEntries(ptx.data.toString('utf8'));
      await writeFile(join(dir, 'params.txt'), paramsFile(entries));

      const record = await runSandboxed({
        command: './record',
        args: ['params.txt', 'plan.txt'],
        cwd: dir,
        env,
        jail,
        limits: {
          timeout_ms: ctx.settings.record_timeout_ms,
          max_output_bytes: 64 * 1024,
          max_memory_bytes: 2 * 1024 ** 3,
          max_processes: ctx.settings.max_processes,
        },
        signal,
      });
      if (record.outcome === 'aborted' || record.outcome === 'spawn_error')
        throw new Error(`launch recorder ${record.outcome}${record.message ? `: ${record.message}` : ''}`);
      const base = { compiled: true, compile_log: log } as const;
      if (record.outcome !== 'exited' || record.exit_code !== 0)
        return { result: fromRecording(base, record, ctx.settings.record_timeout_ms, null), compile_ms };
      const text = await readUntrusted(join(dir, 'plan.txt'), { maxBytes: 64 << 20 });
      if ('problem' in text)
        return {
          result: fromRecording(
            base,
            record,
            ctx.settings.record_timeout_ms,
            `the host code ended the process before its launches were recorded (the launch plan is ${text.problem})`,
          ),
          compile_ms,
        };
      const buffers = bufferArgs(problem).map((b) => elementCount(problem, b.count) * 4);
      try {
        const plan = parsePlan(text.data.toString('utf8'), buffers, entries);
        return { built: { plan, module: module.data, compile_log: log, compile_ms, record_ms: record.wall_ms } };
      } catch (err) {
        if (!(err instanceof PlanError)) throw err;
        return { result: fromRecording(base, record, ctx.settings.record_timeout_ms, err.message), compile_ms };
      }
    },
    owner,
  );
}
