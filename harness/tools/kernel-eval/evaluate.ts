/**
 * The real kernel evaluator: given a problem id and a candidate's source, compile it with nvcc together with
 * the reference and a generated harness, run it on the GPU when there is one, and report the result. Every
 * step runs in the sandbox (own process group and temp dir, time and output limits). Compiles may run in
 * parallel; runs on the GPU are one at a time, because concurrent kernels would distort each other's timing.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describeContainment, probeContainment, refusal as containmentRefusal, type Containment } from './containment.js';
import { kernelEnvironment, type KernelEnvironment } from './environment.js';
import { compileJail, gpuJail, sandboxEnv } from './jails.js';
import { harnessSource, HARNESS_EXIT, type HarnessRunParams } from './harness-source.js';
import { evaluateKernelBench, type KernelBenchRuntime } from './kernelbench.js';
import type { KernelProblem } from './problem.js';
import { cleanCompileLog, fromCompile, fromRun, rejected, type KernelEvalResult } from './result.js';
import { runSandboxed, withTempDir, type SandboxLimits } from './sandbox.js';

export interface KernelEvalSettings {
  compile_timeout_ms: number;
  run_timeout_ms: number;
  /** Output kept from the compiler and from a run; more gets the process killed. */
  compile_output_bytes: number;
  run_output_bytes: number;
  run: HarnessRunParams;
  /** Extra nvcc flags after the evaluator's own (-O3 -std=c++17 -arch=...). */
  nvcc_flags: string[];
  /** Largest candidate accepted, in bytes. */
  max_source_bytes: number;
  /** nvcc processes at once, whatever the target's concurrency (each one wants a core and ~0.5 GB). */
  max_parallel_compiles: number;
  /** Address space of each compiler process (a template bomb fails its allocations here instead of taking the machine). */
  compile_memory_bytes: number;
  /** Processes the sandboxed uid may have (a fork bomb stops here; the pid namespace ends them all). */
  max_processes: number;
}

/**
 * Defaults after KernelBench's evaluator (several correctness trials on fresh random inputs, CUDA-event
 * timing after warm-up): 3 trials, 5 warm-ups, median of 21 timed runs.
 */
export const DEFAULT_SETTINGS: KernelEvalSettings = {
  compile_timeout_ms: 120_000,
  run_timeout_ms: 30_000,
  compile_output_bytes: 256 * 1024,
  run_output_bytes: 1024 * 1024,
  run: { seed: 20251204, trials: 3, warmup: 5, iters: 21 },
  nvcc_flags: [],
  max_source_bytes: 256 * 1024,
  max_parallel_compiles: Math.max(1, availableParallelism()),
  compile_memory_bytes: 4 * 1024 ** 3,
  max_processes: 128,
};

/** What an evaluation cost, for the recording script and the bench; not part of the tool's answer. */
export interface KernelEvalStats {
  compile_ms: number | null;
  run_ms: number | null;
  total_ms: number;
}

export interface ToolError {
  error: { code: 'NOT_FOUND' | 'INVALID_ARGUMENT'; message: string };
}

/** Names the harness uses; a candidate mentioning them is reaching into the harness rather than solving the problem. */
const RESERVED = /\bgtm_(ref|harness)\b|@@GTM/;

/**
 * An #include of an absolute or parent-relative path, or the assembler's .incbin: the plain forms of reading
 * a host file into the build. Refused with a clear reason; the forms this cannot see (a computed include, a
 * split directive) find nothing, because the compile sandbox shows only the toolchain.
 */
const HOST_FILE = /^[ \t]*#[ \t]*include[ \t]*["<][ \t]*(\/|[^">\n]*\.\.\/)[^">\n]*[">]|\.incbin\b/m;

/** At most `limit` tasks at a time, in arrival order. */
class Slots {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

export class KernelEvaluator {
  /** One GPU, one run at a time. */
  private readonly gpu = new Slots(1);
  private readonly compiles: Slots;

  constructor(
    readonly problems: Map<string, KernelProblem>,
    readonly env: KernelEnvironment,
    readonly settings: KernelEvalSettings = DEFAULT_SETTINGS,
    readonly kernelbench?: KernelBenchRuntime,
    /** The containment candidates run under; `none` only with allowUnsafe (--unsafe-no-sandbox). */
    readonly containment: Containment = { kind: 'none', reason: 'not probed' },
    readonly allowUnsafe = false,
  ) {
    this.compiles = new Slots(settings.max_parallel_compiles);
  }

  static async create(
    problems: Map<string, KernelProblem>,
    opts: { settings?: Partial<KernelEvalSettings>; arch?: string; kernelbench?: KernelBenchRuntime; allowUnsafe?: boolean } = {},
  ): Promise<KernelEvaluator> {
    const [env, containment] = await Promise.all([kernelEnvironment(opts.arch), probeContainment()]);
    return new KernelEvaluator(problems, env, { ...DEFAULT_SETTINGS, ...opts.settings }, opts.kernelbench, containment, opts.allowUnsafe ?? false);
  }

  /** Why candidates will not be run here (no sandbox and no --unsafe-no-sandbox), or null. */
  get refusal(): string | null {
    return containmentRefusal(this.containment, this.allowUnsafe);
  }

  /** Which containment is in force, in one line for records and reports. */
  get containmentLine(): string {
    return describeContainment(this.containment);
  }

