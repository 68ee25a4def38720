/**
 * The JSONL task file every dialect reads: one JSON object a line, blank lines ignored, ids unique. What a
 * row means is the dialect's (`readRow`); reading, positions, duplicate ids and the suite's on_bad_row policy
 * are the same for every task kind and live here. A bad row is reported as file:line with what was expected;
 * under on_bad_row 'skip' it is left out with a message, otherwise loading fails with every bad row listed.
 */
import { readFileSync } from 'node:fs';
import { displayPath } from '../util/display-path.js';
import { UserError, type Problem } from '../util/errors.js';
import type { AgentTask, TaskLoadContext, TaskLoadResult } from './types.js';
import { notJsonLines } from '../util/foreign-file.js';

export type TaskRow<P> = { id: string; payload: P } | { error: { path: string; message: string } };

/**
 * @param shape what a row must look like, for the message when a line is not a JSON object
 * @param readRow turns one parsed row into its task id and payload, or says which field is wrong
 */
export function loadTaskFile<P>(
  ctx: Pick<TaskLoadContext, 'file' | 'on_bad_row'>,
  shape: string,
  readRow: (row: Record<string, any>, line: number) => TaskRow<P>,
): TaskLoadResult<P> {
  const display = displayPath(ctx.file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(ctx.file);
  } catch (err) {
    throw new UserError(`agent tasks ${display}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  // A row's problem quotes JSON.parse's message (a piece of the line): only for a file that is JSON lines.
  const foreign = notJsonLines(bytes);
  if (foreign) throw new UserError(`agent tasks ${display}: not a JSONL task file: ${foreign}`);
  const text = bytes.toString('utf8');
  const tasks: AgentTask<P>[] = [];
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.trim();
    if (!trimmed) return;
    const r = parseRow(trimmed, shape, line, readRow);
    if ('error' in r) return void problems.push({ file: display, line, column: 1, ...r.error });
    const first = seen.get(r.id);
    if (first !== undefined)
      return void problems.push({ file: display, line, column: 1, path: 'id', message: `duplicate id "${r.id}"; first used on line ${first}` });
    seen.set(r.id, line);
    tasks.push({ id: r.id, payload: r.payload, source: { file: display, line } });
  });
  if (problems.length && ctx.on_bad_row !== 'skip') {
    throw new UserError(`agent tasks ${display}: ${problems.length} bad row(s); fix them or set agent.on_bad_row: skip`, problems);
  }
  if (tasks.length === 0) throw new UserError(`agent tasks ${display}: no usable rows`);
  return { tasks, skipped: problems.map((p) => `${p.file}:${p.line}: ${p.path ? p.path + ': ' : ''}${p.message}`) };
}

function parseRow<P>(text: string, shape: string, line: number, readRow: (row: Record<string, any>, line: number) => TaskRow<P>): TaskRow<P> {
  let row: unknown;
  try {
    row = JSON.parse(text);
  } catch (err) {
    return { error: { path: '', message: `not valid JSON: ${(err as Error).message}` } };
  }
  if (!row || typeof row !== 'object' || Array.isArray(row)) return { error: { path: '', message: `expected an object ${shape}` } };
  return readRow(row as Record<string, any>, line);
}
