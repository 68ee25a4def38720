/**
 * Reads a KernelBench run folder (scripts/eval_from_generations.py's output) as KernelBench writes it:
 *   eval_results.json   {"<problem_id>": [{sample_id, compiled, correctness, metadata, runtime, runtime_stats}, ...]}
 *                       (older runs: one entry object per problem instead of a list; it is sample 0)
 *   level_<L>_problem_<P>_sample_<S>_kernel.py   the generated kernels, when the folder keeps them
 * and, optionally, a baseline-times JSON (results/timing/<hardware>/baseline_time_torch.json):
 *   {"level<L>": {"<P>_<Name>.py": {mean, std, min, max, num_trials, hardware, device}}}   times in ms.
 * Problems are keyed by their id (the number before the first "_" of a baseline name), never by position.
 * Every bad field is reported by file and JSON path, and the reading stops with a UserError listing them.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError, type Problem } from '../../util/errors.js';

export interface KernelBenchEntry {
  problem: number;
  sample_id: number;
  compiled: boolean;
  correctness: boolean;
  /** Mean candidate time in ms; -1 when KernelBench did not time it. */
  runtime: number;
  runtime_stats: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

export interface KernelBenchBaseline {
  file: string;
  level: number;
  /** problem id -> its file name and mean reference time (ms). */
  problems: Map<number, { name: string; mean_ms: number }>;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function readJson(file: string, display: string): unknown {
  if (!existsSync(file)) throw new UserError(`${display}: no such file`);
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UserError(`${display}: not valid JSON: ${(err as Error).message}`);
  }
}

/** The entries of eval_results.json, sorted by problem then sample. */
export function readEvalResults(runDir: string): KernelBenchEntry[] {
  if (!existsSync(runDir) || !statSync(runDir).isDirectory())
    throw new UserError(`${runDir}: not a folder (expected a KernelBench run folder holding eval_results.json)`);
  const display = join(runDir, 'eval_results.json');
  const doc = readJson(display, display);
  if (!isObject(doc)) throw new UserError(`${display}: expected an object {"<problem id>": [evaluations]}`);
  const problems: Problem[] = [];
  const bad = (path: string, message: string) => problems.push({ file: display, line: 0, column: 0, path, message });
  const entries: KernelBenchEntry[] = [];
  for (const [key, value] of Object.entries(doc)) {
    if (!/^\d+$/.test(key)) {
      bad(`/${key}`, 'expected a problem id (a whole number)');
      continue;
    }
    const list = Array.isArray(value) ? value : [value];
    const seen = new Set<number>();
    list.forEach((e, i) => {
      const at = Array.isArray(value) ? `/${key}/${i}` : `/${key}`;
      if (!isObject(e)) return bad(at, 'expected an evaluation object');
      const sample = e.sample_id ?? 0;
      if (!Number.isInteger(sample)) return bad(`${at}/sample_id`, `expected a whole number, found ${JSON.stringify(e.sample_id)}`);
      if (seen.has(sample as number)) return bad(`${at}/sample_id`, `sample ${sample} of problem ${key} appears twice`);
      seen.add(sample as number);
      for (const f of ['compiled', 'correctness'] as const)
        if (typeof e[f] !== 'boolean') bad(`${at}/${f}`, `expected true or false, found ${JSON.stringify(e[f]) ?? 'nothing'}`);
      if (e.runtime !== undefined && typeof e.runtime !== 'number')
        bad(`${at}/runtime`, `expected a number (ms, -1 when not timed), found ${JSON.stringify(e.runtime)}`);
      for (const f of ['metadata', 'runtime_stats'] as const) if (e[f] !== undefined && !isObject(e[f])) bad(`${at}/${f}`, 'expected an object');
      if (typeof e.compiled !== 'boolean' || typeof e.correctness !== 'boolean') return;
      entries.push({
        problem: Number(key),
        sample_id: sample as number,
        compiled: e.compiled,
        correctness: e.correctness,
        runtime: typeof e.runtime === 'number' ? e.runtime : -1,
        runtime_stats: isObject(e.runtime_stats) ? e.runtime_stats : {},
        metadata: isObject(e.metadata) ? e.metadata : {},
      });
    });
  }
  if (problems.length) throw new UserError(`${display}: ${problems.length} bad field(s)`, problems.slice(0, 20));
  return entries.sort((a, b) => a.problem - b.problem || a.sample_id - b.sample_id);
}

/** One level of a baseline-times file; `level` may be left out when the file holds a single level. */
export function readBaseline(file: string, level?: number): KernelBenchBaseline {
  const doc = readJson(file, file);
  if (!isObject(doc)) throw new UserError(`${file}: expected {"level<N>": {"<id>_<name>.py": {mean, ...}}}`);
  const levels = Object.keys(doc).filter((k) => /^level\d+$/.test(k));
  const key = level !== undefined ? `level${level}` : levels.length === 1 ? levels[0] : undefined;
  if (!key) throw new UserError(`${file}: holds ${levels.join(', ') || 'no level'}; say which with --level`);
  const table = doc[key];
  if (!isObject(table)) throw new UserError(`${file}: no "${key}" object (it holds ${levels.join(', ') || 'no level'})`);
  const problems: Problem[] = [];
  const out = new Map<number, { name: string; mean_ms: number }>();
  for (const [name, t] of Object.entries(table)) {
    const id = /^(\d+)_/.exec(name)?.[1];
    const at = `/${key}/${name}`;
    if (!id) problems.push({ file, line: 0, column: 0, path: at, message: 'expected a problem file name "<id>_<name>.py"' });
    else if (!isObject(t) || typeof t.mean !== 'number' || !(t.mean > 0))
      problems.push({
        file,
        line: 0,
        column: 0,
        path: `${at}/mean`,
        message: `expected a positive time in ms, found ${JSON.stringify(isObject(t) ? t.mean : t)}`,
      });
    else if (out.has(Number(id))) problems.push({ file, line: 0, column: 0, path: at, message: `problem ${id} appears twice` });
    else out.set(Number(id), { name: name.replace(/\.py$/, ''), mean_ms: t.mean });
  }
  if (problems.length) throw new UserError(`${file}: ${problems.length} bad entr${problems.length === 1 ? 'y' : 'ies'}`, problems.slice(0, 20));
  return { file, level: Number(key.slice(5)), problems: out };
}

const KERNEL_FILE = /^level_(\d+)_problem_(\d+)_sample_(\d+)_kernel\.py$/;

/** The levels named by the folder's kernel files (KernelBench names them level_<L>_problem_<P>_sample_<S>_kernel.py). */
export function kernelFileLevels(runDir: string): number[] {
  const levels = new Set<number>();
  for (const name of readdirSync(runDir)) {
    const m = KERNEL_FILE.exec(name);
    if (m) levels.add(Number(m[1]));
  }
  return [...levels].sort((a, b) => a - b);
}

/** The generated kernel of one evaluation, when the folder keeps it. */
export function kernelSource(runDir: string, level: number, problem: number, sample: number): string | undefined {
  const file = join(runDir, `level_${level}_problem_${problem}_sample_${sample}_kernel.py`);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}
