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

export function sessionStepRows(records: readonly RunRecord[]): StepRow[] {
  const cells = new Map<string, { sum: number; n: number }>();
  const calls = new Map<string, number>();
  const metrics = new Set<string>();
  for (const r of records) {
    if (!r.session) continue;
    const at = `${r.target}\u0000${r.session.step}`;
    calls.set(at, (calls.get(at) ?? 0) + 1);
    for (const [metric, s] of Object.entries(r.scores)) {
      metrics.add(metric);
      if (s.value === null) continue;
      const key = `${at}\u0000${metric}`;
      const c = cells.get(key) ?? { sum: 0, n: 0 };
      c.sum += s.value;
      c.n++;
      cells.set(key, c);
    }
  }
  const rows: StepRow[] = [];
  const ats = [...calls.keys()].map((k) => k.split('\u0000')).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : Number(a[1]) - Number(b[1])));
  for (const [target, step] of ats) {
    const at = `${target}\u0000${step}`;
    for (const metric of orderMetrics(metrics)) {
      const c = cells.get(`${at}\u0000${metric}`);
      rows.push({ target, step: Number(step), metric, mean: c ? c.sum / c.n : null, n: c?.n ?? 0, of: calls.get(at)! });
    }
  }
  return rows;
}
