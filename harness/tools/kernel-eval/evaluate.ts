/**
 * The real kernel evaluator (issue 16: a verdict the candidate cannot forge). For a `cuda` problem:
 *   build (build.ts)     nvcc compiles the candidate in the sandbox; its host code runs only in the launch
 *                        recorder, without a GPU, which writes down what it launches (launch-plan.ts);
 *   run (device-run.ts)  on a GPU, the trusted runner replays that plan from the candidate's device code in
 *                        its own sandboxed process, then the reference's in another: no candidate host code
 *                        exists where the time is taken, and the reference's outputs never exist where the
 *                        candidate's device code runs;
 *   check (compare.ts, verdict.ts)  outputs compared here, inputs checked unchanged, time checked against
 *                        the memory roofline.
 * Every step is contained (containment.ts; refused without a sandbox unless --unsafe-no-sandbox). Compiles
 * may run in parallel; GPU runs are one at a time, because concurrent kernels would distort the timing.
 * KernelBench-format problems (kernelbench.ts) still run candidate Python in the process that checks and
 * times: contained, but their verdict is forgeable, and that is said in every such result.
 */
import { randomBytes } from 'node:crypto';
import { describeContainment, probeContainment, refusal as containmentRefusal, type Containment } from './containment.js';
import { kernelEnvironment, type KernelEnvironment } from './environment.js';
import { evaluateKernelBench, type KernelBenchRuntime } from './kernelbench.js';
import type { KernelProblem } from './problem.js';
import { buildSource, type BuildContext, type Built } from './build.js';
import { compareOutputs, mergeComparisons } from './compare.js';
import { runOnDevice } from './device-run.js';
import { bufferArgs, elementCount, nativeTools, type NativeTools } from './native.js';
import { HarnessProblemError, rejected, type KernelEvalResult } from './result.js';
import { fromCandidateRun, fromCheck } from './verdict.js';
import { DEFAULT_SETTINGS, type KernelEvalSettings } from './settings.js';

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
const RESERVED = /\bgtm_\w+|@@GTM/;

/**
 * An #include of an absolute or parent-relative path, or the assembler's .incbin: the plain forms of reading
 * a host file into the build. Refused with a clear reason; the forms this cannot see (a computed include, a
 * split directive) find nothing, because the compile sandbox shows only the toolchain.
 */
const HOST_FILE = /^[ \t]*#[ \t]*include[ \t]*["<][ \t]*(\/|[^">\n]*\.\.\/)[^">\n]*[">]|\.incbin\b/m;

/** Output elements sampled after every timed run (and compared with the reference's at the same places). */
const SAMPLE_COUNT = 4096;

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
      const result = await evaluateKernelBench(
        problem,
        source,
        this.kernelbench,
        this.settings,
        this.gpu.run.bind(this.gpu),
        { containment: this.containment, env: this.env },
        signal,
      );
      return { result, stats: { compile_ms: null, run_ms: null, total_ms: performance.now() - start } };
    }
    if (!this.env.nvcc_version) throw new Error(`cannot compile: ${this.env.nvcc_missing_reason ?? 'nvcc not found'}`);
    const refusal = this.refuse(source);
    if (refusal) return { result: rejected(refusal), stats: { compile_ms: null, run_ms: null, total_ms: performance.now() - start } };
    const stats = (compile_ms: number | null, run_ms: number | null) => ({ compile_ms, run_ms, total_ms: performance.now() - start });

    const ctx = await this.buildContext();
    const outcome = await buildSource(ctx, problem, source, signal);
    if ('result' in outcome) return { result: outcome.result, stats: stats(outcome.compile_ms, null) };
    const built = outcome.built;
    const base = { compiled: true, compile_log: built.compile_log } as const;
    if (!this.env.gpu) {
      // Compiled, and its host code recorded a valid plan: everything short of the GPU was done for real.
      return {
        result: { ...base, ran: false, error: null, outcome: 'not_run', not_run_reason: this.env.no_gpu_reason ?? 'no GPU' },
        stats: stats(built.compile_ms, null),
      };
    }
    const reference = await this.referenceBuild(problem, ctx);
    const { result, run_ms } = await this.gpu.run(() => this.runAndCheck(problem, built, reference, ctx.tools, signal));
    return { result, stats: stats(built.compile_ms, run_ms) };
  }

  private contextPromise?: Promise<BuildContext>;
  /** The native tools are built on first use (a few seconds, then cached on disk). */
  private buildContext(): Promise<BuildContext> {
    this.contextPromise ??= nativeTools(this.env).then((tools) => ({
      env: this.env,
      containment: this.containment,
      settings: this.settings,
      tools,
      compileSlot: this.compiles.run.bind(this.compiles),
    }));
    return this.contextPromise;
  }

  private readonly references = new Map<string, Promise<Built>>();
  /** The reference goes through the same build as a candidate (once per problem); it must succeed. */
  private referenceBuild(problem: KernelProblem, ctx: BuildContext): Promise<Built> {
    let p = this.references.get(problem.id);
    if (!p) {
      p = buildSource(ctx, problem, problem.reference_source).then((o) => {
        if ('result' in o) throw new HarnessProblemError(`the reference of ${problem.id} did not build: ${o.result.error}`);
        return o.built;
      });
      p.catch(() => this.references.delete(problem.id));
      this.references.set(problem.id, p);
    }
    return p;
  }

  /**
   * Candidate first, then reference, each in its own runner process on the same generated inputs (a fresh
   * random seed per evaluation, so nothing left in GPU memory by an earlier evaluation matches); outputs
   * compared here.
   */
  private async runAndCheck(
    problem: KernelProblem,
    built: Built,
    reference: Built,
    tools: NativeTools,
    signal?: AbortSignal,
  ): Promise<{ result: KernelEvalResult; run_ms: number }> {
    const seed = BigInt(this.settings.run.seed) ^ randomBytes(8).readBigUInt64LE();
    // Where every timed run's outputs are sampled: drawn here, independent of the seed, known to the runners only.
    const sample = { key: randomBytes(8).readBigUInt64LE(), count: SAMPLE_COUNT };
    const runCtx = { env: this.env, containment: this.containment, tools, settings: this.settings };
    const base = { compiled: true, compile_log: built.compile_log } as const;
    const cand = await runOnDevice(runCtx, problem, built, seed, sample, signal);
    const early = fromCandidateRun(base, cand.run, cand.report, this.settings.run_timeout_ms);
    if (early) return { result: early, run_ms: cand.run.wall_ms };
    const ref = await runOnDevice(runCtx, problem, reference, seed, sample, signal);
    if (!ref.report.done || ref.report.error || ref.report.inputs_modified.length) {
      throw new HarnessProblemError(
        `the reference of ${problem.id} failed on the GPU: ${ref.report.error?.message ?? ref.report.no_device ?? `runner ${ref.run.outcome}`}`,
      );
    }
    const parts = [...ref.outputs].map(([name, expected]) => compareOutputs(cand.outputs.get(name) ?? new Float32Array(0), expected, problem.tolerance));
    const bytes = bufferArgs(problem).reduce((n, b) => n + elementCount(problem, b.count) * 4, 0);
    const result = fromCheck(base, {
      comparison: mergeComparisons(parts),
      candidate: cand.report,
      reference: ref.report,
      bytes,
      reward_suspicious: this.settings.reward_suspicious,
    });
    return { result, run_ms: cand.run.wall_ms };
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
