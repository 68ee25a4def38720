/** summary.csv: one row per (target, tool or "all", metric), for spreadsheets and dashboards. */
import { stringify } from 'csv-stringify/sync';
import { orderMetrics } from '../scoring/metric-registry.js';
import type { MetricSummary, Summary } from './summary.js';

const COLUMNS = ['target', 'backend', 'status', 'tool', 'metric', 'n', 'of', 'no_answer', 'not_applicable', 'mean', 'ci_low', 'ci_high', 'ci_method'];

export function summaryToCsv(summary: Summary): string {
  const rows: (string | number | null)[][] = [];
  const push = (t: Summary['targets'][number], tool: string, metric: string, m: MetricSummary) =>
    rows.push([t.name, t.backend, t.status, tool, metric, m.n, m.of, m.no_answer, m.not_applicable, m.mean, m.ci_low, m.ci_high, m.method]);
  for (const t of summary.targets) {
    if (t.status !== 'ran') {
      rows.push([t.name, t.backend, t.status, 'all', '', 0, 0, 0, 0, null, null, null, t.reason ?? '']);
      continue;
    }
    for (const metric of orderMetrics(Object.keys(t.metrics))) push(t, 'all', metric, t.metrics[metric]);
    for (const [tool, metrics] of Object.entries(t.by_tool)) {
      for (const metric of orderMetrics(Object.keys(metrics))) push(t, tool, metric, metrics[metric]);
    }
  }
  return stringify(rows, { header: true, columns: COLUMNS });
}
