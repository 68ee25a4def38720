/**
 * `gtm-bench import kernelbench RUN_DIR`: a KernelBench run folder (kernelbench-run.ts) as a recorded dataset
 * in gtm-bench's kernel_eval schema (suites/tools/kernel_eval.yaml), plus KernelBench's own figures over the
 * problem set (fast_p, fast-p.ts).
 *
 * KernelBench's classification is kept, never re-judged: `compiled` and `correct` are its `compiled` and
 * `correctness` (an illegal memory access that surfaced while loading the module is filed by KernelBench as
 * compiled=false, and stays so; the row says so). What gtm-bench's schema has and KernelBench's record lacks is
 * derived, and each row says from what (`gold.derived`):
 *   ran      compiled=true (KernelBench runs every candidate it builds; it has no "not run" outcome)
 *   outcome  compiled=false -> compile_error; correctness=true -> correct; metadata.runtime_error -> runtime_error;
 *            otherwise wrong (metadata.correctness_issue when present)
 * runtime_ms is KernelBench's `runtime` (its mean over runtime_stats.num_trials runs, ms) when it timed the
 * candidate; reference_ms and speedup only when a baseline-times file gives the problem's mean. Nothing else is
 * filled in: no compile_log (KernelBench keeps none), no max_abs_error.
 */
import { fastP, KERNELBENCH_P_VALUES, type FastCandidate, type FastPFigure } from '../../scoring/fast-p.js';
import { kernelSource, type KernelBenchBaseline, type KernelBenchEntry } from './kernelbench-run.js';

export interface ImportedRow {
  id: string;
  tool: 'kernel_eval';
  arguments: { problem_id: string; source: string };
  reference: Record<string, unknown>;
  tags: string[];
  gold: Record<string, unknown>;
}

const text = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() ? v : v !== undefined && v !== null && typeof v !== 'object' ? String(v) : undefined;
const CUDA_FAULT = /illegal memory access|misaligned address|device-side assert|unspecified launch failure|CUDA error/i;

export const problemIdOf = (level: number, problem: number) => `level${level}_problem_${problem}`;

/** One KernelBench evaluation in gtm-bench's kernel_eval response schema, and where each derived field came from. */
export function toKernelEvalResult(e: KernelBenchEntry, referenceMs?: number): { result: Record<string, unknown>; derived: Record<string, string> } {
  const m = e.metadata;
  if (!e.compiled) {
    const message = text(m.compilation_error) ?? text(m.compilation_error_name);
    const fault = message !== undefined && CUDA_FAULT.test(message);
    return {
      result: { compiled: false, ran: false, error: message ?? 'KernelBench: compiled=false (no message kept)', outcome: 'compile_error' },
      derived: {
        ran: 'compiled=false: nothing ran',
        outcome: `compiled=false${fault ? '; the message is a CUDA runtime fault, which KernelBench files as a build failure (kept as it filed it)' : ''}`,
      },
    };
  }
  const derived: Record<string, string> = { ran: 'compiled=true: KernelBench runs every candidate it builds' };
  const base = { compiled: true, ran: true, correct: e.correctness };
  if (e.correctness) {
    const timed = e.runtime > 0;
    derived.outcome = 'correctness=true';
    if (timed) derived.runtime_ms = 'runtime (KernelBench: mean over runtime_stats.num_trials runs)';
    const speedup = timed && referenceMs !== undefined ? { reference_ms: referenceMs, speedup: referenceMs / e.runtime } : {};
    if (speedup.speedup !== undefined) derived.speedup = 'baseline mean / runtime';
    return { result: { ...base, ...(timed ? { runtime_ms: e.runtime } : {}), ...speedup, error: null, outcome: 'correct' }, derived };
  }
  const runtimeError = text(m.runtime_error) ?? text(m.runtime_error_name);
  if (runtimeError !== undefined) {
    derived.outcome = 'metadata.runtime_error';
    return { result: { ...base, error: runtimeError, outcome: 'runtime_error' }, derived };
  }
  const issue = text(m.correctness_issue);
  derived.outcome = issue !== undefined ? 'metadata.correctness_issue' : 'correctness=false with no runtime error: wrong output';
  return { result: { ...base, error: issue ?? 'KernelBench: correctness=false', outcome: 'wrong' }, derived };
}

