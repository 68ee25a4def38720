/**
 * The sections of a run report that every fidelity run has (pure): targets, fidelity, latency, the
 * per-tool breakdown and how each metric is computed. Targets keep the suite's order and every column
 * names the backend that produced it, so several GTM checkpoints read side by side.
 */
import type { Manifest } from '../../records/manifest.js';
import { fidelityFigure, latencyFigure, perToolFigure } from '../charts/run-specs.js';
import { fmtMetric, fmtScored, INTERVAL_NOTE } from '../format-number.js';
import { metricDef, orderMetrics } from '../../scoring/metric-registry.js';
import { BEST_NOTE, compareRow, directionalLabel, NOT_COMPARABLE_LABEL, notComparableNote } from '../metric-marks.js';
import { figureBlock, noteBlock, tableBlock, type Block, type Section, type Table } from '../model.js';
import type { MetricSummary, Summary, TargetSummary } from '../summary.js';
import { invalidUtf8Notes } from '../invalid-utf8.js';

/** Model name and prompt template of an openai target, from the manifest's config (no secrets there). */
function modelOf(manifest: Manifest, name: string): string {
  const cfg = manifest.targets.find((t) => t.name === name)?.config ?? {};
  const model = typeof cfg.model === 'string' ? cfg.model : null;
  const tpl = cfg.template as { id?: string; version?: unknown } | undefined;
  return [model, tpl?.id ? `template ${tpl.id}${tpl.version !== undefined ? ' v' + tpl.version : ''}` : null].filter(Boolean).join(', ');
}

export function targetsSection(manifest: Manifest, summary: Summary): Section {
  const table: Table = {
    id: 'targets',
    title: 'Targets',
    columns: [
      'target',
      'kind',
      'backend (produced these numbers)',
      'model / prompt',
      'status',
      'calls',
      'errors',
      'error rate',
      'retries',
      'latency p50 ms',
      'latency p90 ms',
      'latency p99 ms',
    ],
    rows: summary.targets.map((t) => [
      t.name,
      t.kind,
      t.backend,
      modelOf(manifest, t.name) || null,
      t.status === 'ran' ? 'ran' : `${t.status}${t.reason ? ': ' + t.reason : ''}`,
      t.calls,
      t.status === 'ran' ? t.errors : null,
      t.error_rate,
      t.retries,
      t.latency_ms?.p50 ?? null,
      t.latency_ms?.p90 ?? null,
      t.latency_ms?.p99 ?? null,
    ]),
  };
  const models = summary.targets.filter((t) => t.kind === 'openai' && t.status === 'ran');
  const blocks: Block[] = [tableBlock(table)];
  if (models.length > 1) {
    blocks.push(
      noteBlock(
        `${models.length} model targets ran side by side (${models.map((t) => `${t.name}: ${t.backend}`).join('; ')}); every chart and table below keeps them in this order.`,
      ),
    );
  }
  for (const note of invalidUtf8Notes(summary)) blocks.push(noteBlock(note));
  return {
    id: 'targets',
    title: 'Targets',
    intro: 'What answered the calls. A target that was not configured here is listed with the reason, never with numbers.',
    blocks,
  };
}

/**
 * Metric rows, one column per target: "mean [low, high] scored n of N"; the label says when lower is better,
 * the best value of each row is marked and a row whose targets were scored over different calls is flagged
 * (metric-marks.ts).
 */
