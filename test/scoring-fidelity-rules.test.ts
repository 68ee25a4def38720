// Issue 11 items 4-7: the rules that keep semantic, refusal and invariant scores honest on real simulator
// output. Each measured case of the issue is written as a small synthetic row.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseToolOutput } from '../harness/parse/json-from-text.js';
import { compileTool } from '../harness/scoring/compile.js';
import { errorBoilerplate } from '../harness/scoring/error-boilerplate.js';
import { scoreLogic } from '../harness/scoring/logic.js';
import { scoreSemantic } from '../harness/scoring/semantic.js';
import { decodeStructured } from '../harness/scoring/structured-string.js';
import type { DatasetCall, ToolSpec } from '../harness/suite/types.js';
import { byMetric } from './fixtures/scoring/tools.js';

const envelopeSpec = (extra: Partial<ToolSpec> = {}): ToolSpec => ({
  name: 'api',
  description: 'a StableToolBench-style simulated API',
  parameters: { type: 'object' },
  response_schema: { type: 'object', required: ['error', 'response'], properties: { error: { type: 'string' }, response: {} } },
  invariants: [],
  semantic: {},
  ...extra,
});
const callOf = (reference: unknown, expect_error = false): DatasetCall => ({
  id: 'c',
  tool: 'api',
  arguments: {},
  reference,
  expect_error,
  source: { dataset: 'd', line: 1 },
});
const semantic = (spec: ToolSpec, reference: unknown, answer: unknown) => {
  const tool = compileTool(spec);
  return byMetric(scoreSemantic({ tool, call: callOf(reference), parsed: parseToolOutput(JSON.stringify(answer)), reference }))['semantic.reference'].value!;
};

test('fields empty on both sides carry no weight: a store list against "Can\'t find locations" is not 0.5', () => {
  const stores = Array.from({ length: 40 }, (_, i) => `{'store_id': ${i}, 'name': 'Store ${i}', 'city': 'Springfield', 'open': True}`).join(', ');
  const reference = { error: '', response: `[${stores}]` };
  assert.ok(reference.response.length > 2000);
  const answer = { error: '', response: `{'message': "Can't find locations"}` };
  assert.ok(semantic(envelopeSpec(), reference, answer) < 0.1);
  // An answer equal to an all-empty reference scores 1, not "nothing to score".
  assert.is(semantic(envelopeSpec(), { error: '', response: '' }, { error: '', response: '' }), 1);
  // Absent in the answer and empty in the reference: no weight either.
  assert.is(semantic(envelopeSpec(), { error: '', response: 'ok then' }, { response: 'ok then' }), 1);
});

test('semantic.weights: a one-token flag no longer weighs as much as the whole payload', () => {
  const reference = { ok: true, payload: 'the quick brown fox jumps over the lazy dog' };
  const answer = { ok: true, payload: 'nothing like it at all' };
  const plain = semantic(envelopeSpec(), reference, answer);
  const weighted = semantic(envelopeSpec({ semantic: { weights: { payload: 9 } } }), reference, answer);
  assert.is(plain, 0.5);
  assert.is(weighted, 0.1);
  assert.throws(() => compileTool(envelopeSpec({ semantic: { weights: { payload: -1 } } })), /semantic.weights.payload/);
});

test('structure inside strings: Python repr vs JSON, reordered keys, numbers with tolerance', () => {
  const ref = { error: '', response: JSON.stringify({ name: 'Lyon', population: 12.5, tags: ['a', 'b'], ok: true }) };
  // the same object as a Python repr (was 0.833)
  assert.is(semantic(envelopeSpec(), ref, { error: '', response: "{'name': 'Lyon', 'population': 12.5, 'tags': ['a', 'b'], 'ok': True}" }), 1);
  // keys reordered (was 0.667)
  assert.is(semantic(envelopeSpec(), ref, { error: '', response: JSON.stringify({ ok: true, tags: ['a', 'b'], population: 12.5, name: 'Lyon' }) }), 1);
  // 12.5 vs 12500 (was 0.667): the number field scores 0, the other three fields 1
  assert.is(semantic(envelopeSpec(), ref, { error: '', response: JSON.stringify({ name: 'Lyon', population: 12500, tags: ['a', 'b'], ok: true }) }), 0.75);
  // only one side decodes: compared as text
  assert.ok(semantic(envelopeSpec(), ref, { error: '', response: 'Lyon has 12.5 thousand people' }) < 0.5);
  assert.is(decodeStructured('[note] and more'), undefined);
  assert.is(decodeStructured('plain text'), undefined);
  assert.equal(decodeStructured("{'a': None}"), { value: { a: null } });
});

