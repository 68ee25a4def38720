import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { expandPlan, itemSeed, MAX_PLAN_ITEMS } from '../harness/plan/expand.js';
import { planHash, shardPlan } from '../harness/plan/shard.js';
import { canonicalJson, hashId, sha256 } from '../harness/util/hash.js';
import { UserError } from '../harness/util/errors.js';
import type { LoadedSuite, DatasetCall } from '../harness/suite/types.js';
import { DEFAULT_LIMITS } from '../harness/suite/limits.js';

function call(id: string, line: number): DatasetCall {
  return { id, tool: 't', arguments: { x: line }, source: { dataset: 'd', line } };
}

const suite = {
  file: '/s.yaml',
  limits: DEFAULT_LIMITS,
  name: 's',
  version: '1',
  tools: [],
  datasets: [],
  targets: [],
  metrics: ['format'],
  repeats: 2,
  seed: 7,
  max_error_rate: 0,
  hash: 'abc',
  calls: [call('a', 1), call('b', 2), call('c', 3)],
  dataset_hashes: {},
  skipped_rows: [],
} as LoadedSuite;
const targets = [
  { name: 'one', identity: { kind: 'baseline:reference' } },
  { name: 'two', identity: { kind: 'openai', model: 'm' } },
];

test('plan covers every (call, repeat, target) once, call-major', () => {
  const plan = [...expandPlan(suite, targets)];
  assert.is(plan.length, 3 * 2 * 2);
  assert.equal(
    plan.slice(0, 4).map((i) => [i.call.id, i.repeat, i.target]),
    [
      ['a', 0, 'one'],
      ['a', 0, 'two'],
      ['a', 1, 'one'],
      ['a', 1, 'two'],
    ],
  );
  assert.is(new Set(plan.map((i) => i.id)).size, plan.length);
});

test('ids and seeds are deterministic; seeds are shared across targets for a call and repeat', () => {
  const a = [...expandPlan(suite, targets)];
  const b = [...expandPlan(suite, targets)];
  assert.equal(
    a.map((i) => i.id),
    b.map((i) => i.id),
  );
  assert.is(a[0].seed, a[1].seed);
  assert.is.not(a[0].seed, a[2].seed);
  assert.is(a[0].seed, itemSeed(7, 'a', 0));
});

test('ids change with what defines the call: suite hash, target identity, seed, arguments', () => {
  const base = expandPlan(suite, targets).id(0);
  assert.is.not(expandPlan({ ...suite, hash: 'other' }, targets).id(0), base);
  assert.is.not(expandPlan(suite, [{ name: 'one', identity: { kind: 'x' } }]).id(0), base);
  assert.is.not(expandPlan({ ...suite, seed: 8 }, targets).id(0), base);
  const changed = { ...suite, calls: [{ ...call('a', 1), arguments: { x: 99 } }] };
  assert.is.not(expandPlan(changed, targets).id(0), base);
  // The dataset line a call sits on is not part of its identity: moving a row keeps its id.
  const moved = { ...suite, calls: [{ ...call('a', 1), source: { dataset: 'd', line: 40 } }] };
  assert.is(expandPlan(moved, targets).id(0), base);
});

test('an item id is the first 16 hex digits of sha256 over the canonical JSON of what defines it', () => {
  const [item] = expandPlan(suite, [{ name: 'a', identity: { u: 1 } }]);
  const { source: _source, ...definingCall } = item.call;
  const text = canonicalJson({ suite: suite.hash, call: definingCall, target: { u: 1 }, repeat: 0, seed: item.seed });
  assert.is(item.id, createHash('sha256').update(text).digest('hex').slice(0, 16));
  assert.is(hashId({ b: 1, a: [2, { d: null, c: 'x' }] }), createHash('sha256').update('{"a":[2,{"c":"x","d":null}],"b":1}').digest('hex').slice(0, 16));
});

test('--limit-mode first keeps the first N calls for every target and repeat', () => {
  const plan = [...expandPlan(suite, targets, { limit: 2, limitMode: 'first' })];
  assert.is(plan.length, 2 * 2 * 2);
  assert.equal([...new Set(plan.map((i) => i.call.id))], ['a', 'b']);
});

test('the compact plan gives, item by item, what the per-item expansion gave (id, call, target, repeat, seed)', () => {
  const plan = expandPlan(suite, targets);
  const expected = [];
  for (const c of suite.calls) {
    const { source: _source, ...definingCall } = c;
    for (let repeat = 0; repeat < suite.repeats; repeat++) {
      const seed = itemSeed(suite.seed, c.id, repeat);
      for (const t of targets)
        expected.push({ id: hashId({ suite: suite.hash, call: definingCall, target: t.identity, repeat, seed }), call: c, target: t.name, repeat, seed });
    }
  }
  assert.equal([...plan], expected);
  assert.equal(
    Array.from({ length: plan.length }, (_, i) => plan.item(i)),
    expected,
  );
});

test('select keeps plan order; indexOf finds an id (first of equal ones), and nothing else', () => {
  const plan = expandPlan(suite, targets);
  const odd = plan.select((i) => i % 2 === 1);
  assert.equal(
    [...odd].map((i) => i.id),
    [...plan].filter((_, i) => i % 2 === 1).map((i) => i.id),
  );
  assert.is(
    plan.select(() => true),
    plan,
  );
  for (let i = 0; i < plan.length; i++) assert.is(plan.indexOf(plan.id(i)), i);
  for (let i = 0; i < odd.length; i++) assert.is(odd.indexOf(odd.id(i)), i);
  assert.is(odd.indexOf(plan.id(0)), -1);
  for (const stranger of ['', 'zz', plan.id(0).toUpperCase(), plan.id(0) + '0', '0000000000000000']) assert.is(plan.indexOf(stranger), -1, stranger);
  // Two identical dataset rows plan equal ids: both items point to the first, as a Set of ids did.
  const twice = expandPlan({ ...suite, calls: [call('a', 1), call('a', 1)] }, [targets[0]]);
  assert.is(twice.id(0), twice.id(2));
  assert.is(twice.firstWithIdOf(2), 0);
  assert.is(twice.firstWithIdOf(1), 1);
});

test('the plan hash is sha256 of the ids joined by newlines, for a plan, a shard and no items', () => {
  const many = { ...suite, repeats: 3000 };
  const plan = expandPlan(many, targets);
  assert.is(planHash(plan), sha256([...plan].map((i) => i.id).join('\n')));
  const shard = shardPlan(plan, { index: 1, count: 2 });
  assert.equal([...new Set([...shard].map((i) => i.call.id))], ['b']);
  assert.is(planHash(shard), sha256([...shard].map((i) => i.id).join('\n')));
  assert.is(planHash(expandPlan({ ...suite, calls: [] }, targets)), sha256(''));
});

test('a plan past the most one run holds is refused with a message naming the suite and the way out', () => {
  const huge = { ...suite, repeats: MAX_PLAN_ITEMS };
  assert.throws(
    () => expandPlan(huge, targets),
    (e: unknown) =>
      e instanceof UserError &&
      /\/s\.yaml: the plan has 1,610,612,736 work items \(3 calls x 268,435,456 repeats x 2 targets\).*lower repeats/.test((e as Error).message),
  );
});

test.run();
