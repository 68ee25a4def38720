import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseToolOutput } from '../harness/parse/json-from-text.js';
import { compileTool } from '../harness/scoring/compile.js';
import { multisetF1, scoreSemantic } from '../harness/scoring/semantic.js';
import type { CompiledTool } from '../harness/scoring/types.js';
import { byMetric, call, searchSpec, searchTool } from './fixtures/scoring/tools.js';

const tool = searchTool();
const close = (a: number | null, b: number, eps = 1e-12) => assert.ok(a !== null && Math.abs(a - b) < eps, `${a} != ${b}`);
const score = (reference: unknown, output: unknown, expectError = false, t: CompiledTool = tool) =>
  byMetric(
    scoreSemantic({
      tool: t,
      call: call({ query: 'cats', limit: 3 }, expectError),
      parsed: parseToolOutput(JSON.stringify(output)),
      reference,
    }),
  );

test('the worked example: every field kind, extra list element, deterministic miss', () => {
  const reference = {
    query: 'cats',
    total: 4,
    took_ms: 12,
    results: [
      { id: 'a', title: 'the quick brown fox', score: 0.5, tags: ['x', 'y'] },
      { id: 'b', title: 'Lazy dog', score: 0.5, tags: [] },
    ],
  };
  const output = {
    query: 'cats',
    total: 5,
    took_ms: 99,
    results: [
      { id: 'a', title: 'quick brown dog', score: 0.375, tags: ['y', 'z', 'x'] },
      { id: 'c', title: 'lazy DOG!', score: 0.5, tags: [] },
      { id: 'd', title: 'extra', score: 0.1, tags: [] },
    ],
  };
  // query: deterministic, equal                                   1
  // total: |5-4|/4 = 0.25, / tolerance 0.5 = 0.5                  1 - 0.5 = 0.5
  // took_ms: ignored
  // results[0]: id 1; title 4/7 (see text-sim test); score |0.375-0.5|/0.5 = 0.25 / 0.5 => 0.5;
  //             tags multiset F1: overlap 2, P 2/3, R 1 => 0.8;          sum 20.1/7, 4 fields
  // results[1]: id "c" != "b" 0; title tokens equal 1; score 1; tags [] vs []: empty on both sides, no weight;
  //             sum 2, 3 fields
  // results: mean (20.1/7 + 2) / 7 = 34.1/49, times len(ref)/max(len) = 2/3 => 34.1/73.5, weight 7
  // overall: (1 + 0.5 + 7 * 34.1/73.5) / 9 = 0.527513...
  const s = score(reference, output);
  close(s['semantic.reference'].value, (1.5 + (7 * 34.1) / 73.5) / 9);
  // deterministic: query ok, results[0].id ok, results[1].id wrong => 2/3
  close(s['semantic.exact_fields'].value, 2 / 3);
  assert.equal(s['semantic.exact_fields'].reasons, ['results[1].id: "c" != "b"']);
  assert.equal(s['semantic.reference'].reasons, [
    'results: 1 extra element (3 vs 2)',
    'results[1].id: 0.00 (deterministic, differs)',
    'total: 0.50 (5 vs 4)',
    'results[0].score: 0.50 (0.375 vs 0.5)', // ties keep walk order: total came first
    'results[0].title: 0.57 (F1 0.57, ROUGE-L 0.57)',
    'results[0].tags: 0.80 (elements differ)',
  ]);
});

test('missing keys and elements score 0; extra keys cost nothing', () => {
  // query 1, total missing 0 => 0.5
  close(score({ query: 'cats', total: 3 }, { query: 'cats', invented: true })['semantic.reference'].value, 0.5);
  // results: 2 reference elements of 2 fields each (id deterministic, title), output has 1 equal element:
  // element 0 = 1, element 1 missing = 0 => mean 0.5, times 2/max(2,1) = 1 => 0.5 over 4 fields
  const r = score(
    {
      results: [
        { id: 'a', title: 't' },
        { id: 'b', title: 'u' },
      ],
    },
    { results: [{ id: 'a', title: 't' }] },
  );
  close(r['semantic.reference'].value, 0.5);
  assert.ok(r['semantic.reference'].reasons.includes('results[1]: missing'));
  close(r['semantic.exact_fields'].value, 0.5); // results[1].id missing counts as a miss
});

