/** The table printed at the end of a run: metrics down, targets across, mean [95% CI] and n in each cell. */
import Table from 'cli-table3';
import { fmt, fmtMetric, fmtScored } from './format-number.js';
import { orderMetrics } from '../scoring/metric-registry.js';
import { BEST_MARK, BEST_NOTE, compareRow, directionalLabel, NOT_COMPARABLE_LABEL, notComparableNote } from './metric-marks.js';
import type { Summary } from './summary.js';

export function summaryTable(summary: Summary): string {
  const targets = summary.targets;
  // Plain style: cli-table3 colours its borders even when piped, which garbles logs.
  const table = new Table({
    head: ['metric', ...targets.map((t) => t.name)],
    style: { head: [], border: [] },
  });
  const ran = targets.filter((t) => t.status === 'ran');
  const metrics = orderMetrics(ran.flatMap((t) => Object.keys(t.metrics)));
  const notes: string[] = [];
  let marked = false;
  for (const metric of metrics) {
    const row = compareRow(
      metric,
      targets.map((t) => ({ target: t.name, figures: t.status === 'ran' ? t.metrics[metric] : undefined })),
    );
    if (row.notComparable) notes.push(notComparableNote(metric, row.notComparable));
    if (row.best.length) marked = true;
    table.push([
      `${directionalLabel(metric)}${row.notComparable ? NOT_COMPARABLE_LABEL : ''}`,
      ...targets.map((t, i) => {
        if (t.status !== 'ran') return t.status;
        const m = t.metrics[metric];
        return m ? `${row.best.includes(i) ? `${BEST_MARK} ` : ''}${fmtMetric(m)} ${fmtScored(m, true)}` : '–';
      }),
    ]);
  }
  table.push(['calls / errors', ...targets.map((t) => (t.status === 'ran' ? `${t.calls} / ${t.errors}` : t.status))]);
  table.push(['latency p50 / p90 ms', ...targets.map((t) => (t.latency_ms ? `${fmt(t.latency_ms.p50, 2)} / ${fmt(t.latency_ms.p90, 2)}` : '–'))]);
  const note = 'scored n/N: the mean is over n of the N calls; the rest got no answer or the metric does not apply to them (report.md says which).';
  return [table.toString(), note, ...(marked ? [BEST_NOTE] : []), ...notes].join('\n');
}
