import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseToolOutput } from '../harness/parse/json-from-text.js';
import { compileTool } from '../harness/scoring/compile.js';
import { scoreFormat } from '../harness/scoring/format.js';
import { walkSchema } from '../harness/scoring/schema-walk.js';
import { byMetric, call, searchSpec, searchTool } from './fixtures/scoring/tools.js';

const tool = searchTool();
const valid = call({ query: 'cats', limit: 5 });
const invalid = call({ query: '', limit: 0 }, true);
const score = (text: string, c = valid) => byMetric(scoreFormat({ tool, call: c, parsed: parseToolOutput(text) }));

test('a perfect response scores 1 everywhere', () => {
  const s = score('{"query": "cats", "total": 1, "results": [{"id": "a", "title": "Cats"}]}');
  assert.equal(
    Object.values(s).map((x) => [x.metric, x.value]),
    [
      ['format.parse', 1],
      ['format.parse_repaired', 1],
      ['format.schema_valid', 1],
      ['format.required_key_recall', 1],
      ['format.type_agreement', 1],
    ],
  );
  assert.equal(s['format.parse'].reasons, []);
});

test('key recall and type agreement, hand-counted', () => {
  const text = JSON.stringify({
    query: 'cats',
    total: '2',
    results: [
      { id: 'a', title: 'Cats', score: 0.9 },
      { id: 7, score: 0.5, tags: ['x', 3] },
    ],
  });
  const s = score(text);
  // Required keys: root query, total, results (3 present); results[0] id, title (2 present);
  // results[1] id present, title missing => 6 / 7.
  assert.is(s['format.required_key_recall'].value, 6 / 7);
  assert.equal(s['format.required_key_recall'].reasons, ['results[1]: missing required key "title"']);
  // Typed values: root, query, total(x), results, [0], [0].id, [0].title, [0].score, [1], [1].id(x), [1].score,
  // [1].tags, tags[0], tags[1](x) => 14 checked, 3 wrong => 11 / 14.
  assert.is(s['format.type_agreement'].value, 11 / 14);
  assert.equal(s['format.type_agreement'].reasons, [
    'total: expected integer, got string',
    'results[1].id: expected string, got number',
    'results[1].tags[1]: expected string, got number',
  ]);
  assert.is(s['format.schema_valid'].value, 0);
  assert.is(s['format.schema_valid'].reasons[0], 'against response_schema:');
  assert.ok(s['format.schema_valid'].reasons.length <= 7); // header, at most 5 messages, "+N more"
});

test('a value of the wrong kind at the root owes all its required keys', () => {
  const s = score('"hello"');
  assert.is(s['format.parse'].value, 1);
  assert.is(s['format.required_key_recall'].value, 0); // 0 of query, total, results
  assert.is(s['format.type_agreement'].value, 0); // root: expected object, got string (0 / 1)
});

test('expect_error calls are checked against the error schema', () => {
  const s = score('{"error": {"code": "BAD_QUERY", "message": "empty query"}}', invalid);
  assert.is(s['format.schema_valid'].value, 1);
  assert.is(s['format.required_key_recall'].value, 1); // error; error.code, error.message: 3 / 3
  assert.is(s['format.type_agreement'].value, 1); // root, error, code (string from its enum), message: 4 / 4
  const r = score('{"query": "", "total": 0, "results": []}', invalid);
  assert.is(r['format.schema_valid'].value, 0);
  assert.match(r['format.schema_valid'].reasons[0], /a result where an error response was expected/);
  assert.is(r['format.required_key_recall'].value, 0); // `error` missing: 0 / 1
});

test('an error answering a valid call is not schema-valid, and the reason points at false_refusal', () => {
  const s = score('{"error": {"code": "NOT_FOUND", "message": "none"}}');
  assert.is(s['format.schema_valid'].value, 0);
  assert.match(s['format.schema_valid'].reasons[0], /logic.false_refusal/);
  assert.is(s['format.required_key_recall'].value, 0); // query, total, results: 0 / 3
  assert.is(s['format.type_agreement'].value, 1); // only the root is a declared, present value: object, 1 / 1
});

test('a tool without error_schema: the default {error: ...} shape', () => {
  const spec = searchSpec();
  delete spec.error_schema;
  const t = compileTool(spec);
  const s = byMetric(scoreFormat({ tool: t, call: invalid, parsed: parseToolOutput('{"error": "bad query"}') }));
  assert.is(s['format.schema_valid'].value, 1);
  assert.is(s['format.required_key_recall'].value, 1);
});

