import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { expandPlan, itemSeed } from '../harness/plan/expand.js';
import { canonicalJson, hashId } from '../harness/util/hash.js';
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
  const plan = expandPlan(suite, targets);
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
  const a = expandPlan(suite, targets);
  const b = expandPlan(suite, targets);
  assert.equal(
    a.map((i) => i.id),
    b.map((i) => i.id),
  );
  assert.is(a[0].seed, a[1].seed);
  assert.is.not(a[0].seed, a[2].seed);
  assert.is(a[0].seed, itemSeed(7, 'a', 0));
});

test('ids change with what defines the call: suite hash, target identity, seed, arguments', () => {
  const base = expandPlan(suite, targets)[0].id;
  assert.is.not(expandPlan({ ...suite, hash: 'other' }, targets)[0].id, base);
  assert.is.not(expandPlan(suite, [{ name: 'one', identity: { kind: 'x' } }])[0].id, base);
  assert.is.not(expandPlan({ ...suite, seed: 8 }, targets)[0].id, base);
  const changed = { ...suite, calls: [{ ...call('a', 1), arguments: { x: 99 } }] };
  assert.is.not(expandPlan(changed, targets)[0].id, base);
  // The dataset line a call sits on is not part of its identity: moving a row keeps its id.
  const moved = { ...suite, calls: [{ ...call('a', 1), source: { dataset: 'd', line: 40 } }] };
  assert.is(expandPlan(moved, targets)[0].id, base);
});

test('an item id is the first 16 hex digits of sha256 over the canonical JSON of what defines it', () => {
  const [item] = expandPlan(suite, [{ name: 'a', identity: { u: 1 } }]);
  const { source: _source, ...definingCall } = item.call;
  const text = canonicalJson({ suite: suite.hash, call: definingCall, target: { u: 1 }, repeat: 0, seed: item.seed });
  assert.is(item.id, createHash('sha256').update(text).digest('hex').slice(0, 16));
  assert.is(hashId({ b: 1, a: [2, { d: null, c: 'x' }] }), createHash('sha256').update('{"a":[2,{"c":"x","d":null}],"b":1}').digest('hex').slice(0, 16));
});

test('--limit-mode first keeps the first N calls for every target and repeat', () => {
  const plan = expandPlan(suite, targets, { limit: 2, limitMode: 'first' });
  assert.is(plan.length, 2 * 2 * 2);
  assert.equal([...new Set(plan.map((i) => i.call.id))], ['a', 'b']);
});

test.run();
