/**
 * 95% interval of a ratio of two means, mean(a) / mean(b), from two independent samples (e.g. the tool time of
 * real-tool steps over that of simulator steps): unpaired percentile bootstrap, each sample resampled with
 * replacement from its own mulberry32 stream seeded from `seed`, so the same seed gives the same interval on
 * every machine. No interval with fewer than two values on either side; no ratio when mean(b) is 0.
 */
import { mulberry32 } from '../util/prng.js';
import { mean, quantile } from './stats.js';

export interface RatioEstimate {
  estimate: number | null;
  ci_low: number | null;
  ci_high: number | null;
  method: string;
  n_a: number;
  n_b: number;
}

export function bootstrapRatioOfMeans(a: readonly number[], b: readonly number[], iters = 2000, seed = 0): RatioEstimate {
  const method = `bootstrap ratio of means, ${iters} resamples, seed ${seed}`;
  const base = { n_a: a.length, n_b: b.length };
  if (a.length === 0 || b.length === 0 || mean(b) === 0) return { ...base, estimate: null, ci_low: null, ci_high: null, method };
  const estimate = mean(a)! / mean(b)!;
  if (a.length < 2 || b.length < 2) return { ...base, estimate, ci_low: null, ci_high: null, method: `${method} (n<2: no interval)` };
  const nextA = mulberry32(seed);
  const nextB = mulberry32(seed ^ 0x5bd1e995);
  const ratios: number[] = [];
  for (let i = 0; i < iters; i++) {
    let sa = 0;
    for (let j = 0; j < a.length; j++) sa += a[Math.floor(nextA() * a.length)];
    let sb = 0;
    for (let j = 0; j < b.length; j++) sb += b[Math.floor(nextB() * b.length)];
    if (sb > 0) ratios.push(sa / a.length / (sb / b.length));
  }
  ratios.sort((x, y) => x - y);
  if (!ratios.length) return { ...base, estimate, ci_low: null, ci_high: null, method };
  return { ...base, estimate, ci_low: quantile(ratios, 0.025), ci_high: quantile(ratios, 0.975), method };
}
