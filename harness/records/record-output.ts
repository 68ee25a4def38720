/**
 * A record's parsed output. A record stores `output` only when it is not simply the answer text parsed: an
 * answer that is JSON as a whole (parse status `json`, raw stored whole) has JSON.parse(raw) as its value, and
 * since record version 2 it is not written a second time beside `raw` (about 300 bytes of a default-suite record,
 * and a fifth of the time a report spends parsing it). Fenced, embedded and repaired answers keep `output`.
 */
import type { RunRecord } from './types.js';

/** Whether a record of this answer leaves `output` out (build-record.ts): the whole text is JSON and kept whole. */
export function outputIsRaw(status: RunRecord['parse']['status'], rawCut: boolean): boolean {
  return status === 'json' && !rawCut;
}

/** The parsed output of a record, stored or (for a whole-JSON answer) parsed from `raw`; undefined when it has none. */
export function recordOutput(r: Pick<RunRecord, 'output' | 'raw' | 'raw_cut' | 'parse'>): unknown {
  if (r.output !== undefined || r.raw === null || !outputIsRaw(r.parse.status, r.raw_cut !== undefined)) return r.output;
  try {
    return JSON.parse(r.raw.trim());
  } catch {
    // Only a record edited by hand (or redacted inside a JSON escape) gets here: it has no output to give.
    return undefined;
  }
}
