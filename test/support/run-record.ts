/**
 * A run record built by hand, for the tests of what reads records (records files, summary, reports): neutral
 * values for every required field, and the fields the test is about given in `over`.
 */
import { RECORD_VERSION, type RunRecord } from '../../harness/records/types.js';

export function runRecord(over: Partial<RunRecord> = {}): RunRecord {
  return {
    v: RECORD_VERSION,
    item_id: 'i',
    call_id: 'c',
    tool: 't',
    dataset: 'd',
    expect_error: false,
    target: 'x',
    backend: 'b',
    repeat: 0,
    seed: 0,
    started_at: '',
    request: {},
    raw: '{}',
    parse: { status: 'json' },
    latency_ms: 1,
    retries: 0,
    error: null,
    scores: {},
    ...over,
  };
}

/** One metric's score as a record holds it: a value and its reasons. */
export const score = (value: number | null, reason?: string) => ({ value, reasons: reason ? [reason] : [] });
