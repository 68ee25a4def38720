/**
 * The run report's answer to "which target is better, by how much, how sure": with two or more targets that
 * ran, each one against a baseline target (--baseline-target, default the first model target, else
 * `reference`, else the first that ran), per metric: the mean difference over the calls both scored, its
 * paired bootstrap 95% interval and the verdict, computed by compare's own compareScores (one computation
 * for `compare` and the report). No gates here: the verdicts use the default thresholds; gates belong to
 * `compare` and `run --against`.
 */
import { compareScores, type Comparison, type MetricComparison } from '../compare/compare.js';
import type { RunRecord } from '../records/types.js';
import { directionalLabel } from './metric-marks.js';
import { UserError } from '../util/errors.js';
import { tableBlock, type Section, type Table } from './model.js';
import { scoreTableFromRecords, type ScoreTable } from './score-table.js';
import type { Summary } from './summary.js';

export interface PairedDifferences {
  baseline: string;
  comparison: Comparison;
}

/**
 * The baseline target: the one named, or the default; undefined with fewer than two targets that ran.
 * `strict` (a flag typed now): a named target that did not run is an error; otherwise the default is used.
 */
export function chooseBaselineTarget(summary: Summary, named?: string, strict = false): string | undefined {
  const ran = summary.targets.filter((t) => t.status === 'ran');
  if (named !== undefined && !ran.some((t) => t.name === named)) {
    if (!strict) return chooseBaselineTarget(summary);
    throw new UserError(`--baseline-target ${named}: no target of that name ran (targets that ran: ${ran.map((t) => t.name).join(', ') || 'none'})`);
  }
  if (ran.length < 2) return undefined;
  return named ?? ran.find((t) => t.kind === 'openai')?.name ?? ran.find((t) => t.name === 'reference')?.name ?? ran[0].name;
}

/** `scores`: the records, or their score table when it was folded from a streamed records file. */
export function pairedDifferences(summary: Summary, scores: readonly RunRecord[] | ScoreTable | undefined, named?: string): PairedDifferences | undefined {
  const baseline = chooseBaselineTarget(summary, named);
  if (!baseline || !scores) return undefined;
  const table = Array.isArray(scores) ? scoreTableFromRecords(scores) : (scores as ScoreTable);
  const others = summary.targets.filter((t) => t.status === 'ran' && t.name !== baseline && table.targets.has(t.name)).map((t) => t.name);
  if (!table.targets.has(baseline) || !others.length) return undefined;
  const comparison = compareScores(
    table,
    table,
    others.map((b) => ({ a: baseline, b })),
    undefined,
  );
  return { baseline, comparison };
}

const num = (x: number | null, sign = false) => (x === null ? '–' : (sign && x > 0 ? '+' : '') + x.toFixed(Math.abs(x) >= 100 ? 1 : Math.abs(x) >= 1 ? 3 : 4));
const interval = (m: MetricComparison) => (m.diff.ci_low === null ? '' : ` [${num(m.diff.ci_low, true)}, ${num(m.diff.ci_high, true)}]`);
const label = (m: MetricComparison) => directionalLabel(m.metric);

export function pairedTable(p: PairedDifferences): Table {
  return {
    id: 'paired-differences',
    title: `Paired differences against ${p.baseline}`,
    columns: ['target', 'metric', 'label', 'pairs', `mean ${p.baseline}`, 'mean target', 'difference (target - baseline)', '95% interval', 'verdict'],
    rows: p.comparison.metrics.map((m) => [
      m.pair.b,
      m.metric,
      label(m),
      m.n_pairs,
      // Formatted as report.md formats them (3-4 decimals by size), not as raw floats (`1`, `0.002`).
      num(m.mean_a),
      num(m.mean_b),
      num(m.diff.mean, true),
      m.diff.ci_low === null ? null : `[${num(m.diff.ci_low, true)}, ${num(m.diff.ci_high, true)}]`,
      `${m.outcome.verdict}: ${m.outcome.reason}`,
    ]),
    note: `Over the calls both targets scored, paired by call id and repeat; ${p.comparison.bootstrap.method}. The same computation as gtm-bench compare.`,
  };
}

export function pairedSection(p: PairedDifferences | undefined, ran: number): Section {
  const intro = 'Which target is better, by how much, how sure: each target minus the baseline target, per metric.';
  if (!p) {
    return {
      id: 'paired',
      title: 'Paired differences',
      intro,
      blocks: [{ kind: 'absent', text: `Not in this run: ${ran < 2 ? 'fewer than two targets ran' : 'no two targets scored the same calls'}.` }],
    };
  }
  return { id: 'paired', title: `Paired differences against ${p.baseline}`, intro, blocks: [tableBlock(pairedTable(p))] };
}

export function pairedMarkdown(p: PairedDifferences | undefined): string[] {
  if (!p) return [];
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const out = [
    '',
    `## Paired differences against ${p.baseline}`,
    '',
    `Each target minus \`${p.baseline}\` over the calls both scored, paired by call id and repeat; ${p.comparison.bootstrap.method} (as \`gtm-bench compare\`).`,
    '',
  ];
  out.push('| target | metric | pairs | baseline | target | difference [95% CI] | verdict |', '| --- | --- | ---: | ---: | ---: | --- | --- |');
  for (const m of p.comparison.metrics) {
    out.push(
      `| ${m.pair.b} | ${esc(label(m))} (\`${m.metric}\`) | ${m.n_pairs} | ${num(m.mean_a)} | ${num(m.mean_b)} | ${num(m.diff.mean, true)}${interval(m)} | ${esc(`${m.outcome.verdict}: ${m.outcome.reason}`)} |`,
    );
  }
  return out;
}
