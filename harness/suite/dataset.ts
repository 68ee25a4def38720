/**
 * Reads a JSONL dataset: one call per line, blank lines ignored, calls in file order. Under
 * `on_bad_row: fail` every bad row is collected and reported at once; under `skip` bad rows are set aside
 * with their messages and the rest load. A dataset left with no calls is always an error.
 */
import { readFileSync } from 'node:fs';
import type { ValidateFunction } from 'ajv';
import { formatProblem, UserError, type Problem } from '../util/errors.js';
import { sha256 } from '../util/hash.js';
import { parseRow, type RowContext } from './dataset-row.js';
import { compileToolSchema } from './schema-ajv.js';
import { displayPath } from '../util/display-path.js';
import type { DatasetCall, DatasetSpec, ToolSpec } from './types.js';
import { notJsonLines } from '../util/foreign-file.js';

export interface DatasetResult {
  calls: DatasetCall[];
  /** sha256 of the file's bytes. */
  hash: string;
  /** Rows set aside under `on_bad_row: skip`, one formatted message per row. */
  skipped_rows: string[];
  /** Problems that make the dataset unusable (always empty when readDataset returns). */
  problems: Problem[];
}

export interface ReadDatasetOptions {
  /** Ids already used by earlier datasets of the suite (ids must be unique across a suite); updated. */
  seenIds?: Map<string, { dataset: string; line: number }>;
  /** Compiled `parameters` validators by tool name, when the caller has them. */
  validators?: Map<string, ValidateFunction>;
}

/** Validators of each tool's arguments (a tool schema was already checked to compile when loaded). */
export function parameterValidators(tools: ToolSpec[]): Map<string, ValidateFunction> {
  return new Map(tools.map((t) => [t.name, compileToolSchema(t.parameters)]));
}

/** One message for a skipped row, however many problems it had. */
function skippedMessage(problems: Problem[]): string {
  const [first, ...rest] = problems;
  return formatProblem(first) + rest.map((p) => `; also ${p.path ? p.path + ': ' : ''}${p.message}`).join('');
}

/** Like readDataset, but returns the problems instead of throwing (for a suite that merges them). */
export function checkDataset(spec: DatasetSpec, tools: ToolSpec[], opts: ReadDatasetOptions = {}): DatasetResult {
  const display = displayPath(spec.path);
  const result: DatasetResult = { calls: [], hash: '', skipped_rows: [], problems: [] };
  let bytes: Buffer;
  try {
    bytes = readFileSync(spec.path);
  } catch (err) {
    result.problems.push({ file: display, line: 0, column: 0, path: '', message: `cannot read dataset ${spec.name}: ${(err as Error).message}` });
    return result;
  }
  result.hash = sha256(bytes);
  // A path that is not a dataset (a typo naming /etc/shadow, a binary): say so without quoting any of it.
  const foreign = notJsonLines(bytes);
  if (foreign) {
    result.problems.push({ file: display, line: 0, column: 0, path: '', message: `not a JSONL dataset: ${foreign}` });
    return result;
  }
  const ctx: RowContext = {
    dataset: spec.name,
    display,
    tools: opts.validators ?? parameterValidators(tools),
    seenIds: opts.seenIds ?? new Map(),
  };
  const lines = bytes
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .split('\n');
  let bad = 0;
  lines.forEach((raw, i) => {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (!text.trim()) return;
    const { call, calls, problems } = parseRow(text, i + 1, ctx);
    if (call) {
      result.calls.push(call);
      return;
    }
    if (calls) {
      for (const c of calls) result.calls.push(c);
      return;
    }
    bad++;
    if (spec.on_bad_row === 'skip') result.skipped_rows.push(skippedMessage(problems));
    else result.problems.push(...problems);
  });
  if (!result.calls.length && !result.problems.length) {
    const why = bad ? `all ${bad} rows were bad and skipped` : 'the file has no rows';
    result.problems.push({ file: display, line: 0, column: 0, path: '', message: `dataset ${spec.name} has no calls: ${why}` });
  }
  return result;
}

/** Reads a dataset; throws one UserError (exit 2) listing every problem that makes it unusable. */
export function readDataset(spec: DatasetSpec, tools: ToolSpec[], opts: ReadDatasetOptions = {}): DatasetResult {
  const result = checkDataset(spec, tools, opts);
  if (result.problems.length) {
    const n = result.problems.length;
    throw new UserError(`dataset ${spec.name} (${displayPath(spec.path)}) is invalid (${n} problem${n === 1 ? '' : 's'})`, result.problems);
  }
  return result;
}
