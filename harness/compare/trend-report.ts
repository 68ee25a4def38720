/**
 * The trend as a ReportDoc (charts and tables, for trend.html and its exports) and as Markdown (pure).
 * One chart per suite and metric: each target's nightly mean with its 95% interval, regressions in red.
 */
import { chart } from '../report/charts/common.js';
import { metricLabel } from '../scoring/metric-registry.js';
import { figureBlock, noteBlock, tableBlock, type Figure, type ReportDoc, type Section } from '../report/model.js';
import { UNPAIRED_METHOD, type Trend, type TrendSeries } from './trend.js';

const safe = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_');

function metricFigure(suite: string, metric: string, series: TrendSeries[]): Figure {
  const rows = series.flatMap((s) =>
    s.points
      .filter((p) => p.mean !== null)
      .map((p) => ({
        target: s.target,
        at: p.at,
        run_id: p.run_id,
        mean: p.mean,
        ci_low: p.ci_low,
        ci_high: p.ci_high,
        n: p.n,
        regression: p.regression,
        change: p.change ? `${p.change.verdict}: ${p.change.reason}` : 'first night',
      })),
  );
  const x = { field: 'at', type: 'temporal', title: 'night (run start)' };
  const color = { field: 'target', type: 'nominal', title: 'target' };
  const lower = series[0]?.lower_is_better;
  return {
    id: `trend-${safe(suite)}-${safe(metric)}`,
    title: `${suite}: ${metricLabel(metric)} (${metric})${lower ? ', lower is better' : ''}`,
    spec: chart({
      data: { values: rows },
      width: 620,
      height: 200,
      layer: [
        { mark: { type: 'line', point: false }, encoding: { x, y: { field: 'mean', type: 'quantitative', title: metric, scale: { zero: false } }, color } },
        { mark: { type: 'rule' }, encoding: { x, y: { field: 'ci_low', type: 'quantitative' }, y2: { field: 'ci_high' }, color } },
        {
          mark: { type: 'point', filled: true, size: 40 },
          encoding: {
            x,
            y: { field: 'mean', type: 'quantitative' },
            color,
            tooltip: [{ field: 'run_id' }, { field: 'target' }, { field: 'mean', format: '.4f' }, { field: 'change' }],
          },
        },
        {
          transform: [{ filter: 'datum.regression' }],
          mark: { type: 'point', shape: 'triangle-down', size: 160, color: '#b3261e', filled: true },
          encoding: { x, y: { field: 'mean', type: 'quantitative' }, tooltip: [{ field: 'run_id' }, { field: 'target' }, { field: 'change' }] },
        },
      ],
    }),
    caption: `Dots: nightly means; vertical rules: 95% intervals; red triangles: nights worse than the night before (${UNPAIRED_METHOD}).`,
  };
}

export function buildTrendReport(trend: Trend, historyFile: string): ReportDoc {
  const sections: Section[] = trend.suites.map((suite) => {
    const mine = trend.series.filter((s) => s.suite === suite);
    const metrics = [...new Set(mine.map((s) => s.metric))];
    const regressions = mine.flatMap((s) =>
      s.points
        .filter((p) => p.regression)
        .map((p) => [
          p.run_id,
          p.at,
          s.target,
          s.metric,
          p.change!.previous_run,
          p.change!.diff.mean,
          p.change!.diff.ci_low,
          p.change!.diff.ci_high,
          p.change!.failed,
          p.change!.reason,
        ]),
    );
    const nights = trend.nights.filter((n) => n.suite === suite);
    return {
      id: `suite-${safe(suite)}`,
      title: `Suite ${suite}: ${nights.length} night${nights.length === 1 ? '' : 's'}`,
      blocks: [
        regressions.length
          ? tableBlock({
              id: `regressions-${safe(suite)}`,
              title: 'Regressions (worse than the night before)',
              columns: ['run', 'night', 'target', 'metric', 'previous run', 'change', 'ci_low', 'ci_high', 'fails a gate', 'why'],
              rows: regressions,
            })
          : noteBlock('No night was detectably worse than the night before.'),
        ...metrics.map((m) =>
          figureBlock(
            metricFigure(
              suite,
              m,
              mine.filter((s) => s.metric === m),
            ),
          ),
        ),
        tableBlock({
          id: `trend-${safe(suite)}`,
          title: 'Every night, target and metric',
          columns: ['run', 'night', 'commit', 'target', 'metric', 'n', 'mean', 'ci_low', 'ci_high', 'change vs previous', 'regression'],
          rows: mine.flatMap((s) =>
            s.points.map((p) => [
              p.run_id,
              p.at,
              p.commit?.slice(0, 10) ?? null,
              s.target,
              s.metric,
              p.n,
              p.mean,
              p.ci_low,
              p.ci_high,
              p.change?.verdict ?? null,
              p.regression,
            ]),
          ),
          export_only: true,
        }),
      ],
    };
  });
  return {
    title: 'gtm-bench trend',
    lead: [`From ${historyFile}: ${trend.nights.length} runs of ${trend.suites.length} suite${trend.suites.length === 1 ? '' : 's'}.`],
    sections: sections.length
      ? sections
      : [
          {
            id: 'empty',
            title: 'No history',
            blocks: [{ kind: 'absent', text: `${historyFile} holds no runs yet: add one with gtm-bench trend --add RUN_DIR or run --history FILE.` }],
          },
        ],
  };
}

const fmt = (x: number | null) => (x === null ? '–' : x.toFixed(3));

export function renderTrendMarkdown(trend: Trend, historyFile: string, lastNights = 10): string {
  const out = [
    `# gtm-bench trend`,
    '',
    `From \`${historyFile}\`. ▼ marks a night detectably worse than the one before (${UNPAIRED_METHOD}); **▼** also fails a gate.`,
  ];
  for (const suite of trend.suites) {
    const nights = trend.nights.filter((n) => n.suite === suite).slice(-lastNights);
    out.push('', `## ${suite}`, '');
    out.push(`| target | metric | ${nights.map((n) => n.at.slice(0, 10) + ' ' + n.at.slice(11, 16)).join(' | ')} |`);
    out.push(`| --- | --- | ${nights.map(() => '---').join(' | ')} |`);
    for (const s of trend.series.filter((x) => x.suite === suite)) {
      const cells = nights.map((n) => {
        const p = s.points.find((q) => q.run_id === n.run_id);
        if (!p) return '';
        return `${fmt(p.mean)}${p.regression ? (p.change?.failed ? ' **▼**' : ' ▼') : ''}`;
      });
      out.push(`| ${s.target} | \`${s.metric}\` | ${cells.join(' | ')} |`);
    }
  }
  out.push('');
  return out.join('\n');
}