test("errors: boilerplate shared across the dataset is discounted, so two APIs' tracebacks stop looking alike", () => {
  const tb = (api: string, what: string) =>
    `Traceback (most recent call last):\n  File "/srv/app/main.py", line 120, in call_api\n    return handler(**params)\n  File "/srv/apis/${api}.py", line 44, in handler\n${what}`;
  const refs = [
    tb('weather_forecast', "KeyError: 'city_name' is required for the forecast endpoint"),
    tb('stock_quotes', 'ValueError: ticker symbol ZZZZ is not listed on any exchange'),
    tb('hotel_search', 'TimeoutError: upstream booking service did not answer in 30 seconds'),
    tb('movie_db', 'PermissionError: the API key has no access to the premium catalogue'),
  ];
  const calls = refs.map((r, i) => ({ ...callOf({ error: r, response: '' }, true), id: `e${i}` }));
  const spec = envelopeSpec();
  const plain = compileTool(spec);
  const discounted = { ...compileTool(spec), errorBoilerplate: errorBoilerplate('api', calls) };
  assert.ok(discounted.errorBoilerplate!.has('traceback'));
  const answer = { error: refs[1], response: '' };
  const s = (tool: typeof plain) =>
    byMetric(scoreSemantic({ tool, call: calls[0], parsed: parseToolOutput(JSON.stringify(answer)), reference: calls[0].reference }))['semantic.reference']
      .value!;
  assert.ok(s(plain) > 0.6, `plain ${s(plain)}`);
  assert.ok(s(discounted) < 0.3, `discounted ${s(discounted)}`);
  // the right error still scores 1
  const same = byMetric(
    scoreSemantic({ tool: discounted, call: calls[0], parsed: parseToolOutput(JSON.stringify(calls[0].reference)), reference: calls[0].reference }),
  );
  assert.is(same['semantic.reference'].value, 1);
  assert.is(errorBoilerplate('api', calls.slice(0, 3)), undefined, 'too few errors to tell boilerplate from content');
});

test('refusal: an {error: "", response} envelope is not a refusal; a per-tool JSONata predicate; the preset', async () => {
  const rate = async (spec: ToolSpec, answer: unknown, expect_error = false) => {
    const tool = compileTool(spec);
    const s = byMetric(await scoreLogic({ tool, call: callOf(undefined, expect_error), parsed: parseToolOutput(JSON.stringify(answer)) }));
    return (s['logic.false_refusal'] ?? s['logic.error_detected']).value;
  };
  // the default rule: a non-empty error is a refusal, an empty one is not (real responses scored 1.000 before)
  assert.is(await rate(envelopeSpec(), { error: '', response: 'data' }), 0);
  assert.is(await rate(envelopeSpec(), { error: 'Rate limit exceeded', response: '' }), 1);
  // a per-tool predicate
  const custom = envelopeSpec({ refusal: "status = 'error'" });
  assert.is(await rate(custom, { status: 'error', error: '' }), 1);
  assert.is(await rate(custom, { status: 'ok', error: 'a field that happens to be called error' }), 0);
  assert.throws(() => compileTool(envelopeSpec({ refusal: 'status = ' })), /refusal: JSONata syntax error/);
});

test('invariants are not vacuous: a missing or ill-typed required field fails the invariants that read it', async () => {
  const spec: ToolSpec = {
    name: 'search',
    description: 'search',
    parameters: { type: 'object' },
    response_schema: {
      type: 'object',
      required: ['results'],
      properties: {
        results: { type: 'array', items: { type: 'object', required: ['id', 'score'], properties: { id: { type: 'string' }, score: { type: 'number' } } } },
      },
    },
    invariants: [
      { name: 'at_most_top_k', expr: '$count(output.results) <= args.top_k' },
      { name: 'ids_unique', expr: '$count(output.results.id) = $count($distinct(output.results.id))' },
      { name: 'optional_ok', expr: '$not($exists(output.note)) or $length(output.note) > 0' },
    ],
    semantic: {},
  };
  const tool = compileTool(spec);
  const inv = async (answer: unknown) => {
    const c = { ...callOf(undefined), arguments: { top_k: 3 } };
    return byMetric(await scoreLogic({ tool, call: c, parsed: parseToolOutput(JSON.stringify(answer)) }))['logic.invariants'];
  };
  // no required field at all: not a result of this tool, every invariant fails (optional-field ones too)
  for (const bad of [{}, { docs: [{ id: 'a' }] }, [1, 2]]) {
    const s = await inv(bad);
    assert.is(s.value, 0, JSON.stringify(bad));
    assert.match(s.reasons[0], /holds none of the fields the response schema requires \(results\)/);
  }
  // an ill-typed required field fails the invariants that read it; the one over an optional field holds
  const oops = await inv({ results: 'oops' });
  assert.is(oops.value, 1 / 3);
  assert.match(oops.reasons.join(' '), /at_most_top_k: reads output.results, which the response schema declares array, got string/);
  const missingScore = await inv({ results: [{ id: 'a', score: 1 }, { id: 'b' }] });
  assert.is(missingScore.value, 1, 'score is not read by any invariant');
  const missingId = await inv({ results: [{ id: 'a', score: 1 }, { score: 2 }] });
  assert.match(missingId.reasons.join(' '), /ids_unique: reads output.results\[1\].id/);
  assert.is((await inv({ results: [{ id: 'a', score: 1 }] })).value, 1);
});

test('every shipped tool: {}, an ill-typed body and an unmapped body fail its invariants', async () => {
  const { readdirSync, readFileSync } = await import('node:fs');
  const YAML = await import('yaml');
  const dir = new URL('../suites/tools/', import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
  assert.ok(files.length >= 5);
  for (const f of files) {
    const spec = YAML.parse(readFileSync(new URL(f, dir), 'utf8')) as ToolSpec;
    spec.semantic ??= {};
    spec.invariants ??= [];
    if (spec.invariants.length === 0) continue;
    const tool = compileTool(spec);
    const required = ((spec.response_schema as { required?: string[] }).required ?? [])[0];
    for (const body of [{}, { data: { items: [] } }, { [required]: 'oops' }]) {
      const c = { ...callOf(undefined), tool: spec.name };
      const s = byMetric(await scoreLogic({ tool, call: c, parsed: parseToolOutput(JSON.stringify(body)) }))['logic.invariants'];
      assert.ok(s.value! < 1, `${spec.name} ${JSON.stringify(body)}: ${s.value}`);
    }
  }
});

test.run();
