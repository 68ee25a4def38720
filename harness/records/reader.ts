/**
 * Reads records.jsonl back, streamed (see jsonl.ts). A torn last line (the process died mid-write) is
 * reported, not fatal: every complete record before it is kept, which is the promise the writer makes.
 */
import { existsSync } from 'node:fs';
import { UserError } from '../util/errors.js';
import { forEachJsonl, type JsonlLine } from './jsonl.js';
import { RECORD_VERSIONS, type RunRecord } from './types.js';

export interface ReadRecordsResult {
  records: RunRecord[];
  /** Set when the last line was incomplete (a crash mid-write); that line is dropped. */
  torn_tail?: string;
}

function accept(value: unknown, where: string): RunRecord {
  const rec = value as RunRecord;
  if (rec === null || typeof rec !== 'object' || !RECORD_VERSIONS.includes(rec.v)) {
    throw new UserError(`${where}: record version ${(rec as { v?: unknown } | null)?.v} is not one this gtm-bench reads (${RECORD_VERSIONS.join(', ')})`);
  }
  return rec;
}

/** Visits each record in file order, holding one at a time: for readers that keep only part of each. */
export function forEachRecord(path: string, fn: (record: RunRecord, line: JsonlLine) => void): { torn_tail?: string } {
  if (!existsSync(path)) throw new UserError(`cannot read records file ${path}: it does not exist`);
  return forEachJsonl<RunRecord>(path, fn, { accept, noun: 'JSON record' });
}

export function readRecords(path: string): ReadRecordsResult {
  const records: RunRecord[] = [];
  const { torn_tail } = forEachRecord(path, (r) => records.push(r));
  return { records, ...(torn_tail ? { torn_tail } : {}) };
}
