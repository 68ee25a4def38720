/**
 * Per-call scores keyed for pairing across runs (pure). A call is identified by its call id and repeat, not
 * by the work item id: the item id hashes the target's identity (base URL, model, prompt template), so the
 * same call sent to checkpoint A and to checkpoint B has two item ids but one call id. The per-call figures
 * (`call.error`, `call.latency_ms`: scoring/call-metrics.ts) join the scorers' metrics.
 */
import type { RunRecord } from '../records/types.js';
import { callFamily } from '../scoring/call-metrics.js';

/** call key -> metric -> value. */
export type CallScores = Map<string, Record<string, number>>;

export interface ScoreTable {
  /** Target name -> its calls' scores. */
  targets: Map<string, CallScores>;
  /** Target name -> the backend that produced its records. */
  backends: Map<string, string>;
}

export const callKey = (callId: string, repeat: number) => `${callId}#${repeat}`;

/** The table as a fold over records streamed one at a time (it keeps every call's scores: one number per metric). */
export class ScoreTableFold {
  readonly table: ScoreTable = { targets: new Map(), backends: new Map() };

  add(r: RunRecord): void {
    let calls = this.table.targets.get(r.target);
    if (!calls) {
      this.table.targets.set(r.target, (calls = new Map()));
      this.table.backends.set(r.target, r.backend);
    }
    const values = callFamily.fromRecord(r);
    for (const [metric, s] of Object.entries(r.scores)) if (s.value !== null) values[metric] = s.value;
    calls.set(callKey(r.call_id, r.repeat), values);
  }
}

export function scoreTableFromRecords(records: readonly RunRecord[]): ScoreTable {
  const fold = new ScoreTableFold();
  for (const r of records) fold.add(r);
  return fold.table;
}
