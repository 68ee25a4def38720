import type { MeanFigures } from '../scoring/stats.js';
import type { MetricSummary } from './summary.js';

export function fmt(x: number | null | undefined, digits = 3): string {
  return x === null || x === undefined ? '–' : x.toFixed(digits);
}

/** `0.912 [0.874, 0.941]`; the interval is left out when it could not be computed. */
export function fmtMetric(m: MeanFigures | undefined): string {
  if (!m || m.mean === null) return '–';
  const ci = m.ci_low === null || m.ci_high === null ? '' : ` [${fmt(m.ci_low)}, ${fmt(m.ci_high)}]`;
  return `${fmt(m.mean)}${ci}`;
}

/**
 * The mean's denominator in words: `scored 270 of 300`, with what the rest were when any (`30 no answer`,
 * `12 not applicable`); `short` (the terminal): `scored 270/300`. A summary written before the counts existed
 * shows `n=270`.
 */
export function fmtScored(m: Pick<MetricSummary, 'n'> & Partial<MetricSummary>, short = false): string {
  if (m.of === undefined) return `n=${m.n}`;
  if (short) return `scored ${m.n}/${m.of}`;
  const rest = [m.no_answer ? `${m.no_answer} no answer` : '', m.not_applicable ? `${m.not_applicable} not applicable` : ''].filter(Boolean);
  return `scored ${m.n} of ${m.of}${rest.length ? `, ${rest.join(', ')}` : ''}`;
}

/** How the intervals are computed, for every report's notes (scoring/stats.ts has the reasons). */
export const INTERVAL_NOTE =
  "95% intervals follow each metric's kind: Wilson score interval for binary (0/1) metrics; Student t interval clipped to the metric's range for bounded and unbounded ones (`t-clipped`), or, when every value sits on a bound of a bounded metric, the Wilson interval at that bound (`wilson-at-bound`). No interval leaves the metric's range.";
