/**
 * The statistics helpers, in one place: means with 95% confidence intervals that follow the metric's kind,
 * percentiles and medians, quantiles, and the paired bootstrap used to compare two targets.
 *
 * summarise(values, spec): the interval follows the metric's declared kind (scoring/metric-family.ts), never
 * the values it happened to take, and never leaves the metric's range:
 *   binary     Wilson score interval (well-behaved near 0 and 1 and for small n, where the normal one overshoots);
 *   bounded    mean ± t(0.975, n-1)·s/√n, clipped to the range. When every value sits on one bound of the
 *              range (all 1, all 0), s = 0 says nothing about the spread, so the Wilson interval of a
 *              proportion at that bound is used instead: a [0, 1] variable never varies more than a 0/1 one
 *              with the same mean, so this is the widest interval the data allow, not a zero-width one;
 *   unbounded  the same t interval, clipped to the range (a latency or an absolute log ratio is never below 0).
 * Without a spec (a metric no family defines, e.g. in an old run folder) the former rule applies: Wilson when
 * every value is 0 or 1, else an unclipped t interval. Fewer than two values give no interval (`n<2`).
 */
import { mulberry32 } from '../util/prng.js';
import type { MetricKind } from './metric-family.js';

export type IntervalMethod = 'wilson' | 't' | 't-clipped' | 'wilson-at-bound' | 'n<2';

export interface MeanSummary {
  n: number;
  mean: number | null;
  ci_low: number | null;
  ci_high: number | null;
  method: IntervalMethod;
}

/** A mean with its 95% interval: what history, trend and agent summaries keep. */
export interface MeanFigures {
  /** Values the mean is over. */
  n: number;
  mean: number | null;
  ci_low: number | null;
  ci_high: number | null;
  /** How the 95% interval was computed, from the metric's kind (below): wilson, t-clipped, wilson-at-bound, n<2. */
  method: string;
}

/** What fixes a metric's interval: its kind and range (a ResolvedMetricDef has both). */
export interface IntervalSpec {
  kind: MetricKind;
  range: { min: number; max: number };
}

/** Standard normal 0.975 quantile. */
const Z975 = 1.959963984540054;

/** Values in a plain or typed array (a run's summary keeps a metric's values in a Float64Array). */
export type Values = readonly number[] | Float64Array;

export function summarise(values: Values, spec?: IntervalSpec): MeanSummary {
  const n = values.length;
  if (n === 0) return { n, mean: null, ci_low: null, ci_high: null, method: 'n<2' };
  let sum = 0;
  let binary = true;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    sum += v;
    if (v !== 0 && v !== 1) binary = false;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / n;
  if (n < 2) return { n, mean, ci_low: null, ci_high: null, method: 'n<2' };
  if (!spec) {
    if (binary) return wilsonSummary(sum, n, mean);
    const [lo, hi] = tInterval(values, mean);
    return { n, mean, ci_low: lo, ci_high: hi, method: 't' };
  }
  const { min: rmin, max: rmax } = spec.range;
  if (spec.kind === 'binary' && binary) return wilsonSummary(sum, n, mean);
  // A binary metric with a value other than 0 or 1 is a scorer bug; it still gets an interval inside its range.
  if (spec.kind !== 'unbounded' && min === max && (min === rmin || min === rmax)) {
    const [lo, hi] = wilson(((mean - rmin) / (rmax - rmin)) * n, n);
    return { n, mean, ci_low: rmin + lo * (rmax - rmin), ci_high: rmin + hi * (rmax - rmin), method: 'wilson-at-bound' };
  }
  const [lo, hi] = tInterval(values, mean);
  return { n, mean, ci_low: Math.max(rmin, lo), ci_high: Math.min(rmax, hi), method: 't-clipped' };
}

function wilsonSummary(k: number, n: number, mean: number): MeanSummary {
  const [lo, hi] = wilson(k, n);
  return { n, mean, ci_low: lo, ci_high: hi, method: 'wilson' };
}

/** mean ± t(0.975, n-1)·s/√n with the sample standard deviation s (n >= 2). */
function tInterval(values: Values, mean: number): [number, number] {
  const n = values.length;
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  const half = (tQuantile975(n - 1) * Math.sqrt(ss / (n - 1))) / Math.sqrt(n);
  return [mean - half, mean + half];
}

export function mean(values: readonly number[]): number | null {
  if (!values.length) return null;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/** Median (the mean of the two middle values for an even count); null for no values. Does not modify its input. */
export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Nearest-rank percentile (p in 0..100) of ascending-sorted values: always one of the values, as latency tables report. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1];
}

/** Quantile (q in 0..1) of ascending-sorted values with linear interpolation between order statistics (Hyndman-Fan type 7). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Wilson score interval for k successes in n trials at 95%. */
export function wilson(k: number, n: number, z = Z975): [number, number] {
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At k = 0 or k = n the bound is exactly 0 or 1; floating point would give 1e-16 off it.
  return [k === 0 ? 0 : Math.max(0, centre - half), k === n ? 1 : Math.min(1, centre + half)];
}

/** t(0.975, df) for df = 1..30, to 6 decimals (standard tables); larger df use the expansion below. */
const T975 = [
  12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004, 2.262157, 2.228139, 2.200985, 2.178813, 2.160369, 2.144787, 2.13145,
  2.119905, 2.109816, 2.100922, 2.093024, 2.085963, 2.079614, 2.073873, 2.068658, 2.063899, 2.059539, 2.055529, 2.051831, 2.048407, 2.04523, 2.042272,
];

/**
 * Student t 0.975 quantile. Above 30 degrees of freedom, the Cornish-Fisher expansion of t around the normal
 * quantile (Abramowitz & Stegun 26.7.5, four terms) is accurate to well under 1e-5.
 */
export function tQuantile975(df: number): number {
  if (!(df >= 1)) throw new RangeError(`degrees of freedom must be >= 1, got ${df}`);
  if (Number.isInteger(df) && df <= 30) return T975[df - 1];
  const z = Z975;
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}

export interface BootstrapDiff {
  n: number;
  /** mean of (a - b) over the pairs */
  mean_diff: number | null;
  ci_low: number | null;
  ci_high: number | null;
  iters: number;
  seed: number;
  method: 'paired-bootstrap-percentile';
}

/**
 * 95% interval of mean(a - b) by the paired percentile bootstrap: resample pair indices with replacement
 * `iters` times from a mulberry32 stream seeded with `seed` (the same seed gives the same interval on every
 * machine), and take the 2.5% and 97.5% quantiles (linear interpolation) of the resampled means.
 */
export function bootstrapMeanDiffCI(pairs: ReadonlyArray<readonly [number, number]>, iters = 2000, seed = 0): BootstrapDiff {
  const n = pairs.length;
  const base = { n, iters, seed, method: 'paired-bootstrap-percentile' as const };
  if (n === 0) return { ...base, mean_diff: null, ci_low: null, ci_high: null };
  const d = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += d[i] = pairs[i][0] - pairs[i][1];
  if (n < 2 || iters < 1) return { ...base, mean_diff: sum / n, ci_low: null, ci_high: null };
  const next = mulberry32(seed);
  const means = new Float64Array(iters);
  for (let b = 0; b < iters; b++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += d[Math.floor(next() * n)];
    means[b] = s / n;
  }
  means.sort();
  return { ...base, mean_diff: sum / n, ci_low: quantile(means, 0.025), ci_high: quantile(means, 0.975) };
}
