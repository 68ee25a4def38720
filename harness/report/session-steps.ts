/**
 * Per step index: does fidelity decay with session length? For runs whose records carry `session`, the
 * mean of each metric per target and 0-based step index, with the n it is a mean of (calls where the
 * metric applied) out of the calls at that step. Pure: records in, rows out.
 */
import type { RunRecord } from '../records/types.js';
import { orderMetrics } from '../scoring/metric-registry.js';

export interface StepRow {
  target: string;
  step: number;
  metric: string;
  mean: number | null;
  /** Calls at this step where the metric had a value. */
  n: number;
  /** Calls at this step (with or without a value). */
  of: number;
}

/** The rows as a fold over records streamed one at a time; also counts the session runs (session x target x repeat). */
export class SessionStepFold {
  private readonly cells = new Map<string, { sum: number; n: number }>();
  private readonly calls = new Map<string, number>();
  private readonly metrics = new Set<string>();
  private readonly runs = new Set<string>();

  add(r: RunRecord): void {
    if (!r.session) return;
    this.runs.add(`${r.target}\u0000${r.repeat}\u0000${r.session.id}`);
    const at = `${r.target}\u0000${r.session.step}`;
    this.calls.set(at, (this.calls.get(at) ?? 0) + 1);
    for (const [metric, s] of Object.entries(r.scores)) {
      this.metrics.add(metric);
      if (s.value === null) continue;
      const key = `${at}\u0000${metric}`;
      const c = this.cells.get(key) ?? { sum: 0, n: 0 };
      c.sum += s.value;
      c.n++;
      this.cells.set(key, c);
    }
  }

  /** Session runs seen. */
  get sessions(): number {
    return this.runs.size;
  }

  rows(): StepRow[] {
    const rows: StepRow[] = [];
    const ats = [...this.calls.keys()].map((k) => k.split('\u0000')).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : Number(a[1]) - Number(b[1])));
    for (const [target, step] of ats) {
      const at = `${target}\u0000${step}`;
      for (const metric of orderMetrics(this.metrics)) {
        const c = this.cells.get(`${at}\u0000${metric}`);
        rows.push({ target, step: Number(step), metric, mean: c ? c.sum / c.n : null, n: c?.n ?? 0, of: this.calls.get(at)! });
      }
    }
    return rows;
  }
}

export function sessionStepRows(records: readonly RunRecord[]): StepRow[] {
  const fold = new SessionStepFold();
  for (const r of records) fold.add(r);
  return fold.rows();
}