  /** Checks the arguments as the real service would, then evaluates. */
  async call(args: Record<string, unknown>, signal?: AbortSignal): Promise<KernelEvalResult | ToolError> {
    const { problem_id, source } = args;
    if (typeof problem_id !== 'string') return { error: { code: 'INVALID_ARGUMENT', message: 'problem_id must be a string' } };
    if (typeof source !== 'string') return { error: { code: 'INVALID_ARGUMENT', message: 'source must be a string' } };
    const problem = this.problems.get(problem_id);
    if (!problem) return { error: { code: 'NOT_FOUND', message: `no kernel problem ${problem_id}` } };
    return (await this.evaluate(problem, source, signal)).result;
  }

  async evaluate(problem: KernelProblem, source: string, signal?: AbortSignal): Promise<{ result: KernelEvalResult; stats: KernelEvalStats }> {
    const start = performance.now();
    const refused = this.refusal;
    if (refused) throw new Error(refused);
    if (problem.format === 'kernelbench') {
      if (!this.kernelbench) throw new Error(`problem ${problem.id} is a KernelBench problem and no python3 with torch was configured`);
      const result = await evaluateKernelBench(problem, source, this.kernelbench, this.settings, this.gpu.run.bind(this.gpu), { containment: this.containment, env: this.env }, signal);
      return { result, stats: { compile_ms: null, run_ms: null, total_ms: performance.now() - start } };
    }
    if (!this.env.nvcc_version) throw new Error(`cannot compile: ${this.env.nvcc_missing_reason ?? 'nvcc not found'}`);
    const refusal = this.refuse(source);
    if (refusal) return { result: rejected(refusal), stats: { compile_ms: null, run_ms: null, total_ms: performance.now() - start } };
    return withTempDir('gtm-kernel-', async (dir) => {
      const env = sandboxEnv(dir, this.env);
      await Promise.all([
        writeFile(join(dir, 'harness.cu'), harnessSource(problem)),
        writeFile(join(dir, 'reference.cu'), problem.reference_source),
        writeFile(join(dir, 'candidate.cu'), source),
      ]);
      const compileLimits: SandboxLimits = {
        timeout_ms: this.settings.compile_timeout_ms,
        max_output_bytes: this.settings.compile_output_bytes,
        max_memory_bytes: this.settings.compile_memory_bytes,
        max_processes: this.settings.max_processes,
      };
      const nvccArgs = ['-O3', '-std=c++17', `-arch=${this.env.arch}`, ...this.settings.nvcc_flags, '-o', 'eval', 'harness.cu'];
      const jail = compileJail(this.containment, this.env, dir);
      const compile = await this.compiles.run(() => runSandboxed({ command: 'nvcc', args: nvccArgs, cwd: dir, env, jail, limits: compileLimits, signal }));
      // Stopped from outside (Ctrl-C) or never started: no verdict on the candidate.
      if (compile.outcome === 'aborted' || compile.outcome === 'spawn_error') throw new Error(`compile ${compile.outcome}${compile.message ? `: ${compile.message}` : ''}`);
      const log = cleanCompileLog(compile.stdout + compile.stderr, dir);
      const compile_ms = compile.wall_ms;
      const failed = fromCompile(compile, log, this.settings.compile_timeout_ms);
      if (failed) return { result: failed, stats: { compile_ms, run_ms: null, total_ms: performance.now() - start } };
      if (!this.env.gpu) {
        const result: KernelEvalResult = { compiled: true, compile_log: log, ran: false, error: null, outcome: 'not_run', not_run_reason: this.env.no_gpu_reason ?? 'no GPU' };
        return { result, stats: { compile_ms, run_ms: null, total_ms: performance.now() - start } };
      }
      const { result, run_ms } = await this.gpu.run(() => this.runHarness(dir, env, log, signal));
      return { result, stats: { compile_ms, run_ms, total_ms: performance.now() - start } };
    }, this.containment.kind === 'bubblewrap' ? this.containment.uid : undefined);
  }

  /** Runs a compiled harness binary in `dir`. Public for tests of the run path on machines without a GPU. */
  async runHarness(dir: string, env: Record<string, string | undefined>, log: string, signal?: AbortSignal): Promise<{ result: KernelEvalResult; run_ms: number }> {
    const nonce = randomBytes(16).toString('hex');
    const { seed, trials, warmup, iters } = this.settings.run;
    const run = await runSandboxed({
      command: join(dir, 'eval'),
      args: [String(seed), String(trials), String(warmup), String(iters)],
      cwd: dir,
      env,
      jail: gpuJail(this.containment, this.env, dir),
      stdin: nonce + '\n',
      limits: { timeout_ms: this.settings.run_timeout_ms, max_output_bytes: this.settings.run_output_bytes, max_processes: this.settings.max_processes },
      signal,
    });
    if (run.outcome === 'exited' && run.exit_code === HARNESS_EXIT.bad_invocation) {
      throw new Error('the harness binary rejected its arguments (evaluator bug)');
    }
    return { result: fromRun(run, nonce, log, this.settings.run_timeout_ms), run_ms: run.wall_ms };
  }

  private refuse(source: string): string | null {
    if (Buffer.byteLength(source) > this.settings.max_source_bytes) return `source is over ${this.settings.max_source_bytes} bytes`;
    if (!source.trim()) return 'source is empty';
    const reserved = RESERVED.exec(source);
    if (reserved) return `source mentions ${reserved[0]}, a name reserved for the evaluation harness`;
    const hostFile = HOST_FILE.exec(source);
    if (hostFile) return `source reads a host file (${hostFile[0].trim().slice(0, 80)}); only the toolchain's headers may be included`;
    return null;
  }
}