test('parse statuses: fenced and embedded count 1 with the wrapper named; truncated, empty, not_json count 0', () => {
  const ok = '{"query": "cats", "total": 0, "results": []}';
  const fenced = score('```json\n' + ok + '\n```');
  assert.is(fenced['format.parse'].value, 1);
  assert.match(fenced['format.parse'].reasons[0], /^fenced: /);
  assert.is(fenced['format.schema_valid'].value, 1);
  const embedded = score('Result: ' + ok);
  assert.is(embedded['format.parse'].value, 1);
  assert.match(embedded['format.parse'].reasons[0], /^embedded: /);

  // Truncated: repaired to {query, total, results: [{id: "a"}]}; never schema-valid, but walked.
  const cut = score('{"query": "cats", "total": 2, "results": [{"id": "a", "ti');
  assert.is(cut['format.parse'].value, 0);
  assert.is(cut['format.schema_valid'].value, 0);
  assert.match(cut['format.schema_valid'].reasons[0], /truncated: a repaired prefix is not credited/);
  assert.is(cut['format.required_key_recall'].value, 4 / 5); // root 3 / 3, results[0] id only: 4 / 5
  assert.is(cut['format.type_agreement'].value, 1); // root, query, total, results, [0], [0].id: 6 / 6

  for (const text of ['', 'not json at all']) {
    const s = score(text);
    assert.is(s['format.parse'].value, 0);
    assert.is(s['format.schema_valid'].value, 0);
    assert.is(s['format.required_key_recall'].value, null);
    assert.is(s['format.type_agreement'].value, null);
  }
});

test('format.parse (strict) and format.parse_repaired side by side; the other metrics score the repaired value', () => {
  // The measured case: a JSON string holding a raw newline (208 of 600 real simulator answers).
  const s = score('{"query": "cats", "total": 1, "results": [{"id": "a", "title": "Cats\nand dogs"}]}');
  assert.is(s['format.parse'].value, 0);
  assert.is(s['format.parse_repaired'].value, 1);
  assert.equal(s['format.parse_repaired'].reasons, ['repaired (control_characters)']);
  assert.is(s['format.schema_valid'].value, 1);
  assert.is(s['format.required_key_recall'].value, 1);
  const py = score("{'query': 'cats', 'total': 0, 'results': [],}");
  assert.equal([py['format.parse'].value, py['format.parse_repaired'].value, py['format.schema_valid'].value], [0, 1, 1]);
  assert.equal(py['format.parse_repaired'].reasons, ['repaired (python_literals, trailing_commas)']);
  // A fragment counts 0 in both, and gives the other metrics nothing to score.
  const frag = score('I looked the query up in the index, went through every page of results, and found: [] nothing more.');
  assert.equal([frag['format.parse'].value, frag['format.parse_repaired'].value, frag['format.schema_valid'].value], [0, 0, 0]);
  assert.is(frag['format.required_key_recall'].value, null);
});

test('no response text at all: every format metric is null', () => {
  const s = byMetric(scoreFormat({ tool, call: valid, parsed: undefined }));
  for (const m of Object.values(s)) assert.is(m.value, null);
});

test('schema walk: $ref, allOf, anyOf and const/enum implied types', () => {
  const schema = {
    $defs: { item: { type: 'object', required: ['k'], properties: { k: { const: 1 } } } },
    type: 'object',
    allOf: [{ required: ['a'] }],
    properties: {
      a: { anyOf: [{ type: 'string' }, { type: 'array', items: { $ref: '#/$defs/item' } }] },
      b: { enum: ['x', null] },
    },
  };
  const w = walkSchema(schema, { a: [{ k: 1 }, { k: 'one' }, {}], b: null });
  // required: a (allOf) + k in each of 3 items, the third missing => 3 / 4
  assert.is(w.required_present, 3);
  assert.is(w.required_total, 4);
  // typed: root, a (array branch chosen), 3 items (object), k=1 ok, k='one' wrong (const implies number), b (null ok)
  // => 8 checked, 7 agree
  assert.is(w.typed_total, 8);
  assert.is(w.typed_agree, 7);
});

test('deterministic', () => {
  const text = '{"query": 1, "results": [{"id": 2}]}';
  assert.equal(score(text), score(text));
});

test.run();
