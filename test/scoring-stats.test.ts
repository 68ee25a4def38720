import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bootstrapMeanDiffCI, summarise, tQuantile975, wilson } from '../harness/scoring/stats.js';

const close = (a: number | null, b: number, eps: number) => assert.ok(a !== null && Math.abs(a - b) < eps, `${a} != ${b} (±${eps})`);

test('Wilson score interval against known values', () => {
  // 8/10 at 95%: [0.490, 0.943] (p = 0.8, z = 1.96: centre 0.71674, half-width 0.22658)
  const [lo, hi] = wilson(8, 10);
  close(lo, 0.490163, 1e-5);
  close(hi, 0.943317, 1e-5);
  // 0/10 and 10/10: [0, 0.2775] and [0.7225, 1]
  close(wilson(0, 10)[1], 0.277533, 1e-5);
  close(wilson(10, 10)[0], 0.722467, 1e-5);
  const s = summarise([1, 1, 1, 1, 1, 1, 1, 1, 0, 0]);
  assert.is(s.method, 'wilson');
  assert.is(s.mean, 0.8);
  close(s.ci_low, 0.490163, 1e-5);
});

test('t interval against hand-computed values', () => {
  // 1..5: mean 3, s = sqrt(2.5), se = s / sqrt(5) = 0.707107, t(0.975, 4) = 2.776445 => ±1.963243
  const s = summarise([1, 2, 3, 4, 5]);
  assert.is(s.method, 't');
  assert.is(s.mean, 3);
  close(s.ci_low, 1.036757, 1e-5);
  close(s.ci_high, 4.963243, 1e-5);
  // n = 2: [0.2, 0.4]: mean 0.3, s = 0.141421, se = 0.1, t(0.975, 1) = 12.706205 => ±1.2706205
  const two = summarise([0.2, 0.4]);
  close(two.ci_low, 0.3 - 1.2706205, 1e-6);
  close(two.ci_high, 0.3 + 1.2706205, 1e-6);
  // all equal: zero width
  assert.equal(summarise([0.5, 0.5, 0.5]), { n: 3, mean: 0.5, ci_low: 0.5, ci_high: 0.5, method: 't' });
});

test('t quantiles: table values and the large-df expansion', () => {
  const known: [number, number][] = [
    [1, 12.706205], [2, 4.302653], [4, 2.776445], [9, 2.262157], [10, 2.228139], [29, 2.04523], [30, 2.042272],
    [40, 2.021075], [60, 2.000298], [100, 1.983972], [120, 1.97993], [1000, 1.962339],
  ];
  for (const [df, t] of known) close(tQuantile975(df), t, 1e-5);
  assert.throws(() => tQuantile975(0), RangeError);
});

test('t quantiles: the CDF at each quantile is 0.975 (Simpson integration of the t density)', () => {
  // Gamma((v+1)/2) / Gamma(v/2) by the recurrence r(v+2) = r(v) (v+1)/v, from r(1) = 1/sqrt(pi), r(2) = sqrt(pi)/2
  const ratio = (v: number) => {
    let r = v % 2 === 1 ? 1 / Math.sqrt(Math.PI) : Math.sqrt(Math.PI) / 2;
    for (let k = v % 2 === 1 ? 1 : 2; k < v; k += 2) r *= (k + 1) / k;
    return r;
  };
  for (const v of [1, 2, 3, 5, 8, 13, 21, 30, 31, 45, 80, 200]) {
    const t = tQuantile975(v);
    const c = ratio(v) / Math.sqrt(v * Math.PI);
    const f = (x: number) => c * Math.pow(1 + (x * x) / v, -(v + 1) / 2);
    const N = 4000;
    const h = t / N;
    let sum = f(0) + f(t);
    for (let i = 1; i < N; i++) sum += (i % 2 ? 4 : 2) * f(i * h);
    const cdf = 0.5 + (sum * h) / 3;
    // an error e in the CDF is an error of e / f(t) in the quantile: require < 1e-4 there (table is exact to 1e-6)
    assert.ok(Math.abs(cdf - 0.975) / f(t) < 1e-4, `df ${v}: cdf ${cdf}`);
  }
});

test('n = 0 and n = 1 give no interval', () => {
  assert.equal(summarise([]), { n: 0, mean: null, ci_low: null, ci_high: null, method: 'n<2' });
  assert.equal(summarise([1]), { n: 1, mean: 1, ci_low: null, ci_high: null, method: 'n<2' });
  assert.equal(summarise([0.25]), { n: 1, mean: 0.25, ci_low: null, ci_high: null, method: 'n<2' });
});

test('paired bootstrap: seeded, reproducible, sensible', () => {
  const pairs: [number, number][] = Array.from({ length: 50 }, (_, i) => [((i * 37) % 11) / 10, ((i * 17) % 7) / 10]);
  const a = bootstrapMeanDiffCI(pairs, 1000, 42);
  const b = bootstrapMeanDiffCI(pairs, 1000, 42);
  assert.equal(a, b);
  const c = bootstrapMeanDiffCI(pairs, 1000, 43);
  assert.is.not(a.ci_low, c.ci_low);
  const diff = pairs.reduce((s, [x, y]) => s + x - y, 0) / pairs.length;
  close(a.mean_diff, diff, 1e-12);
  assert.ok(a.ci_low! < diff && diff < a.ci_high!);
  // a constant difference has a zero-width interval
  const flat = bootstrapMeanDiffCI([[1, 0.5], [0.75, 0.25], [0.5, 0]], 200, 1);
  assert.equal([flat.ci_low, flat.ci_high], [0.5, 0.5]);
  assert.equal(bootstrapMeanDiffCI([], 100, 1).mean_diff, null);
  assert.equal(bootstrapMeanDiffCI([[1, 0]], 100, 1).ci_low, null);
});

test.run();