export interface ImportSummary {
  level: number;
  /** Where the problem set came from. */
  problem_set: string;
  problems: number;
  evaluations: number;
  problems_evaluated: number;
  problems_missing: number[];
  rows: number;
  rows_without_source: number;
  /** fast_p over the set, on sample 0 of each problem (KernelBench's own analysis takes sample 0 only). */
  fast_p: FastPFigure[];
  baseline?: string;
}

export interface ImportInput {
  runDir: string;
  level: number;
  entries: KernelBenchEntry[];
  baseline?: KernelBenchBaseline;
  /** Problem ids of the set when no baseline names them (e.g. 1..100 for level 1). */
  problemIds?: number[];
}

export function importKernelBench(input: ImportInput): { rows: ImportedRow[]; summary: ImportSummary } {
  const { runDir, level, entries, baseline } = input;
  const rows: ImportedRow[] = [];
  let withoutSource = 0;
  for (const e of entries) {
    const ref = baseline?.problems.get(e.problem);
    const { result, derived } = toKernelEvalResult(e, ref?.mean_ms);
    const source = kernelSource(runDir, level, e.problem, e.sample_id);
    if (source === undefined || source.trim() === '') {
      withoutSource++;
      continue;
    }
    rows.push({
      id: `${problemIdOf(level, e.problem)}.sample_${e.sample_id}`,
      tool: 'kernel_eval',
      arguments: { problem_id: problemIdOf(level, e.problem), source },
      reference: result,
      tags: ['source:kernelbench', `level:${level}`, `outcome:${result.outcome as string}`],
      gold: {
        kernelbench: {
          problem_id: e.problem,
          sample_id: e.sample_id,
          compiled: e.compiled,
          correctness: e.correctness,
          runtime: e.runtime,
          runtime_stats: e.runtime_stats,
          metadata: e.metadata,
        },
        derived,
        ...(ref ? { problem_name: ref.name, baseline_mean_ms: ref.mean_ms } : {}),
      },
    });
  }
  const evaluated = new Set(entries.map((e) => e.problem));
  const setIds = baseline ? [...baseline.problems.keys()] : (input.problemIds ?? [...evaluated]);
  const problemSet = baseline
    ? `the ${setIds.length} level-${level} problems of ${baseline.file}`
    : input.problemIds
      ? `problems 1-${Math.max(...setIds)} (--problems)`
      : `only the ${setIds.length} problems present in eval_results.json (pass --baseline or --problems to count missing ones)`;
  const inSet = new Set(setIds);
  const outside = [...evaluated].filter((p) => !inSet.has(p));
  if (outside.length) for (const p of outside) setIds.push(p); // evaluated problems always belong to the set
  const byProblem = new Map<string, FastCandidate[]>();
  for (const e of entries) {
    if (e.sample_id !== 0) continue;
    const ref = baseline?.problems.get(e.problem);
    const speedup = e.correctness && e.runtime > 0 && ref ? ref.mean_ms / e.runtime : undefined;
    byProblem.set(String(e.problem), [{ correct: e.correctness, ...(speedup !== undefined ? { speedup } : {}) }]);
  }
  const sortedSet = [...new Set(setIds)].sort((a, b) => a - b);
  return {
    rows,
    summary: {
      level,
      problem_set: problemSet,
      problems: sortedSet.length,
      evaluations: entries.length,
      problems_evaluated: evaluated.size,
      problems_missing: sortedSet.filter((p) => !evaluated.has(p)),
      rows: rows.length,
      rows_without_source: withoutSource,
      fast_p: fastP(sortedSet.map(String), byProblem, KERNELBENCH_P_VALUES),
      ...(baseline ? { baseline: baseline.file } : {}),
    },
  };
}
