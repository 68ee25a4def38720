/**
 * Means with 95% confidence intervals for the summary, and a paired bootstrap for comparing two targets.
 *
 * summarise: a metric whose values are all 0 or 1 is a proportion, and gets the Wilson score interval
 * (well-behaved near 0 and 1 and for small n, where the normal interval overshoots); any other metric gets
 * mean ± t(0.975, n-1)·s/√n with the sample standard deviation s. Fewer than two values give no interval
 * (method `n<2`); the mean of one value is still reported. Intervals are not clipped to [0, 1].
 */
import { mulberry32 } from '../util/prng.js';

export interface MeanSummary {
  n: number;
  mean: number | null;
  ci_low: number | null;
  ci_high: number | null;
  method: 'wilson' | 't' | 'n<2';
}

/** Standard normal 0.975 quantile. */
const Z975 = 1.959963984540054;

export function summarise(values: readonly number[]): MeanSummary {
  const n = values.length;
  if (n === 0) return { n, mean: null, ci_low: null, ci_high: null, method: 'n<2' };
  let sum = 0;
  let binary = true;
  for (const v of values) {
    sum += v;
    if (v !== 0 && v !== 1) binary = false;
  }
  const mean = sum / n;
  if (n < 2) return { n, mean, ci_low: null, ci_high: null, method: 'n<2' };
  if (binary) {
    const [lo, hi] = wilson(sum, n);
    return { n, mean, ci_low: lo, ci_high: hi, method: 'wilson' };
  }
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  const half = (tQuantile975(n - 1) * Math.sqrt(ss / (n - 1))) / Math.sqrt(n);
  return { n, mean, ci_low: mean - half, ci_high: mean + half, method: 't' };
}

/** Wilson score interval for k successes in n trials at 95%. */
export function wilson(k: number, n: number, z = Z975): [number, number] {
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** t(0.975, df) for df = 1..30, to 6 decimals (standard tables); larger df use the expansion below. */
const T975 = [
  12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004, 2.262157, 2.228139,
  2.200985, 2.178813, 2.160369, 2.144787, 2.13145, 2.119905, 2.109816, 2.100922, 2.093024, 2.085963,
  2.079614, 2.073873, 2.068658, 2.063899, 2.059539, 2.055529, 2.051831, 2.048407, 2.04523, 2.042272,
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

/** Quantile of sorted data with linear interpolation between order statistics (Hyndman-Fan type 7). */
function quantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
