/**
 * `real:kernel-eval`: the real CUDA kernel evaluator (harness/tools/kernel-eval/), called in-process; each
 * call compiles with nvcc and, on a machine with a GPU, runs and times the candidate.
 *
 * Options (all optional): problems (folder of problem folders, relative to the suite file; default
 * datasets/kernels/problems), arch (nvcc -arch; default from the GPU, else sm_80), compile_timeout_ms,
 * run_timeout_ms, trials, warmup, iters, seed, max_parallel_compiles, python (for KernelBench problems),
 * unsafe_no_sandbox (true: run candidates even where bubblewrap cannot contain them; otherwise the target is
 * unavailable there and says why; also `gtm-bench run --unsafe-no-sandbox` or GTM_BENCH_UNSAFE_NO_SANDBOX=1).
 * Every record's backend names the containment that was in force.
 */
import { dirname, join, resolve } from 'node:path';
import { HARNESS_ROOT } from '../records/manifest.js';
import type { RegisteredTargetSpec, TargetSpec } from '../suite/types.js';
import { KernelEvaluator } from '../tools/kernel-eval/evaluate.js';
import { DEFAULT_SETTINGS, type KernelEvalSettings } from '../tools/kernel-eval/settings.js';
import { probeKernelBench, type KernelBenchRuntime } from '../tools/kernel-eval/kernelbench.js';
import { loadProblems } from '../tools/kernel-eval/problem.js';
import { UserError } from '../util/errors.js';
import { createLocalTarget } from './local-target.js';
import type { TargetFactoryContext } from './registry.js';
import { INT_OPTIONS, KERNEL_EVAL_OPTIONS } from './real-kernel-eval-options.js';
import type { Target } from './types.js';

export const KERNEL_EVAL_TOOL = 'kernel_eval';
export const DEFAULT_PROBLEMS_DIR = join(HARNESS_ROOT, 'datasets', 'kernels', 'problems');

const KNOWN_OPTIONS = new Set<string>(Object.keys(KERNEL_EVAL_OPTIONS.properties));

function optionError(spec: TargetSpec, key: string, expected: string, found: unknown): UserError {
  return new UserError(`target ${spec.name} (${spec.kind}): option ${key}: expected ${expected}, found ${JSON.stringify(found)}`);
}

function readOptions(spec: RegisteredTargetSpec) {
  const o = spec.options;
  for (const key of Object.keys(o)) {
    if (!KNOWN_OPTIONS.has(key)) throw optionError(spec, key, `one of ${[...KNOWN_OPTIONS].join(', ')}`, key);
  }
  const ints: Partial<Record<(typeof INT_OPTIONS)[number], number>> = {};
  for (const key of INT_OPTIONS) {
    if (o[key] === undefined) continue;
    const v = o[key];
    const min = key === 'warmup' || key === 'seed' ? 0 : 1;
    if (!Number.isInteger(v) || (v as number) < min) throw optionError(spec, key, `an integer >= ${min}`, v);
    ints[key] = v as number;
  }
  for (const key of ['problems', 'arch', 'python'] as const) {
    if (o[key] !== undefined && (typeof o[key] !== 'string' || !o[key])) throw optionError(spec, key, 'a non-empty string', o[key]);
  }
  if (o.arch !== undefined && !/^(sm|compute)_\d+[a-z]?$/.test(o.arch as string)) throw optionError(spec, 'arch', 'an nvcc architecture such as sm_80', o.arch);
  if (o.unsafe_no_sandbox !== undefined && typeof o.unsafe_no_sandbox !== 'boolean')
    throw optionError(spec, 'unsafe_no_sandbox', 'true or false', o.unsafe_no_sandbox);
  const settings: Partial<KernelEvalSettings> = {
    ...(ints.compile_timeout_ms ? { compile_timeout_ms: ints.compile_timeout_ms } : {}),
    ...(ints.run_timeout_ms ? { run_timeout_ms: ints.run_timeout_ms } : {}),
    ...(ints.max_parallel_compiles ? { max_parallel_compiles: ints.max_parallel_compiles } : {}),
    run: {
      seed: ints.seed ?? DEFAULT_SETTINGS.run.seed,
      trials: ints.trials ?? DEFAULT_SETTINGS.run.trials,
      warmup: ints.warmup ?? DEFAULT_SETTINGS.run.warmup,
      iters: ints.iters ?? DEFAULT_SETTINGS.run.iters,
    },
  };
  return {
    settings,
    problems: o.problems as string | undefined,
    arch: o.arch as string | undefined,
    python: (o.python as string | undefined) ?? 'python3',
    unsafe: o.unsafe_no_sandbox === true,
  };
}

export async function createKernelEvalTool(spec: TargetSpec, ctx: TargetFactoryContext): Promise<Target> {
  const opts = readOptions(spec as RegisteredTargetSpec);
  const problemsDir = opts.problems ? resolve(dirname(ctx.suite.file), opts.problems) : DEFAULT_PROBLEMS_DIR;
  const problems = loadProblems(problemsDir);
  // KernelBench problems need torch; probe only when the suite's calls include one.
  const needsTorch = ctx.suite.calls.some((c) => problems.get(String(c.arguments.problem_id))?.format === 'kernelbench');
  let kernelbench: KernelBenchRuntime | undefined;
  let unavailable: string | undefined;
  if (needsTorch) {
    const probe = await probeKernelBench(opts.python);
    kernelbench = probe.runtime;
    unavailable = probe.reason;
  }
  // The target option, or `gtm-bench run --unsafe-no-sandbox` (which sets the variable for every command).
  const allowUnsafe = opts.unsafe || ctx.env.GTM_BENCH_UNSAFE_NO_SANDBOX === '1';
  const evaluator = await KernelEvaluator.create(problems, { settings: opts.settings, arch: opts.arch, kernelbench, allowUnsafe });
  const env = evaluator.env;
  if (!env.nvcc_version && !needsTorch) unavailable = `the kernel evaluator needs nvcc: ${env.nvcc_missing_reason}`;
  unavailable ??= evaluator.refusal ?? undefined;
  const where = env.gpu ? `${env.gpu.name}, driver ${env.gpu.driver_version}` : 'no GPU: compile only';
  const target = createLocalTarget({
    name: spec.name,
    kind: spec.kind,
    backend: `real:kernel-eval (${env.nvcc_version ?? 'no nvcc'}, -arch=${env.arch}, ${where}; sandbox: ${evaluator.containmentLine})`,
    describe: {
      problems: problemsDir.startsWith(HARNESS_ROOT) ? problemsDir.slice(HARNESS_ROOT.length + 1) : problemsDir,
      problem_count: problems.size,
      environment: env,
      containment: { ...evaluator.containment, line: evaluator.containmentLine },
      settings: evaluator.settings,
      ...(kernelbench ? { kernelbench } : {}),
    },
    answer: ({ tool, call, signal }) => {
      if (tool.name !== KERNEL_EVAL_TOOL) throw new Error(`real:kernel-eval implements ${KERNEL_EVAL_TOOL}, not ${tool.name}`);
      return evaluator.call(call.arguments, signal);
    },
  });
  return unavailable ? { ...target, unavailable } : target;
}
