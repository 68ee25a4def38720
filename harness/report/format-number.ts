import type { MetricSummary } from './summary.js';

export function fmt(x: number | null | undefined, digits = 3): string {
  return x === null || x === undefined ? '–' : x.toFixed(digits);
}

/** `0.912 [0.874, 0.941]`; the interval is left out when it could not be computed. */
export function fmtMetric(m: MetricSummary | undefined): string {
  if (!m || m.mean === null) return '–';
  const ci = m.ci_low === null || m.ci_high === null ? '' : ` [${fmt(m.ci_low)}, ${fmt(m.ci_high)}]`;
  return `${fmt(m.mean)}${ci}`;
}
