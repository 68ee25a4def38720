/**
 * A comparison as Markdown fit for a pull-request comment (pure): the result first, then one table per
 * target pair, with B - A, its interval, the thresholds and the verdict of every metric.
 */
import type { Comparison, MetricComparison } from './compare.js';
import type { Table } from '../report/model.js';

export interface SideInfo {
  /** "run A", "baseline". */
  role: string;
  id: string;
  commit?: string | null;
}

export interface CompareContext {
  title: string;
  a: SideInfo;
  b: SideInfo;
  /** Differences in data the user allowed with --allow-different-data. */
  dataDifferences: string[];
  /** Where the gates came from, or why there are none. */
  gatesSource: string;
}

const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const n = (x: number | null, lower = false) => {
  if (x === null) return '–';
  const d = Math.abs(x) >= 100 ? 1 : Math.abs(x) >= 1 ? 3 : 4;
  return (lower && x > 0 ? '+' : '') + x.toFixed(d);
};

function diffCell(m: MetricComparison): string {
  if (m.diff.mean === null) return '–';
  const ci = m.diff.ci_low === null ? '' : ` [${n(m.diff.ci_low, true)}, ${n(m.diff.ci_high, true)}]`;
  return `${n(m.diff.mean, true)}${ci}`;
}

function verdictCell(m: MetricComparison): string {
  const v = m.outcome.failed ? `**${m.outcome.verdict === 'worse' ? 'REGRESSED' : 'GATE NOT CHECKED'}**` : m.outcome.verdict;
  return `${v}: ${m.outcome.reason}`;
}

export function renderCompareMarkdown(c: Comparison, ctx: CompareContext): string {
  const out: string[] = [];
  const failures = c.metrics.filter((m) => m.outcome.failed);
  out.push(`## ${ctx.title}`);
  out.push('');
  out.push(
    c.failed
      ? `**Result: FAILED** (${failures.length} gated metric${failures.length === 1 ? '' : 's'} failed${c.problems.length ? `, ${c.problems.length} gate problem${c.problems.length === 1 ? '' : 's'}` : ''})`
      : `**Result: passed**: no gated metric regressed.`,
  );
  out.push('');
  const side = (s: SideInfo) => `${s.role} \`${s.id}\`${s.commit ? ` (commit ${s.commit.slice(0, 10)})` : ''}`;
  out.push(
    `A = ${side(ctx.a)}; B = ${side(ctx.b)}. Differences are B - A over the calls both scored, paired by call id + repeat; 95% intervals by ${c.bootstrap.method}. Gates: ${ctx.gatesSource}.`,
  );
  for (const p of c.problems) out.push('', `- gate problem: ${p}`);
  if (ctx.dataDifferences.length) {
    out.push('', '**Compared despite different data** (--allow-different-data):');
    for (const d of ctx.dataDifferences) out.push(`- ${d}`);
  }
  for (const { pair, backend_a, backend_b } of c.pairs) {
    out.push('');
    out.push(pair.a === pair.b ? `### target ${pair.a}` : `### ${pair.a} (A) vs ${pair.b} (B)`);
    out.push('');
    out.push(`A: ${esc(backend_a)}; B: ${esc(backend_b)}`);
    out.push('');
    out.push('| metric | gated | pairs | A | B | B - A [95% CI] | min_delta | max_regression | verdict |');
    out.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const m of c.metrics.filter((x) => x.pair === pair)) {
      const unpaired = m.only_a || m.only_b ? ` (+${m.only_a} A-only, ${m.only_b} B-only)` : '';
      out.push(
        `| \`${m.metric}\`${m.lower_is_better ? ' (lower is better)' : ''} | ${m.gate.gated ? 'yes' : 'no'} | ${m.n_pairs}${unpaired} | ${n(m.mean_a)} | ${n(m.mean_b)} | ${diffCell(m)} | ${m.gate.min_delta} | ${m.gate.gated ? m.gate.max_regression : '–'} | ${esc(verdictCell(m))} |`,
      );
    }
  }
  out.push('');
  return out.join('\n');
}

/** The comparison as a flat table, for the CSV export. */
export function comparisonTable(c: Comparison): Table {
  return {
    id: 'compare',
    title: 'Per target pair and metric: B - A over paired calls',
    columns: [
      'target_a',
      'target_b',
      'metric',
      'lower_is_better',
      'pairs',
      'only_a',
      'only_b',
      'mean_a',
      'mean_b',
      'diff',
      'ci_low',
      'ci_high',
      'gated',
      'min_delta',
      'max_regression',
      'verdict',
      'failed',
      'reason',
    ],
    rows: c.metrics.map((m) => [
      m.pair.a,
      m.pair.b,
      m.metric,
      m.lower_is_better,
      m.n_pairs,
      m.only_a,
      m.only_b,
      m.mean_a,
      m.mean_b,
      m.diff.mean,
      m.diff.ci_low,
      m.diff.ci_high,
      m.gate.gated,
      m.gate.min_delta,
      m.gate.max_regression,
      m.outcome.verdict,
      m.outcome.failed,
      m.outcome.reason,
    ]),
  };
}
