import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseToolOutput } from '../harness/parse/json-from-text.js';
import { scoreObservation } from '../harness/scoring/index.js';
import { call, searchTool } from './fixtures/scoring/tools.js';

const tool = searchTool();
const reference = {
  query: 'cats',
  total: 2,
  results: [
    { id: 'a', title: 'Cats and dogs' },
    { id: 'b', title: 'Cat care' },
  ],
};
const c = call({ query: 'cats', limit: 5 }, false, reference);
const text = 'Here: {"query": "cats", "total": 3, "results": [{"id": "a", "title": "Cats & dogs"}, {"id": "x", "title": 5}]}';

test('runs the families asked for, in order format, logic, semantic', async () => {
  const input = { tool, call: c, parsed: parseToolOutput(text) };
  const all = await scoreObservation(input, reference, new Set(['format', 'logic', 'semantic']));
  assert.equal(
    all.map((s) => s.metric),
    [
      'format.parse',
      'format.parse_repaired',
      'format.schema_valid',
      'format.required_key_recall',
      'format.type_agreement',
      'logic.invariants',
      'logic.false_refusal',
      'semantic.reference',
      'semantic.exact_fields',
    ],
  );
  const some = await scoreObservation(input, reference, new Set(['logic']));
  assert.equal(
    some.map((s) => s.metric),
    ['logic.invariants', 'logic.false_refusal'],
  );
  assert.equal(await scoreObservation(input, reference, new Set()), []);
});

test('deterministic: the same input twice gives deep-equal scores, byte-identical as JSON', async () => {
  const families = new Set(['format', 'logic', 'semantic'] as const);
  for (const t of [text, '{"query": "cats", "total": 2, "results": [{"id": "a"', 'no', '{"error": {"code": "NOT_FOUND", "message": "m"}}']) {
    const a = await scoreObservation({ tool, call: c, parsed: parseToolOutput(t) }, reference, families);
    const b = await scoreObservation({ tool, call: c, parsed: parseToolOutput(t) }, reference, families);
    assert.equal(a, b);
    assert.is(JSON.stringify(a), JSON.stringify(b));
  }
});

test.run();