export function wideMetricTable(id: string, title: string, targets: TargetSummary[], pick: (t: TargetSummary) => Record<string, MetricSummary>): Table {
  const metrics = orderMetrics(targets.filter((t) => t.status === 'ran').flatMap((t) => Object.keys(pick(t))));
  const FIRST_TARGET_COLUMN = 2;
  const compared = metrics.map((metric) => ({
    metric,
    row: compareRow(
      metric,
      targets.map((t) => ({ target: t.name, figures: t.status === 'ran' ? pick(t)[metric] : undefined })),
    ),
  }));
  const marked = compared.some((c) => c.row.best.length);
  const notes = compared.flatMap((c) => (c.row.notComparable ? [notComparableNote(c.metric, c.row.notComparable)] : []));
  return {
    id,
    title,
    columns: ['metric', 'label', ...targets.map((t) => t.name)],
    rows: compared.map(({ metric, row }) => [
      metric,
      `${directionalLabel(metric)}${row.notComparable ? NOT_COMPARABLE_LABEL : ''}`,
      ...targets.map((t) => {
        if (t.status !== 'ran') return t.status;
        const m = pick(t)[metric];
        return m ? `${fmtMetric(m)} ${fmtScored(m)}` : null;
      }),
    ]),
    best: compared.map(({ row }) => row.best.map((i) => i + FIRST_TARGET_COLUMN)),
    note: [
      'mean [95% interval], scored n of N calls: the calls without an answer and those the metric does not apply to are counted beside each mean.',
      ...(marked ? [BEST_NOTE] : []),
      ...notes,
    ].join(' '),
  };
}

export function fidelitySection(summary: Summary): Section {
  const fig = fidelityFigure(summary);
  const blocks: Block[] = fig ? [figureBlock(fig)] : [noteBlock('No target produced scores in this run.')];
  blocks.push(tableBlock(wideMetricTable('fidelity', 'Fidelity per metric and target', summary.targets, (t) => t.metrics)));
  return { id: 'fidelity', title: 'Fidelity', intro: 'How faithful each target is to the real tool, per metric, over all calls.', blocks };
}

/** `latencies`: each target's call latencies (from the records), for the chart; without them, the table alone. */
export function latencySection(summary: Summary, latencies?: (target: string) => ArrayLike<number>): Section {
  const fig = latencies ? latencyFigure(summary, latencies) : null;
  const table: Table = {
    id: 'latency',
    title: 'Latency of one call per target (ms)',
    columns: ['target', 'backend', 'calls', 'mean', 'p50', 'p90', 'p99', 'max'],
    rows: summary.targets
      .filter((t) => t.latency_ms)
      .map((t) => [t.name, t.backend, t.calls, t.latency_ms!.mean, t.latency_ms!.p50, t.latency_ms!.p90, t.latency_ms!.p99, t.latency_ms!.max]),
  };
  return {
    id: 'latency',
    title: 'Latency per call',
    intro: 'How long one tool call took per target. This is per-call latency; the wall time of an RL step is in the agent section.',
    blocks: [...(fig ? [figureBlock(fig)] : [noteBlock('No calls were made in this run.')]), tableBlock(table)],
  };
}

export function perToolSection(summary: Summary): Section | null {
  const tools = [...new Set(summary.targets.flatMap((t) => Object.keys(t.by_tool)))].sort();
  if (tools.length < 2) return null;
  const fig = perToolFigure(summary);
  const safe = (tool: string) => tool.replace(/[^A-Za-z0-9_.-]/g, '_');
  return {
    id: 'per-tool',
    title: 'Per-tool breakdown',
    blocks: [
      ...(fig ? [figureBlock(fig)] : []),
      ...tools.map((tool) => tableBlock(wideMetricTable(`tool-${safe(tool)}`, `Tool ${tool}`, summary.targets, (t) => t.by_tool[tool] ?? {}))),
    ],
  };
}

export function metricsHowSection(summary: Summary): Section {
  const used = orderMetrics(summary.targets.flatMap((t) => Object.keys(t.metrics)));
  const table: Table = {
    id: 'metric-definitions',
    title: 'How each metric is computed',
    columns: ['metric', 'label', 'family', 'lower is better', 'how'],
    rows: used.map((m) => {
      const info = metricDef(m);
      return [m, info?.label ?? m, info?.family ?? null, info?.direction === 'lower', info?.how ?? 'no description registered'];
    }),
    note: INTERVAL_NOTE,
  };
  return { id: 'metrics', title: 'How the metrics are computed', blocks: [tableBlock(table)] };
}
