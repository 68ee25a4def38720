// The summary as a fold over streamed records (issue 18 goal 5): records in any order give the same bytes, and
// what is decided "first by item id" (error examples, the order of reasons, the backend) is decided by item id,
// not by which record arrived first, for hex item ids (packed into typed arrays) and for ids of any other shape.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { RunRecord } from '../harness/records/types.js';
import { SummaryFold, summariseRun } from '../harness/report/summary-fold.js';
import { ScoreColumn } from '../harness/report/score-column.js';
import { mulberry32 } from '../harness/util/prng.js';
import { runRecord, score } from './support/run-record.js';

type Scores = RunRecord['scores'];
const s = score;
const rec = (id: string, over: Partial<RunRecord> & { scores: Scores }): RunRecord =>
  runRecord({ item_id: id, call_id: `c-${id}`, tool: 'search', target: 'sim', backend: `backend-${id}`, ...over });
const targets = [
  { name: 'sim', kind: 'openai', backend: 'configured', status: 'ran' as const },
  { name: 'off', kind: 'openai', backend: 'x', status: 'not configured' as const, reason: 'no base_url' },
];
const suite = { name: 's', hash: 'h' };

function shuffled<T>(xs: T[], seed: number): T[] {
  const next = mulberry32(seed);
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** 2,000 records with float scores (order changes a float sum), nulls with reasons, errors, tags and replicas. */
function many(hexIds: boolean): RunRecord[] {
  const next = mulberry32(7);
  return Array.from({ length: 2000 }, (_, i) => {
    const id = hexIds ? (i * 2654435761).toString(16).padStart(16, '0').slice(-16) : `item-${i}`;
    const failed = i % 37 === 0;
    return rec(id, {
      tool: ['a', 'b', 'c'][i % 3],
      tags: i % 5 ? [`level:${i % 4}`, ...(i % 7 ? [] : ['level:9'])] : undefined,
      latency_ms: Math.round(next() * 1e6) / 1e3,
      replica: i % 2 ? 'http://r1' : 'http://r2',
      error: failed ? { class: i % 2 ? 'timeout' : 'http_5xx', message: `failed ${id}` } : null,
      raw: failed ? null : '{}',
      scores: failed
        ? {}
        : {
            'semantic.reference': i % 11 ? s(next()) : s(null, `no reference (${i})`),
            'format.parse': s(i % 3 ? 1 : 0),
            ...(i > 1000 ? { 'logic.late': s(i % 13 ? next() : null, 'check: timeout') } : {}),
          },
    });
  });
}

for (const hexIds of [true, false]) {
  test(`records in any order give the same summary bytes (${hexIds ? 'hex item ids' : 'other item ids'})`, () => {
    const records = many(hexIds);
    const want = JSON.stringify(summariseRun(suite, targets, records, undefined, { groupBy: ['level', 'tag'] }));
    for (const seed of [1, 2, 3]) {
      const fold = new SummaryFold(targets, ['level', 'tag']);
      for (const r of shuffled(records, seed)) fold.add(r);
      assert.is(JSON.stringify(fold.result(suite)), want);
    }
    const sum = JSON.parse(want);
    // A metric only later records have: the earlier answered calls count as not applicable, "not scored for this call".
    const late = sum.targets[0].metrics['logic.late'];
    assert.is(late.of, 2000);
    assert.ok(late.not_applicable_reasons['not scored for this call'] > 900);
    assert.equal(Object.keys(sum.targets[0].by_group.level).sort(), ['(none)', '0', '1', '2', '3', '9']);
  });
}

test('first by item id, not by arrival: the error example, the order of reasons, the backend', () => {
  const records = [
    rec('00000000000000b0', { error: { class: 'timeout', message: 'second' }, raw: null, scores: {} }),
    rec('00000000000000a0', { error: { class: 'timeout', message: 'first' }, raw: null, scores: {} }),
    rec('00000000000000c0', { scores: { m: s(null, 'beta (x)') } }),
    rec('0000000000000090', { error: { class: 'http_5xx', message: 'earliest' }, raw: null, scores: {} }),
    rec('00000000000000d0', { scores: { m: s(null, 'alpha (y)') } }),
    rec('0000000000000050', { scores: { m: s(null, 'alpha (z)') } }),
  ];
  const t = summariseRun(suite, targets, records).targets[0];
  assert.equal(Object.keys(t.errors_by_class), ['http_5xx', 'timeout']);
  assert.equal(t.error_examples, { http_5xx: 'earliest', timeout: 'first' });
  assert.is(t.backend, 'backend-0000000000000050');
  assert.equal(t.metrics.m.not_applicable_reasons, { alpha: 2, beta: 1 });
  assert.equal(Object.keys(t.metrics.m.not_applicable_reasons!), ['alpha', 'beta']);
  assert.is(summariseRun(suite, targets, records).targets[1].status, 'not configured');
});

test('a score column tells a value of 0 from no value, and keeps the reason of each missing one', () => {
  const col = new ScoreColumn(2);
  col.set(0, 0, 0);
  col.set(5, null, 3);
  col.set(9, 0.25, 0);
  assert.is(col.value(0), 0);
  assert.ok(Number.isNaN(col.value(1)) && col.kind(1) === 0, 'a slot never set has no score');
  assert.ok(Number.isNaN(col.value(5)));
  assert.is(col.kind(5), 3);
  assert.is(col.value(9), 0.25);
  assert.ok(Number.isNaN(col.value(100)) && col.kind(100) === 0);
});

test('a breakdown past 256 groups (one byte a record until then) keeps every record in its group', () => {
  const records = Array.from({ length: 600 }, (_, i) => rec(`id-${String(i).padStart(4, '0')}`, { tool: `t${i % 300}`, scores: { m: s(i % 2) } }));
  const byTool = summariseRun(suite, targets, records).targets[0].by_tool;
  assert.is(Object.keys(byTool).length, 300);
  for (const k of [0, 7, 255, 256, 299]) {
    assert.is(byTool[`t${k}`].m.n, 2, `t${k}`);
    assert.is(byTool[`t${k}`].m.mean, k % 2, `t${k}`);
  }
});

test('a score column gives back every double it was given, narrow (one byte a record) or widened past 255 entries', () => {
  const col = new ScoreColumn(4);
  const given: (number | null)[] = [];
  // Few distinct entries: 0/1, fractions, reasons, and -0 widens (a Map cannot tell it from 0).
  for (let i = 0; i < 3000; i++) {
    const v = i % 7 === 0 ? null : [0, 1, 0.25, 2 / 3][i % 4];
    given.push(v);
    col.set(i, v, v === null ? 1 + (i % 3) : 0);
  }
  assert.ok(col.narrow, 'few distinct values stay one byte a record');
  const check = () => {
    for (let i = 0; i < given.length; i++) {
      const v = given[i];
      if (v === null) {
        assert.ok(Number.isNaN(col.value(i)));
        assert.is(col.kind(i), 1 + (i % 3));
      } else assert.ok(Object.is(col.value(i), v), `record ${i}`);
    }
    assert.ok(Number.isNaN(col.value(given.length + 5)) && col.kind(given.length + 5) === 0);
  };
  check();
  // 300 distinct values: widened, nothing lost, the sum the same bits.
  for (let i = 3000; i < 3300; i++) {
    given.push(i / 1e3 + Math.PI);
    col.set(i, i / 1e3 + Math.PI, 0);
  }
  assert.not.ok(col.narrow, 'past 255 distinct entries the column widens');
  check();
  let a = 0;
  let b = 0;
  for (let i = 0; i < given.length; i++) {
    if (given[i] !== null) a += given[i]!;
    if (!Number.isNaN(col.value(i))) b += col.value(i);
  }
  assert.ok(Object.is(a, b));
  const neg = new ScoreColumn(2);
  neg.set(0, 1, 0);
  neg.set(1, -0, 0);
  assert.not.ok(neg.narrow);
  assert.ok(Object.is(neg.value(1), -0) && neg.value(0) === 1);
});

test.run();
