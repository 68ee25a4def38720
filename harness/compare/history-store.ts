/**
 * The history file on disk: append-only JSONL, one entry per run, written with a single append per line so
 * an interrupted write can only tear the last line (which the reader drops). A run id already in the file
 * is refused, so re-running a nightly job's append step cannot count one night twice.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { defaultOutput } from '../util/default-output.js';
import { redactJsonText } from '../util/redact.js';
import { UserError } from '../util/errors.js';
import { parseHistory, type HistoryEntry } from './history.js';

/** reports/history.jsonl under the working folder, read when trend is called (util/default-output.ts). */
export const defaultHistoryFile = () => defaultOutput('reports', 'history.jsonl');

export function readHistory(file: string): { entries: HistoryEntry[]; problems: string[] } {
  if (!existsSync(file)) return { entries: [], problems: [] };
  return parseHistory(readFileSync(file, 'utf8'), file);
}

export function appendHistory(file: string, entry: HistoryEntry): void {
  const { entries } = readHistory(file);
  if (entries.some((e) => e.run_id === entry.run_id))
    throw new UserError(`${file} already holds run ${entry.run_id}; the history is append-only and counts each run once`);
  mkdirSync(dirname(file), { recursive: true });
  // A file whose last line lacks its newline (a torn append) gets one first, so this entry starts a line.
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const prefix = text.length && !text.endsWith('\n') ? '\n' : '';
  appendFileSync(file, prefix + redactJsonText(JSON.stringify(entry)) + '\n');
}
