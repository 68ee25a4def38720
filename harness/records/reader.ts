/**
 * Reads records.jsonl back. A torn last line (the process died mid-write) is reported, not fatal: every
 * complete record before it is kept, which is the promise the writer makes.
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../util/errors.js';
import { RECORD_VERSION, type RunRecord } from './types.js';

export interface ReadRecordsResult {
  records: RunRecord[];
  /** Set when the last line was incomplete (a crash mid-write); that line is dropped. */
  torn_tail?: string;
}

export function readRecords(path: string): ReadRecordsResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read records file ${path}: ${(err as Error).message}`);
  }
  const lines = text.split('\n');
  const records: RunRecord[] = [];
  let torn_tail: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    try {
      const rec = JSON.parse(line) as RunRecord;
      if (rec.v !== RECORD_VERSION) {
        throw new UserError(`${path}:${i + 1}: record version ${rec.v} is not ${RECORD_VERSION}`);
      }
      records.push(rec);
    } catch (err) {
      if (err instanceof UserError) throw err;
      const isLast = lines.slice(i + 1).every((l) => l.trim() === '');
      if (!isLast) throw new UserError(`${path}:${i + 1}: not a JSON record: ${(err as Error).message}`);
      torn_tail = `${path}:${i + 1}: incomplete last line dropped (${line.length} bytes)`;
    }
  }
  return { records, torn_tail };
}
