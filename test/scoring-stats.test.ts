import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bootstrapMeanDiffCI, mean, median, percentile, quantile, summarise, tQuantile975, wilson, type IntervalSpec } from '../harness/scoring/stats.js';

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
    [1, 12.706205],
    [2, 4.302653],
    [4, 2.776445],
    [9, 2.262157],
    [10, 2.228139],
    [29, 2.04523],
    [30, 2.042272],
    [40, 2.021075],
    [60, 2.000298],
    [100, 1.983972],
    [120, 1.97993],
    [1000, 1.962339],
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

const BINARY: IntervalSpec = { kind: 'binary', range: { min: 0, max: 1 } };
const BOUNDED: IntervalSpec = { kind: 'bounded', range: { min: 0, max: 1 } };
const NON_NEGATIVE: IntervalSpec = { kind: 'unbounded', range: { min: 0, max: Infinity } };

test('intervals follow the kind, not the values (issue 11 item 8)', () => {
  // A continuous metric that happens to be 0 everywhere (a speedup error, identically 0) is not a proportion:
  // no Wilson [0, 0.28] but the t interval of its values, [0, 0].
  const zeros = summarise(Array(10).fill(0), NON_NEGATIVE);
  assert.equal([zeros.method, zeros.ci_low, zeros.ci_high], ['t-clipped', 0, 0]);
  assert.is(summarise(Array(10).fill(0)).method, 'wilson', 'without a kind, the former value-based rule');
  // A bounded metric whose values are 0/1 (some of each) gets its kind's interval, clipped to [0, 1].
  const mixed = summarise([1, 1, 1, 1, 1, 1, 1, 1, 1, 0], BOUNDED);
  assert.is(mixed.method, 't-clipped');
  assert.is(mixed.ci_high, 1, 't would reach 1.126; clipped to the range');
  close(mixed.ci_low, 0.9 - (2.262157 * Math.sqrt(0.1)) / Math.sqrt(10), 1e-5);
  // A binary metric: Wilson, as before.
  const bin = summarise([1, 1, 1, 1, 1, 1, 1, 1, 0, 0], BINARY);
  assert.is(bin.method, 'wilson');
  close(bin.ci_low, 0.490163, 1e-5);
});

test('no interval leaves the range: near 0, near 1, latencies', () => {
  // Seen in the issue: [-0.000, 0.001] and 1.004 for [0, 1] metrics, step times below 0 s.
  const near0 = summarise([0, 0, 0, 0, 0, 0, 0, 0, 0, 0.01], BOUNDED);
  assert.is(near0.ci_low, 0);
  const near1 = summarise([1, 1, 1, 1, 1, 1, 1, 1, 1, 0.96], BOUNDED);
  assert.is(near1.ci_high, 1);
  const ms = summarise([1, 1, 1, 1, 200], NON_NEGATIVE);
  assert.is(ms.ci_low, 0, 'the t interval would start at -107 ms');
  close(ms.ci_high, 40.8 + (2.776445 * Math.sqrt((4 * 39.8 ** 2 + 159.2 ** 2) / 4)) / Math.sqrt(5), 1e-6);
  for (const xs of [
    [0.2, 0.4],
    [0.999, 1, 1],
    [0, 0.001, 0],
  ]) {
    const s = summarise(xs, BOUNDED);
    assert.ok(s.ci_low! >= 0 && s.ci_high! <= 1, `${xs}: [${s.ci_low}, ${s.ci_high}]`);
  }
});

test('a bounded metric with every value on a bound gets the Wilson interval there, not zero width', () => {
  const ones = summarise(Array(300).fill(1), BOUNDED);
  assert.is(ones.method, 'wilson-at-bound');
  close(ones.ci_low, wilson(300, 300)[0], 1e-12);
  assert.is(ones.ci_high, 1);
  const zeros = summarise(Array(10).fill(0), BOUNDED);
  assert.equal([zeros.method, zeros.ci_low], ['wilson-at-bound', 0]);
  close(zeros.ci_high, 0.277533, 1e-5);
  // Scaled to another range: a 1..5 rubric score all at 5.
  const fives = summarise([5, 5, 5, 5, 5, 5, 5, 5, 5, 5], { kind: 'bounded', range: { min: 1, max: 5 } });
  close(fives.ci_low, 1 + 4 * 0.722467, 1e-4);
  assert.is(fives.ci_high, 5);
  // Equal values inside the range: the spread really is 0.
  assert.equal(summarise([0.5, 0.5, 0.5], BOUNDED), { n: 3, mean: 0.5, ci_low: 0.5, ci_high: 0.5, method: 't-clipped' });
});

test('mean, median, percentile, quantile: the one home of each', () => {
  assert.is(mean([]), null);
  assert.is(mean([1, 2, 3, 4]), 2.5);
  assert.is(median([]), null);
  assert.is(median([3, 1, 2]), 2);
  assert.is(median([4, 1, 3, 2]), 2.5);
  const input = [3, 1, 2];
  median(input);
  assert.equal(input, [3, 1, 2], 'median does not sort its input in place');
  const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  // nearest rank: the smallest value with at least p% of values at or below it
  assert.equal([percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99), percentile(sorted, 100), percentile(sorted, 0)], [5, 9, 10, 10, 1]);
  // type 7: R's default quantile()
  assert.equal([quantile(sorted, 0.5), quantile(sorted, 0.9), quantile(sorted, 0)], [5.5, 9.1, 1]);
  close(quantile(sorted, 0.025), 1.225, 1e-12);
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
  const flat = bootstrapMeanDiffCI(
    [
      [1, 0.5],
      [0.75, 0.25],
      [0.5, 0],
    ],
    200,
    1,
  );
  assert.equal([flat.ci_low, flat.ci_high], [0.5, 0.5]);
  assert.equal(bootstrapMeanDiffCI([], 100, 1).mean_diff, null);
  assert.equal(bootstrapMeanDiffCI([[1, 0]], 100, 1).ci_low, null);
});

test.run();
