/**
 * Chart specs for one run folder: fidelity per target and metric with 95% intervals, the per-tool breakdown,
 * and latency distributions per target. Each builder is pure: summaries or records in, a vega-lite spec with
 * its data inline out. Targets keep the suite's order, so several GTM checkpoints sit side by side. Metrics are
 * shown by their ids (format.schema_valid), which the tables and the definitions section spell out.
 */
import { isLowerBetter, metricLabel, orderMetrics } from '../../scoring/metric-registry.js';
import type { MetricSummary, Summary, TargetSummary } from '../summary.js';
import { allUnit, chart, unitAxisRange } from './common.js';
import type { Figure } from '../model.js';

/** Above this many calls a target's latency box plot is drawn from evenly spaced order statistics. */
export const MAX_LATENCY_POINTS_PER_TARGET = 5000;

interface MetricRow {
  target: string;
  metric: string;
  label: string;
  mean: number;
  ci_low: number | null;
  ci_high: number | null;
  n: number;
}

function metricRows(targets: TargetSummary[], pick: (t: TargetSummary) => Record<string, MetricSummary>): MetricRow[] {
  const rows: MetricRow[] = [];
  for (const t of targets) {
    for (const metric of orderMetrics(Object.keys(pick(t)))) {
      const m = pick(t)[metric];
      if (m.mean === null) continue;
      rows.push({ target: t.name, metric, label: metricLabel(metric), mean: m.mean, ci_low: m.ci_low, ci_high: m.ci_high, n: m.n });
    }
  }
  return rows;
}

const ran = (s: Summary) => s.targets.filter((t) => t.status === 'ran');

/**
 * A metric axis whose labels say "(lower is better)" where the registry says so, as every table does: the
 * data keep the metric ids (the exports and tooltips use them), vega adds the words when drawing the label.
 */
function metricAxis(metrics: readonly string[]): { labelExpr: string; labelLimit: number } | undefined {
  const lower = metrics.filter(isLowerBetter);
  return lower.length
    ? { labelExpr: `indexof(${JSON.stringify(lower)}, datum.value) >= 0 ? datum.value + ' (lower is better)' : datum.value`, labelLimit: 400 }
    : undefined;
}

/** Dot-and-whisker: one row per metric, one dot per target with its 95% interval. Null when nothing ran. */
export function fidelityFigure(summary: Summary): Figure | null {
  const targets = ran(summary);
  const rows = metricRows(targets, (t) => t.metrics);
  if (!rows.length) return null;
  const labels = orderMetrics(rows.map((r) => r.metric));
  const values = rows.flatMap((r) => [r.mean, r.ci_low, r.ci_high]);
  // Bounded 0..1 metrics get the range their means and intervals occupy, both ends labelled and the range in
  // the axis title, so 0.93 against 0.99 is visible and nobody mistakes a zoomed axis for one from 0.
  const axis = allUnit(values) ? unitAxisRange(values) : null;
  const x = axis
    ? {
        type: 'quantitative',
        title: `mean (95% interval); axis from ${axis.domain[0]} to ${axis.domain[1]}${axis.zoomed ? ', not from 0' : ''}`,
        scale: { domain: axis.domain, zero: false, nice: false },
        axis: { values: axis.ticks, format: '.2f' },
      }
    : { type: 'quantitative', title: 'mean (95% interval)' };
  const lower = labels.filter(isLowerBetter);
  const targetOrder = targets.map((t) => t.name);
  const y = { field: 'metric', type: 'nominal', title: null, sort: labels, ...(metricAxis(labels) ? { axis: metricAxis(labels) } : {}) };
  const yOffset = { field: 'target', type: 'nominal', sort: targetOrder };
  const color = { field: 'target', type: 'nominal', title: 'target', sort: targetOrder };
  return {
    id: 'fidelity',
    title: 'Fidelity per target and metric',
    caption:
      'Each dot is a mean over calls; the whisker is its 95% interval (Wilson for 0/1 metrics, Student t otherwise). Calls without an answer count in the error rate, not here.' +
      (axis?.zoomed ? ` The axis shows ${axis.domain[0]} to ${axis.domain[1]}, the range the values occupy, not 0 to 1.` : '') +
      (lower.length ? ` Lower is better for ${lower.join(', ')}; higher for the others.` : ''),
    spec: chart({
      data: { values: rows },
      width: 520,
      height: { step: 12, for: 'offset' },
      encoding: { y, yOffset, color },
      layer: [
        { mark: { type: 'rule', strokeWidth: 2 }, encoding: { x: { field: 'ci_low', ...x }, x2: { field: 'ci_high' } } },
        {
          mark: { type: 'point', filled: true, size: 50 },
          encoding: {
            x: { field: 'mean', ...x },
            tooltip: [
              { field: 'target' },
              { field: 'metric' },
              { field: 'label' },
              { field: 'mean', format: '.3f' },
              { field: 'ci_low', format: '.3f' },
              { field: 'ci_high', format: '.3f' },
              { field: 'n' },
            ],
          },
        },
      ],
    }),
  };
}

