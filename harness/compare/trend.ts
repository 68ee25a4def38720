/**
 * Each metric over the nights (pure). Consecutive nights of one suite, target and metric are compared by an
 * unpaired difference of their means (different nights share calls, but the history keeps only summaries),
 * with a normal-approximation 95% interval built from the two nights' own intervals. A night whose change
 * from the night before is "worse" (gates.ts, with that night's gates) is marked as a regression.
 */
import { DEFAULT_GATE } from '../suite/report-sections.js';
import { gateFor, judgeDifference, type Difference, type GateOutcome } from './gates.js';
import type { HistoryEntry } from './history.js';
import { isLowerBetter, orderMetrics } from '../scoring/metric-registry.js';
import type { MeanFigures } from '../scoring/stats.js';

const Z975 = 1.959963984540054;

export const UNPAIRED_METHOD = "difference of means, normal approximation: standard errors taken as each 95% interval's half-width / 1.96";

/** b - a with an approximate 95% interval; null bounds when either side has no interval. */
export function unpairedDifference(a: MeanFigures, b: MeanFigures): Difference {
  if (a.mean === null || b.mean === null) return { mean: null, ci_low: null, ci_high: null };
  const mean = b.mean - a.mean;
  if (a.ci_low === null || a.ci_high === null || b.ci_low === null || b.ci_high === null) return { mean, ci_low: null, ci_high: null };
  const se = Math.hypot((a.ci_high - a.ci_low) / (2 * Z975), (b.ci_high - b.ci_low) / (2 * Z975));
  return { mean, ci_low: mean - Z975 * se, ci_high: mean + Z975 * se };
}

export interface TrendPoint {
  run_id: string;
  at: string;
  commit: string | null;
  mean: number | null;
  ci_low: number | null;
  ci_high: number | null;
  n: number;
  /** The change from the previous night with this target and metric; null on the first. */
  change: (GateOutcome & { diff: Difference; previous_run: string }) | null;
  regression: boolean;
}

export interface TrendSeries {
  suite: string;
  target: string;
  metric: string;
  lower_is_better: boolean;
  points: TrendPoint[];
}

export interface Trend {
  suites: string[];
  series: TrendSeries[];
  nights: { suite: string; run_id: string; at: string; commit: string | null; status: string }[];
}

export function buildTrend(entries: readonly HistoryEntry[], opts: { suite?: string; last?: number } = {}): Trend {
  const sorted = [...entries]
    .filter((e) => !opts.suite || e.suite.name === opts.suite)
    .sort((a, b) => (a.started_at < b.started_at ? -1 : a.started_at > b.started_at ? 1 : 0));
  const suites = [...new Set(sorted.map((e) => e.suite.name))];
  const series: TrendSeries[] = [];
  const nights: Trend['nights'] = [];
  for (const suite of suites) {
    let runs = sorted.filter((e) => e.suite.name === suite);
    if (opts.last) runs = runs.slice(-opts.last);
    nights.push(...runs.map((e) => ({ suite, run_id: e.run_id, at: e.started_at, commit: e.harness.git_commit, status: e.status })));
    const targets = [...new Set(runs.flatMap((e) => e.targets.filter((t) => t.status === 'ran').map((t) => t.name)))];
    for (const target of targets) {
      const metrics = orderMetrics(runs.flatMap((e) => Object.keys(e.targets.find((t) => t.name === target)?.metrics ?? {})));
      for (const metric of metrics) {
        const lower = isLowerBetter(metric);
        const points: TrendPoint[] = [];
        let prev: { summary: MeanFigures; run_id: string } | null = null;
        for (const e of runs) {
          const m = e.targets.find((t) => t.name === target && t.status === 'ran')?.metrics[metric];
          if (!m) continue;
          let change: TrendPoint['change'] = null;
          if (prev) {
            const diff = unpairedDifference(prev.summary, m);
            const gate = e.gates ? gateFor(e.gates, metric) : { ...DEFAULT_GATE };
            change = { ...judgeDifference(diff, lower, gate), diff, previous_run: prev.run_id };
          }
          points.push({
            run_id: e.run_id,
            at: e.started_at,
            commit: e.harness.git_commit,
            mean: m.mean,
            ci_low: m.ci_low,
            ci_high: m.ci_high,
            n: m.n,
            change,
            regression: change?.verdict === 'worse',
          });
          prev = { summary: m, run_id: e.run_id };
        }
        if (points.length) series.push({ suite, target, metric, lower_is_better: lower, points });
      }
    }
  }
  return { suites, series, nights };
}