test('scalars: numbers near zero, type mismatch, booleans and null, list of scalars as multisets', () => {
  const spec = searchSpec();
  spec.semantic = {}; // default tolerance 1.0, no deterministic fields
  const t = compileTool(spec);
  const s = (ref: unknown, out: unknown) => score(ref, out, false, t)['semantic.reference'].value;
  assert.is(s({ n: 0 }, { n: 0 }), 1);
  assert.is(s({ n: 0 }, { n: 0.001 }), 0); // relative to max(|0|, 1e-9): far beyond tolerance
  close(s({ n: 10 }, { n: 12 })!, 0.8); // |12-10|/10 = 0.2, tolerance 1 => 0.8
  assert.is(s({ n: 10 }, { n: 30 }), 0); // capped at 0
  assert.is(s({ n: '2' }, { n: 2 }), 0);
  assert.is(s({ b: true, z: null }, { b: true, z: null }), 1);
  assert.is(s({ b: true, z: null }, { b: false, z: 0 }), 0);
  close(s({ l: ['a', 'b'] }, { l: ['a', 'a'] })!, 0.5); // overlap 1: P 1/2, R 1/2
  assert.is(s({ l: [1, 2] }, { l: ['1', '2'] }), 0); // 1 and "1" differ
  assert.is(s({ o: {} }, { o: { any: 1 } }), 1); // an empty reference object: any object matches
  assert.is(score({ q: 1 }, {}, false, t)['semantic.exact_fields'].value, null); // no deterministic fields listed
  close(multisetF1([], []), 1);
});

test('expect_error calls compare error with error', () => {
  const ref = { error: { code: 'NOT_FOUND', message: 'no document matches' } };
  const same = score(ref, { error: { code: 'NOT_FOUND', message: 'nothing found' } }, true);
  assert.is(same['semantic.reference'].value, 1); // error.message ignored, error.code equal
  assert.is(same['semantic.exact_fields'].value, 1);
  const result = score(ref, { query: 'cats', total: 0, results: [] }, true);
  assert.is(result['semantic.reference'].value, 0);
  assert.is(result['semantic.exact_fields'].value, 0);
  assert.equal(result['semantic.reference'].reasons, ['error: missing']);
});

test('null when there is no reference, no response text, or everything is ignored; 0 when nothing parsed', () => {
  const none = byMetric(scoreSemantic({ tool, call: call({}), parsed: parseToolOutput('{"query": "x"}'), reference: undefined }));
  assert.is(none['semantic.reference'].value, null);
  assert.is(none['semantic.reference'].reasons[0], 'no reference output for this call');
  const garbage = byMetric(scoreSemantic({ tool, call: call({}), parsed: parseToolOutput('no'), reference: { query: 'x' } }));
  assert.is(garbage['semantic.reference'].value, 0, 'an unparseable answer counts, scored 0');
  assert.match(garbage['semantic.reference'].reasons[0], /^nothing parsed/);
  const noText = byMetric(scoreSemantic({ tool, call: call({}), parsed: undefined, reference: { query: 'x' } }));
  assert.is(noText['semantic.reference'].value, null);
  assert.is(score({ took_ms: 5 }, { took_ms: 5 })['semantic.reference'].value, null);
  assert.is(score({ took_ms: 5 }, { took_ms: 5 })['semantic.exact_fields'].value, null); // none occurs here
  assert.is(score(null, null)['semantic.reference'].value, 1); // a null reference is a value, not "no reference"
});

test('deterministic', () => {
  const ref = { query: 'a b c', results: [{ id: '1', title: 'x y' }] };
  const out = { query: 'a c', results: [{ id: '2', title: 'y x' }, { id: '3' }] };
  assert.equal(score(ref, out), score(ref, out));
});

test.run();