/** Heatmap of means, one panel per tool: rows metrics, columns targets. Null with fewer than two tools. */
export function perToolFigure(summary: Summary): Figure | null {
  const targets = ran(summary);
  const tools = [...new Set(targets.flatMap((t) => Object.keys(t.by_tool)))].sort();
  if (tools.length < 2) return null;
  const rows = tools.flatMap((tool) => metricRows(targets, (t) => t.by_tool[tool] ?? {}).map((r) => ({ ...r, tool })));
  if (!rows.length) return null;
  const labels = orderMetrics(rows.map((r) => r.metric));
  const targetOrder = targets.map((t) => t.name);
  return {
    id: 'per-tool',
    title: 'Per-tool breakdown (mean per target, metric and tool)',
    caption: "Cell colour and label: the mean over that tool's calls. The per-tool tables below give the intervals and n.",
    spec: chart({
      data: { values: rows },
      facet: { column: { field: 'tool', type: 'nominal', title: 'tool' } },
      spec: {
        width: { step: 64 },
        height: { step: 18 },
        encoding: {
          x: { field: 'target', type: 'nominal', sort: targetOrder, title: null, axis: { labelAngle: -30 } },
          y: { field: 'metric', type: 'nominal', sort: labels, title: null, ...(metricAxis(labels) ? { axis: metricAxis(labels) } : {}) },
        },
        layer: [
          {
            mark: 'rect',
            encoding: {
              color: {
                field: 'mean',
                type: 'quantitative',
                scale: { scheme: 'blues', domain: allUnit(rows.map((r) => r.mean)) ? [0, 1] : undefined },
                title: 'mean',
              },
            },
          },
          {
            mark: { type: 'text', fontSize: 10 },
            encoding: {
              text: { field: 'mean', type: 'quantitative', format: '.2f' },
              color: { condition: { test: 'datum.mean > 0.6', value: 'white' }, value: 'black' },
            },
          },
        ],
      },
    }),
  };
}

/**
 * Box plots of per-call latency per target, from the records (the summary keeps only percentiles). A symlog
 * axis, because a replayed baseline answers in microseconds and a model in seconds. Null without records.
 */
export function latencyFigure(summary: Summary, latencies: (target: string) => ArrayLike<number>): Figure | null {
  const order = ran(summary).map((t) => t.name);
  const rows: { target: string; latency_ms: number }[] = [];
  let sampled = false;
  for (const target of order) {
    // Latencies sorted and taken at even ranks: a large run's chart (and its JSON export) stays small while
    // every target keeps the shape of its distribution, its minimum and its maximum.
    const xs = Float64Array.from(latencies(target)).sort();
    const keep = Math.min(xs.length, MAX_LATENCY_POINTS_PER_TARGET);
    if (keep < xs.length) sampled = true;
    for (let i = 0; i < keep; i++) rows.push({ target, latency_ms: xs[keep === 1 ? 0 : Math.round((i * (xs.length - 1)) / (keep - 1))] });
  }
  if (!rows.length) return null;
  return {
    id: 'latency',
    title: 'Latency of one tool call, per target',
    caption:
      "Wall time of each call, measured around the target's call (retries and their back-off included), failed calls too. Box: quartiles; whiskers: 1.5 IQR; dots: calls beyond. Log axis; calls under 0.001 ms are drawn at 0.001 ms. This is the latency of one call, not the wall time of an RL step." +
      (sampled
        ? ` Targets with more than ${MAX_LATENCY_POINTS_PER_TARGET} calls are drawn from ${MAX_LATENCY_POINTS_PER_TARGET} evenly spaced order statistics; the latency table gives the exact percentiles.`
        : ''),
    spec: chart({
      data: { values: rows },
      width: 520,
      height: { step: 26 },
      transform: [{ calculate: 'max(datum.latency_ms, 0.001)', as: 'latency_drawn_ms' }],
      mark: { type: 'boxplot', extent: 1.5, size: 16 },
      encoding: {
        y: { field: 'target', type: 'nominal', sort: order, title: null },
        x: { field: 'latency_drawn_ms', type: 'quantitative', title: 'latency per call (ms, log scale)', scale: { type: 'log' } },
        color: { field: 'target', type: 'nominal', sort: order, legend: null },
      },
    }),
  };
}
