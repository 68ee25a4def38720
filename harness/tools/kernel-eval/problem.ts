/**
 * A kernel problem: what the candidate must compute, the reference that defines "correct", and the
 * candidates of the dataset with the outcome each was written to have. Problems live one per folder:
 *
 *   datasets/kernels/problems/<id>/problem.json    this file's KernelProblem, minus id and folder
 *   datasets/kernels/problems/<id>/reference.cu    (format cuda) or reference.py (format kernelbench)
 *   datasets/kernels/problems/<id>/candidates/*    the dataset's candidate kernels
 *
 * Format `cuda`: the reference and every candidate define the same host entry point
 * `void solution(<args>)` that takes device pointers and launches its kernels; its host code runs only in
 * the launch recorder (build.ts), and the trusted runner (device-run.ts) allocates, fills, replays and times. Format `kernelbench`: KernelBench's layout, a
 * PyTorch `Model` with `get_inputs`/`get_init_inputs`, and candidates defining `ModelNew`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { UserError } from '../../util/errors.js';
import { jsonErrorWithoutText } from '../../util/foreign-file.js';

export type CandidateIntent = 'compile_error' | 'crash' | 'wrong' | 'slower' | 'faster';
export const CANDIDATE_INTENTS: readonly CandidateIntent[] = ['compile_error', 'crash', 'wrong', 'slower', 'faster'];

/** One parameter of `solution`, in order. Buffers are float32 device arrays of `count` elements. */
export type KernelArg =
  | { name: string; role: 'input'; count: string; init: [number, number] }
  | { name: string; role: 'output'; count: string }
  | { name: string; role: 'int'; value: number }
  | { name: string; role: 'float'; value: number };

export interface CandidateEntry {
  /** Path relative to the problem folder. */
  file: string;
  intended: CandidateIntent;
  /** What the candidate does and why it should land in its class. */
  note: string;
}

export interface KernelProblem {
  id: string;
  title: string;
  /** 1 (elementwise) .. 4 (matrix multiply, convolution): rising difficulty. */
  level: number;
  category: string;
  description: string;
  format: 'cuda' | 'kernelbench';
  /** Format cuda: the parameters of `solution`. */
  args: KernelArg[];
  /** Elementwise check: |candidate - reference| <= atol + rtol * |reference|. */
  tolerance: { atol: number; rtol: number };
  candidates: CandidateEntry[];
  /** Absolute path of the problem folder. */
  dir: string;
  /** Source text of the reference (reference.cu or reference.py). */
  reference_source: string;
}

const ID = /^[a-z0-9][a-z0-9_]*$/;
const IDENT = /^[a-z_][a-z0-9_]*$/;
/** Element counts are products of int args and literals, e.g. `rows*cols`. */
const COUNT = /^[a-z0-9_]+(\s*\*\s*[a-z0-9_]+)*$/;

function fail(file: string, field: string, expected: string, found: unknown): never {
  throw new UserError(`kernel problem ${file}: ${field}: expected ${expected}, found ${JSON.stringify(found)}`);
}

function parseArg(file: string, raw: any, i: number, ints: Set<string>): KernelArg {
  const field = `args[${i}]`;
  if (!raw || typeof raw !== 'object') fail(file, field, 'an object {name, role, ...}', raw);
  if (typeof raw.name !== 'string' || !IDENT.test(raw.name)) fail(file, `${field}.name`, 'a C identifier in lowercase', raw.name);
  switch (raw.role) {
    case 'input':
    case 'output': {
      if (typeof raw.count !== 'string' || !COUNT.test(raw.count))
        fail(file, `${field}.count`, 'a product of int args and literals, e.g. "rows*cols"', raw.count);
      for (const term of raw.count.split('*').map((t: string) => t.trim())) {
        if (!/^\d+$/.test(term) && !ints.has(term))
          fail(file, `${field}.count`, `a product of the int args (${[...ints].join(', ') || 'none'}) and literals`, term);
      }
      if (raw.role === 'output') return { name: raw.name, role: 'output', count: raw.count };
      const init = raw.init;
      if (!Array.isArray(init) || init.length !== 2 || !init.every((v: unknown) => typeof v === 'number') || init[0] >= init[1]) {
        fail(file, `${field}.init`, 'a range [low, high] with low < high', init);
      }
      return { name: raw.name, role: 'input', count: raw.count, init: [init[0], init[1]] };
    }
    case 'int':
      if (!Number.isInteger(raw.value) || raw.value < 1 || raw.value > 2 ** 31 - 1) fail(file, `${field}.value`, 'a positive 32-bit integer', raw.value);
      return { name: raw.name, role: 'int', value: raw.value };
    case 'float':
      if (typeof raw.value !== 'number' || !Number.isFinite(raw.value)) fail(file, `${field}.value`, 'a finite number', raw.value);
      return { name: raw.name, role: 'float', value: raw.value };
    default:
      return fail(file, `${field}.role`, 'one of input, output, int, float', raw.role);
  }
}

