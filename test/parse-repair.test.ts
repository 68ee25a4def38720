// Classified parse outcomes (issue 11 items 1 and 2): each damage kind measured on real simulator answers,
// written as a small synthetic row.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseToolOutput } from '../harness/parse/json-from-text.js';
import { classify, escapeControlCharacters } from '../harness/parse/repair.js';

const repaired = (text: string) => {
  const p = parseToolOutput(text);
  assert.is(p.outcome, 'repaired', `${text}: ${p.status} ${p.note}`);
  return p;
};

test('a raw newline inside a string (what json.loads(strict=False) accepts) is repaired as control_characters', () => {
  const p = repaired('{\n    "error": "",\n    "response": "line one\nline two\ttab"\n}');
  assert.is(p.status, 'repaired');
  assert.equal(p.repairs, ['control_characters']);
  assert.equal(p.value, { error: '', response: 'line one\nline two\ttab' });
  // only characters inside strings are escaped; whitespace between tokens stays
  assert.is(escapeControlCharacters('{\n"a": "x\ny"}'), '{\n"a": "x\\ny"}');
  assert.is(escapeControlCharacters('{"a": "\u0001"}'), '{"a": "\\u0001"}');
});

test('Python literals and single quotes', () => {
  const p = repaired("{'name': 'Qatar', 'landlocked': False, 'subregion': None, 'ok': True}");
  assert.equal(p.repairs, ['python_literals']);
  assert.equal(p.value, { name: 'Qatar', landlocked: false, subregion: null, ok: true });
  // a word that only starts like a literal is not one
  assert.equal(classify('{"a": Nonesuch}', '{"a": "Nonesuch"}', false), ['other']);
});

test('trailing commas', () => {
  const p = repaired('{"a": [1, 2, ], "b": 3, }');
  assert.equal(p.repairs, ['trailing_commas']);
  assert.equal(p.value, { a: [1, 2], b: 3 });
});

test('an unescaped quote inside a string (a Python repr pasted into a JSON string)', () => {
  const p = repaired(`{"error": "", "response": "{'landmark_name': "Et'hem Bey Mosque", 'distance': 174}"}`);
  assert.ok(p.repairs!.includes('unescaped_quotes'), String(p.repairs));
  const v = p.value as { error: string; response: string };
  assert.is(v.error, '');
  assert.is(v.response, `{'landmark_name': "Et'hem Bey Mosque", 'distance': 174}`);
});

test('a truncation with raw newlines is closed, both kinds named', () => {
  const p = repaired('{"error": "", "response": "first\nsecond, and then the answer was cut');
  assert.is(p.status, 'truncated');
  assert.equal(p.repairs, ['control_characters', 'truncation']);
  assert.equal(p.value, { error: '', response: 'first\nsecond, and then the answer was cut' });
});

test('no credit for a fragment: a long answer with one bad quote is repaired whole, not scored on an inner []', () => {
  // The measured case: a 1,645-character answer identical to the real response except one unescaped quote
  // was scored on `[]` picked from inside it (parse 1, semantic 0).
  const items = Array.from({ length: 30 }, (_, i) => `{'id': ${i}, 'name': 'store number ${i}', 'open': True}`).join(', ');
  const text = `{"error": "", "response": "{'message': "Can't find all", 'tags': [], 'stores': [${items}]}"}`;
  assert.ok(text.length > 1600);
  const p = repaired(text);
  const v = p.value as { response: string };
  assert.ok(v.response.length > 1500, v.response.slice(0, 80));
  // prose around a small value: a fragment, with no value for the scorers
  const f = parseToolOutput('The API returned the full list of hotels near the airport, sorted by distance from the terminal: [] and nothing else.');
  assert.is(f.outcome, 'fragment');
  assert.is(f.status, 'fragment');
  assert.is('value' in f, false);
  assert.match(f.note!, /covers under 50%/);
  assert.ok(f.coverage! < 0.5);
});

test('prose is never "repaired" into a value', () => {
  for (const t of ['Sorry, I cannot do that.', 'hello', 'Error: the server is down, try again later']) {
    const p = parseToolOutput(t);
    assert.is(p.outcome, 'none', t);
    assert.is(p.value, undefined, t);
  }
});

test('strict wins over repaired wherever both exist; a fence holding damaged JSON is repaired', () => {
  assert.is(parseToolOutput('{"a": 1}').outcome, 'strict');
  const p = repaired("```json\n{'a': True, 'b': [1, 2,]}\n```");
  assert.equal(p.value, { a: true, b: [1, 2] });
  assert.equal(p.repairs, ['python_literals', 'trailing_commas']);
});

test.run();
