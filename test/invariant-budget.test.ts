/**
 * The invariant budget counts an evaluation's own running time: evaluations started together (as a run at
 * concurrency 64 starts them) do not charge each other. Before, JSONata's wall clock from the start counted
 * every interleaved evaluation's work, and on a loaded machine the same answers timed out on one run and not
 * on the next.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { budgetedExpression, InvariantTimeout } from '../harness/scoring/invariant-runner.js';

// `$reduce` with a lambda is outside the synchronous subset: this runs in JSONata, through promises.
const SLOW = '$reduce([1..4000], function($a, $b) { $a + $b }) > 0';

test('evaluations started together each get their own budget', async () => {
  const probe = budgetedExpression(SLOW, 60_000);
  assert.is(probe.evaluateSync({}), undefined, 'the probe must take the JSONata path');
  await probe.evaluate({}); // warm up
  const alone: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await probe.evaluate({});
    alone.push(performance.now() - t0);
  }
  alone.sort((a, b) => a - b);
  // 30x one evaluation's time: far above what one needs, far below what 150 interleaved ones take together
  const budgetMs = Math.max(50, Math.ceil(alone[1] * 30));
  const expr = budgetedExpression(SLOW, budgetMs);
  const results = await Promise.allSettled(Array.from({ length: 150 }, () => expr.evaluate({})));
  const timedOut = results.filter((r) => r.status === 'rejected');
  assert.is(
    timedOut.length,
    0,
    `${timedOut.length} of 150 timed out with a ${budgetMs} ms budget: ${(timedOut[0] as PromiseRejectedResult | undefined)?.reason}`,
  );
  for (const r of results) assert.equal((r as PromiseFulfilledResult<unknown>).value, true);
});

test('an evaluation that never ends still stops at its budget, and the ones queued behind it then run', async () => {
  const endless = budgetedExpression('($f := function($n) { $f($n + 1) }; $f(0))', 100);
  const quick = budgetedExpression('$reduce([1..10], function($a, $b) { $a + $b }) = 55', 1000);
  const [a, b] = await Promise.allSettled([endless.evaluate({}), quick.evaluate({})]);
  assert.is(a.status, 'rejected');
  assert.instance((a as PromiseRejectedResult).reason, InvariantTimeout);
  assert.equal(b, { status: 'fulfilled', value: true });
});

test.run();
