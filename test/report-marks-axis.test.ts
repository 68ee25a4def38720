/**
 * The pure parts of issue 13 item 13: which cells of a metric row are best (direction from the registry,
 * ties at the shown precision, nothing with one value or over different call counts) and the fidelity axis
 * fitted to the values (inside 0..1, ends labelled, zoomed only when it does not start at 0).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareRow, directionalLabel } from '../harness/report/metric-marks.js';
import { unitAxisRange } from '../harness/report/charts/common.js';
import type { MetricSummary } from '../harness/report/summary.js';

const m = (mean: number | null, n = 48, of = 48): MetricSummary => ({
  n,
  of,
  mean,
  ci_low: null,
  ci_high: null,
  method: 'wilson',
  no_answer: 0,
  not_applicable: of - n,
});
const cells = (...figures: (MetricSummary | undefined)[]) => figures.map((f, i) => ({ target: `t${i}`, figures: f }));

test('best: highest for higher-is-better, lowest for lower-is-better, ties at three decimals all marked, none when all tie', () => {
  assert.equal(compareRow('semantic.reference', cells(m(0.5), m(0.9), m(0.7))).best, [1]);
  assert.equal(compareRow('logic.false_refusal', cells(m(0.5), m(0.9), m(0.1))).best, [2]);
  assert.equal(compareRow('semantic.reference', cells(m(0.9996), m(1), m(0.2))).best, [0, 1]);
  assert.equal(compareRow('call.latency_ms', cells(m(12), m(3))).best, [1]);
  assert.equal(compareRow('semantic.reference', cells(m(1), m(0.9999))).best, []);
});

test('no best mark with one value, and a row over different call counts is not comparable', () => {
  assert.equal(compareRow('semantic.reference', cells(m(0.9), undefined, m(null))), { best: [], notComparable: null });
  const row = compareRow('logic.invariants', cells(m(1, 270, 300), m(0.764, 300, 300)));
  assert.equal(row.best, []);
  assert.is(row.notComparable, 'scored over different numbers of calls (t0 270 of 300, t1 300 of 300)');
});

test('the label says lower is better only where the registry says so', () => {
  assert.is(directionalLabel('logic.false_refusal'), 'false refusal rate (lower is better)');
  assert.is(directionalLabel('semantic.reference'), 'semantic fidelity vs real');
});

test('the axis covers the values, stays inside 0..1 and labels both ends', () => {
  const high = unitAxisRange([0.93, 0.99, 0.95]);
  assert.equal(high.domain, [0.92, 1]);
  assert.is(high.ticks[0], 0.92);
  assert.is(high.ticks.at(-1), 1);
  assert.ok(high.zoomed);
  // Values that reach near 0 start the axis at 0, not at an odd small number.
  assert.equal(unitAxisRange([0.023, 1]).domain, [0, 1]);
  assert.equal(unitAxisRange([0.05, 0.12]).domain, [0, 0.14]);
  assert.not.ok(unitAxisRange([0.05, 0.12]).zoomed);
  // Nothing to fit: the whole 0..1.
  assert.equal(unitAxisRange([]).domain, [0, 1]);
  // Never beyond the bounds, and never more than a handful of ticks.
  for (const values of [[0.4, 0.6], [0.987, 1], [0, 1], [0.5], [0.3, 0.31]]) {
    const a = unitAxisRange(values);
    assert.ok(a.domain[0] >= 0 && a.domain[1] <= 1, JSON.stringify(a));
    assert.ok(a.domain[0] <= Math.min(...values) && a.domain[1] >= Math.max(...values), JSON.stringify(a));
    assert.ok(a.ticks.length >= 2 && a.ticks.length <= 11, JSON.stringify(a));
  }
});

test.run();
