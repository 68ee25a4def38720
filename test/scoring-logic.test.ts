import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseToolOutput } from '../harness/parse/json-from-text.js';
import { compileTool } from '../harness/scoring/compile.js';
import { scoreLogic } from '../harness/scoring/logic.js';
import { byMetric, call, searchSpec, searchTool } from './fixtures/scoring/tools.js';

const tool = searchTool();
const valid = call({ query: 'cats', limit: 1 });
const invalid = call({ query: '', limit: 0 }, true);
const score = async (text: string, c = valid, t = tool) => byMetric(await scoreLogic({ tool: t, call: c, parsed: parseToolOutput(text) }));

test('share of applicable invariants that hold, with the failures named', async () => {
  // query_echoed true; at_most_limit 2 <= 1 false; total_covers_results 2 >= 2 true; is_object (always) true;
  // error_has_code does not apply to a result => 3 / 4
  const s = await score('{"query": "cats", "total": 2, "results": [{"id": "a"}, {"id": "b"}]}');
  assert.is(s['logic.invariants'].value, 0.75);
  assert.equal(s['logic.invariants'].reasons, ['at_most_limit: false']);
  assert.is(s['logic.false_refusal'].value, 0);
  assert.is(s['logic.error_detected'], undefined); // only for expect_error calls
});

test('an error response: error and always invariants apply; a valid call refused is a false refusal', async () => {
  const s = await score('{"error": {"code": "BAD_QUERY", "message": "x"}}');
  assert.is(s['logic.invariants'].value, 1); // error_has_code, is_object: 2 / 2
  assert.is(s['logic.false_refusal'].value, 1);
  assert.match(s['logic.false_refusal'].reasons[0], /refused a valid call/);
});

test('error detection on expect_error calls', async () => {
  const hit = await score('{"error": {"code": "BAD_QUERY", "message": "empty query"}}', invalid);
  assert.is(hit['logic.error_detected'].value, 1);
  assert.is(hit['logic.false_refusal'], undefined);
  const miss = await score('{"query": "", "total": 0, "results": []}', invalid);
  assert.is(miss['logic.error_detected'].value, 0);
  assert.match(miss['logic.error_detected'].reasons[0], /returned a result/);
  // result invariants applied to the result: query_echoed, at_most_limit (0 <= 0), total_covers, is_object
  assert.is(miss['logic.invariants'].value, 1);
  const garbage = await score('Sorry, that query is invalid.', invalid);
  assert.is(garbage['logic.error_detected'].value, 0); // prose is not an error response
  // nothing parsed still counts: the result invariants cannot hold for it
  assert.is(garbage['logic.invariants'].value, 0);
  assert.match(garbage['logic.invariants'].reasons[0], /^nothing parsed: none of 4 invariant\(s\) can hold \(scored 0\)$/);
});

test('non-boolean results and evaluation errors fail with a reason naming the invariant', async () => {
  const spec = searchSpec();
  spec.invariants = [
    { name: 'counts', expr: '$count(output.results)' },
    { name: 'missing_path', expr: 'output.nothing.here' },
    { name: 'bad_number', expr: '$number(output.query) > 0' },
    { name: 'holds', expr: 'true' },
  ];
  const t = compileTool(spec);
  const s = await score('{"query": "cats", "total": 1, "results": [{"id": "a"}]}', valid, t);
  assert.is(s['logic.invariants'].value, 0.25);
  const [a, b, c] = s['logic.invariants'].reasons;
  assert.is(a, 'counts: returned 1, not a boolean');
  assert.is(b, 'missing_path: returned nothing, not a boolean');
  assert.match(c, /^bad_number: evaluation error: D3030/);
});

test('null when there is no response text or no invariant applies; 0 when nothing parsed', async () => {
  const spec = searchSpec();
  spec.invariants = spec.invariants.filter((i) => i.applies_to === 'error');
  const t = compileTool(spec);
  const s = await score('{"query": "cats", "total": 0, "results": []}', valid, t);
  assert.is(s['logic.invariants'].value, null);
  assert.match(s['logic.invariants'].reasons[0], /no invariant applies to a result/);
  const none = byMetric(await scoreLogic({ tool, call: valid, parsed: undefined }));
  assert.is(none['logic.invariants'].value, null);
  assert.is(none['logic.false_refusal'].value, null);
  const empty = await score('');
  assert.is(empty['logic.invariants'].value, 0, 'an empty answer counts, scored 0');
  assert.is(empty['logic.false_refusal'].value, 0);
});

test('a truncated response is checked on its repaired prefix', async () => {
  // repaired: {query: "cats", total: 5, results: [{id: "a"}, {id: "b"}]} (the open string "b" is closed):
  // query_echoed, total_covers_results, is_object hold; at_most_limit (2 <= 1) fails => 3 / 4
  const s = await score('{"query": "cats", "total": 5, "results": [{"id": "a"}, {"id": "b');
  assert.is(s['logic.invariants'].value, 0.75);
  // cut just after the list: results [{id: "a"}] => all four hold
  const t = await score('{"query": "cats", "total": 5, "results": [{"id": "a"}]');
  assert.is(t['logic.invariants'].value, 1);
});

test('deterministic', async () => {
  const text = '{"query": "dogs", "total": 0, "results": [{"id": "a"}, {"id": "b"}]}';
  assert.equal(await score(text), await score(text));
});

test.run();
