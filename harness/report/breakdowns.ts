/**
 * What the breakdown parts of a run report hold, whatever the format (pure): every metric per dataset and
 * per `--group-by` group, and the calls each mean leaves out with why. report.md (markdown.ts) and report.html
 * (sections/breakdown-sections.ts) render these same values.
 */
import { NO_GROUP } from './group-by.js';
import { metricLabel, orderMetrics } from '../scoring/metric-registry.js';
import type { MetricSummary, Summary, TargetSummary } from './summary.js';

export interface Breakdown {
  /** `dataset`, or a --group-by field. */
  field: string;
  title: string;
  intro: string;
  /** Group name -> the per-target metric tables' picker. */
  groups: { name: string; pick: (t: TargetSummary) => Record<string, MetricSummary> }[];
}

const groupNames = (summary: Summary, of: (t: TargetSummary) => Record<string, unknown> | undefined) =>
  [...new Set(summary.targets.flatMap((t) => Object.keys(of(t) ?? {})))].sort();

/** Per dataset (always, so a suite's splits read apart), then one per --group-by field. */
export function breakdowns(summary: Summary): Breakdown[] {
  const out: Breakdown[] = [];
  const datasets = groupNames(summary, (t) => t.by_dataset);
  if (datasets.length) {
    out.push({
      field: 'dataset',
      title: 'By dataset',
      intro:
        datasets.length === 1
          ? `Every call comes from dataset ${datasets[0]}: its breakdown is the fidelity table above.`
          : 'Every metric per dataset of the suite.',
      groups: datasets.length === 1 ? [] : datasets.map((name) => ({ name, pick: (t) => t.by_dataset?.[name] ?? {} })),
    });
  }
  for (const field of summary.group_by ?? []) {
    const names = groupNames(summary, (t) => t.by_group?.[field]);
    out.push({
      field,
      title: `By ${field}`,
      intro: `Every metric per value of ${field} (--group-by ${field}). A call with several values is counted in each; a call without one is in ${NO_GROUP}.`,
      groups: names.map((name) => ({ name, pick: (t) => t.by_group?.[field]?.[name] ?? {} })),
    });
  }
  return out;
}

/** One row per (target, metric) whose mean leaves calls out: how many, and the reasons counted. */
export interface NotScoredRow {
  target: string;
  metric: string;
  label: string;
  scored: number;
  of: number;
  no_answer: number;
  not_applicable: number;
  why: string;
}

export function notScoredRows(summary: Summary): NotScoredRow[] {
  const rows: NotScoredRow[] = [];
  for (const t of summary.targets) {
    if (t.status !== 'ran') continue;
    for (const metric of orderMetrics(Object.keys(t.metrics))) {
      const m = t.metrics[metric];
      // Summaries from before the counts existed have none to show.
      if (m.of === undefined || m.n === m.of) continue;
      const why = Object.entries(m.not_applicable_reasons ?? {})
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .map(([reason, k]) => `${reason} (${k})`);
      if (m.no_answer) why.unshift(`no answer: transport error (${m.no_answer})`);
      rows.push({
        target: t.name,
        metric,
        label: metricLabel(metric),
        scored: m.n,
        of: m.of,
        no_answer: m.no_answer,
        not_applicable: m.not_applicable,
        why: why.join('; '),
      });
    }
  }
  return rows;
}
