/**
 * Verdicts on a difference between two runs (pure). The difference is oriented so that positive is an
 * improvement (lower-is-better metrics are turned around), then:
 *   better    its 95% interval lies above 0 and the mean improvement is at least min_delta;
 *   worse     its interval lies below 0 and the mean worsening is at least min_delta;
 *   otherwise no detectable change.
 * A gated metric fails when it is worse by more than max_regression, or when it cannot be checked at all
 * (no interval: fewer than two pairs), since a gate that silently passes on missing data protects nothing.
 */
import { DEFAULT_GATE, type GateSpec, type GatesSpec } from '../suite/report-sections.js';

export type Verdict = 'better' | 'worse' | 'no detectable change' | 'not enough data';

export interface Difference {
  /** b - a, in the metric's units. */
  mean: number | null;
  ci_low: number | null;
  ci_high: number | null;
}

export interface GateOutcome {
  verdict: Verdict;
  /** True when a gated metric regressed beyond max_regression or could not be checked. */
  failed: boolean;
  /** Why it failed, or how it stands against its thresholds. */
  reason: string;
}

export function gateFor(gates: GatesSpec | undefined, metric: string): GateSpec & { listed: boolean } {
  const g = gates?.metrics[metric];
  return g ? { ...g, listed: true } : { ...DEFAULT_GATE, listed: false };
}

const f = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(1) : Math.abs(x) >= 1 ? x.toFixed(3) : x.toFixed(4));

export function judgeDifference(d: Difference, lowerIsBetter: boolean, gate: GateSpec): GateOutcome {
  if (d.mean === null || d.ci_low === null || d.ci_high === null) {
    return gate.gated
      ? { verdict: 'not enough data', failed: true, reason: 'gated, but there is no interval to check (fewer than two values on a side)' }
      : { verdict: 'not enough data', failed: false, reason: 'fewer than two values on a side' };
  }
  const sign = lowerIsBetter ? -1 : 1;
  const gain = sign * d.mean;
  const lo = lowerIsBetter ? -d.ci_high : d.ci_low;
  const hi = lowerIsBetter ? -d.ci_low : d.ci_high;
  let verdict: Verdict = 'no detectable change';
  if (lo > 0 && gain >= gate.min_delta) verdict = 'better';
  else if (hi < 0 && -gain >= gate.min_delta) verdict = 'worse';
  if (verdict !== 'worse') {
    const why = lo > 0 || hi < 0 ? `interval excludes 0 but |change| ${f(Math.abs(gain))} < min_delta ${gate.min_delta}` : 'interval includes 0';
    return { verdict, failed: false, reason: verdict === 'better' ? 'improved' : why };
  }
  const drop = -gain;
  if (gate.gated && drop > gate.max_regression) {
    return { verdict, failed: true, reason: `worse by ${f(drop)}, more than max_regression ${gate.max_regression}` };
  }
  return {
    verdict,
    failed: false,
    reason: gate.gated ? `worse by ${f(drop)}, within max_regression ${gate.max_regression}` : `worse by ${f(drop)} (not gated)`,
  };
}
