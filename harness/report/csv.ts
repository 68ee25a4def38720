/**
 * summary.csv: one row per (target, slice, metric), for spreadsheets and dashboards. A slice is `all`, or a
 * breakdown (`tool`, `dataset`, or a --group-by field) and its group: filter on `breakdown` to read one.
 */
import { stringify } from 'csv-stringify/sync';
import { orderMetrics } from '../scoring/metric-registry.js';
import type { MetricSummary, Summary, TargetSummary } from './summary.js';
import { showControls } from '../util/visible-controls.js';

const COLUMNS = [
  'target',
  'backend',
  'status',
  'breakdown',
  'group',
  'metric',
  'n',
  'of',
  'no_answer',
  'not_applicable',
  'mean',
  'ci_low',
  'ci_high',
  'ci_method',
];

/** Each breakdown of a target: name -> group -> metric -> summary. */
function slices(t: TargetSummary): [string, Record<string, Record<string, MetricSummary>>][] {
  return [['tool', t.by_tool], ['dataset', t.by_dataset ?? {}], ...Object.entries(t.by_group ?? {})];
}

export function summaryToCsv(summary: Summary): string {
  const rows: (string | number | null)[][] = [];
  const push = (t: TargetSummary, breakdown: string, group: string, metrics: Record<string, MetricSummary>) => {
    for (const metric of orderMetrics(Object.keys(metrics))) {
      const m = metrics[metric];
      rows.push([t.name, t.backend, t.status, breakdown, group, metric, m.n, m.of, m.no_answer, m.not_applicable, m.mean, m.ci_low, m.ci_high, m.method]);
    }
  };
  for (const t of summary.targets) {
    if (t.status !== 'ran') {
      rows.push([t.name, t.backend, t.status, 'all', '', '', 0, 0, 0, 0, null, null, null, t.reason ?? '']);
      continue;
    }
    push(t, 'all', '', t.metrics);
    for (const [breakdown, groups] of slices(t)) for (const [group, metrics] of Object.entries(groups)) push(t, breakdown, group, metrics);
  }
  // Control characters in a name or reason (NUL cuts a cell short in C-based readers) are written visibly, as \u0000.
  return stringify(
    rows.map((r) => r.map((v) => (typeof v === 'string' ? showControls(v) : v))),
    { header: true, columns: COLUMNS },
  );
}
