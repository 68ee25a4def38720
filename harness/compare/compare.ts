/**
 * Comparing two runs call by call (pure). For each pair of targets (the same name in both runs, or the pair
 * given with --target-a/--target-b), each metric is compared over the calls both runs scored, paired by
 * call id + repeat (see score-table.ts for why not by item id): the mean of B - A with a paired bootstrap
 * 95% interval, then a verdict against the suite's gates (gates.ts).
 */
import type { GatesSpec } from '../suite/report-sections.js';
import { DEFAULT_BOOTSTRAP } from '../suite/report-sections.js';
import { bootstrapMeanDiffCI } from '../scoring/stats.js';
import { gateFor, judgeDifference, type Difference, type GateOutcome } from './gates.js';
import { isKnownMetric, isLowerBetter, orderMetrics } from '../scoring/metric-registry.js';
import type { CallScores, ScoreTable } from '../report/score-table.js';
import type { GateSpec } from '../suite/report-sections.js';

export interface TargetPair {
  a: string;
  b: string;
}

export interface MetricComparison {
  pair: TargetPair;
  metric: string;
  n_pairs: number;
  /** Calls with a value for this metric in only one of the runs (not paired, so not compared). */
  only_a: number;
  only_b: number;
  /** Means over the paired calls only, so that their difference is the mean difference. */
  mean_a: number | null;
  mean_b: number | null;
  diff: Difference;
  lower_is_better: boolean;
  gate: GateSpec & { listed: boolean };
  outcome: GateOutcome;
}

export interface Comparison {
  pairs: { pair: TargetPair; backend_a: string; backend_b: string }[];
  metrics: MetricComparison[];
  /** Things that stop a gate being checked (a gated target missing), each failing the comparison. */
  problems: string[];
  bootstrap: { iters: number; seed: number; method: string };
  failed: boolean;
}

/** Targets that ran in both runs under the same name, in A's order. */
export function samePairs(a: ScoreTable, b: ScoreTable): TargetPair[] {
  return [...a.targets.keys()].filter((t) => b.targets.has(t)).map((t) => ({ a: t, b: t }));
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);

function compareMetric(a: CallScores, b: CallScores, metric: string, boot: { iters: number; seed: number }) {
  const pairs: [number, number][] = [];
  let onlyA = 0;
  let onlyB = 0;
  // Keys in sorted order: the bootstrap's resamples then do not depend on the order records were written.
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  for (const k of keys) {
    const va = a.get(k)?.[metric];
    const vb = b.get(k)?.[metric];
    if (va !== undefined && vb !== undefined) pairs.push([vb, va]);
    else if (va !== undefined) onlyA++;
    else if (vb !== undefined) onlyB++;
  }
  const ci = bootstrapMeanDiffCI(pairs, boot.iters, boot.seed);
  return {
    n_pairs: pairs.length,
    only_a: onlyA,
    only_b: onlyB,
    mean_a: mean(pairs.map((p) => p[1])),
    mean_b: mean(pairs.map((p) => p[0])),
    diff: { mean: ci.mean_diff, ci_low: ci.ci_low, ci_high: ci.ci_high },
  };
}

function metricsOf(calls: CallScores | undefined): string[] {
  const out = new Set<string>();
  for (const v of calls?.values() ?? []) for (const m of Object.keys(v)) out.add(m);
  return [...out];
}

/**
 * `requireBaseTargets`: every target with records in A must be compared (a baseline check, where a target
 * that stopped running is a loss of coverage, not a pass).
 */
export function compareScores(
  a: ScoreTable,
  b: ScoreTable,
  pairs: TargetPair[],
  gates: GatesSpec | undefined,
  opts: { requireBaseTargets?: boolean } = {},
): Comparison {
  const boot = gates?.bootstrap ?? DEFAULT_BOOTSTRAP;
  const problems: string[] = [];
  if (opts.requireBaseTargets) {
    for (const t of a.targets.keys())
      if (!pairs.some((p) => p.a === t)) problems.push(`target ${t} ran in the baseline but did not run now (no records in this run)`);
  }
  for (const m of Object.keys(gates?.metrics ?? {})) {
    if (!isKnownMetric(m)) problems.push(`gates name metric ${m}, which no scorer defines (a typo would leave it unchecked)`);
  }
  for (const t of gates?.targets ?? []) {
    if (!pairs.some((p) => p.b === t || p.a === t))
      problems.push(
        `gates name target ${t}, which is not among the compared targets (${pairs.map((p) => (p.a === p.b ? p.a : `${p.a} vs ${p.b}`)).join(', ') || 'none'})`,
      );
  }
  const metrics: MetricComparison[] = [];
  for (const pair of pairs) {
    const ca = a.targets.get(pair.a)!;
    const cb = b.targets.get(pair.b)!;
    const gatedHere = !gates?.targets || gates.targets.includes(pair.b) || gates.targets.includes(pair.a);
    const gatedMetrics = gatedHere
      ? Object.entries(gates?.metrics ?? {})
          .filter(([, g]) => g.gated)
          .map(([m]) => m)
      : [];
    const names = orderMetrics([...metricsOf(ca), ...metricsOf(cb), ...gatedMetrics]);
    for (const metric of names) {
      const listed = gateFor(gates, metric);
      const gate = { ...listed, gated: listed.gated && gatedHere };
      const stats = compareMetric(ca, cb, metric, boot);
      const lower = isLowerBetter(metric);
      let outcome = judgeDifference(stats.diff, lower, gate);
      // An unchecked gate fails only when A had values to hold B to: a metric neither run measured (an
      // invalid-call metric on a slice without invalid calls) is not a regression.
      const inA = stats.n_pairs + stats.only_a;
      if (outcome.failed && outcome.verdict === 'not enough data' && inA < 2) {
        outcome = {
          verdict: 'not enough data',
          failed: false,
          reason: inA + stats.only_b === 0 ? 'no values in either run' : 'A has fewer than two values: nothing to hold B to',
        };
      } else if (outcome.failed && outcome.verdict === 'not enough data') {
        outcome = { ...outcome, reason: `gated, and A has ${inA} values but only ${stats.n_pairs} pair with B` };
      }
      metrics.push({ pair, metric, ...stats, lower_is_better: lower, gate, outcome });
    }
  }
  return {
    pairs: pairs.map((pair) => ({ pair, backend_a: a.backends.get(pair.a) ?? '?', backend_b: b.backends.get(pair.b) ?? '?' })),
    metrics,
    problems,
    bootstrap: { ...boot, method: `paired percentile bootstrap of the mean difference, ${boot.iters} resamples, seed ${boot.seed}` },
    failed: problems.length > 0 || metrics.some((m) => m.outcome.failed),
  };
}