/** Reads and checks one problem folder. */
export function loadProblem(dir: string, root: string = dir): KernelProblem {
  const file = relative(root, join(dir, 'problem.json')) || 'problem.json';
  let raw: any;
  try {
    raw = JSON.parse(readFileSync(join(dir, 'problem.json'), 'utf8'));
  } catch (err) {
    throw new UserError(`kernel problem ${file}: ${jsonErrorWithoutText((err as Error).message)}`);
  }
  const id = dir.split('/').pop()!;
  if (!ID.test(id)) fail(file, '(folder name)', 'a problem id of lowercase letters, digits and _', id);
  const format = raw.format ?? 'cuda';
  if (format !== 'cuda' && format !== 'kernelbench') fail(file, 'format', '"cuda" or "kernelbench"', raw.format);
  for (const key of ['title', 'category', 'description'] as const) {
    if (typeof raw[key] !== 'string' || !raw[key]) fail(file, key, 'a non-empty string', raw[key]);
  }
  if (!Number.isInteger(raw.level) || raw.level < 1 || raw.level > 4) fail(file, 'level', 'an integer 1..4', raw.level);
  // Counts may name any int arg: the harness declares every scalar before it allocates.
  const ints = new Set<string>(
    Array.isArray(raw.args) ? raw.args.filter((a: any) => a?.role === 'int' && typeof a.name === 'string').map((a: any) => a.name) : [],
  );
  const args =
    format === 'cuda'
      ? (Array.isArray(raw.args) ? raw.args : fail(file, 'args', 'an array', raw.args)).map((a: any, i: number) => parseArg(file, a, i, ints))
      : [];
  if (format === 'cuda' && !args.some((a: KernelArg) => a.role === 'output')) fail(file, 'args', 'at least one output', raw.args);
  const tol = raw.tolerance ?? {};
  if (typeof tol.atol !== 'number' || typeof tol.rtol !== 'number' || tol.atol < 0 || tol.rtol < 0)
    fail(file, 'tolerance', '{atol, rtol} as non-negative numbers', raw.tolerance);
  const candidates: CandidateEntry[] = (Array.isArray(raw.candidates) ? raw.candidates : fail(file, 'candidates', 'an array', raw.candidates)).map(
    (c: any, i: number) => {
      if (typeof c?.file !== 'string' || !existsSync(join(dir, c.file))) fail(file, `candidates[${i}].file`, 'a file in the problem folder', c?.file);
      if (!CANDIDATE_INTENTS.includes(c.intended)) fail(file, `candidates[${i}].intended`, CANDIDATE_INTENTS.join(' | '), c.intended);
      if (typeof c.note !== 'string' || !c.note) fail(file, `candidates[${i}].note`, 'a non-empty string', c.note);
      return { file: c.file, intended: c.intended, note: c.note };
    },
  );
  const refFile = format === 'cuda' ? 'reference.cu' : 'reference.py';
  if (!existsSync(join(dir, refFile))) fail(file, '(folder)', `a ${refFile} next to problem.json`, readdirSync(dir));
  return {
    id,
    title: raw.title,
    level: raw.level,
    category: raw.category,
    description: raw.description,
    format,
    args,
    tolerance: { atol: tol.atol, rtol: tol.rtol },
    candidates,
    dir,
    reference_source: readFileSync(join(dir, refFile), 'utf8'),
  };
}

/** Every problem folder under `root`, sorted by id. */
export function loadProblems(root: string): Map<string, KernelProblem> {
  if (!existsSync(root)) throw new UserError(`kernel problems folder ${root} does not exist`);
  const ids = readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  return new Map(ids.map((id) => [id, loadProblem(join(root, id), root)]));
}

/** The C++ declaration every source of a `cuda` problem defines, e.g. `void solution(const float* x, float* y, int n)`. */
export function solutionSignature(problem: Pick<KernelProblem, 'args'>): string {
  const params = problem.args.map((a) => {
    switch (a.role) {
      case 'input':
        return `const float* ${a.name}`;
      case 'output':
        return `float* ${a.name}`;
      case 'int':
        return `int ${a.name}`;
      case 'float':
        return `float ${a.name}`;
    }
  });
  return `void solution(${params.join(', ')})`;
}
