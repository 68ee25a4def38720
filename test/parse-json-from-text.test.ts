import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseToolOutput } from '../harness/parse/json-from-text.js';
import { mulberry32 } from '../harness/util/prng.js';

const STATUSES = new Set(['json', 'fenced', 'embedded', 'repaired', 'truncated', 'fragment', 'empty', 'not_json', 'output_too_deep']);
const OUTCOMES = new Set(['strict', 'repaired', 'fragment', 'none']);

test('json: the whole text, surrounding whitespace and a BOM allowed, primitives included', () => {
  const strict = (value: unknown) => ({ status: 'json', outcome: 'strict', value });
  assert.equal(parseToolOutput('{"a":1,"b":[true,null]}'), strict({ a: 1, b: [true, null] }));
  assert.equal(parseToolOutput('\uFEFF  [1, 2]\n'), strict([1, 2]));
  assert.equal(parseToolOutput('null'), strict(null));
  assert.equal(parseToolOutput('"text"'), strict('text'));
  assert.equal(parseToolOutput(' 42 '), strict(42));
});

test('fenced: ```json and bare ``` fences, prose around, first parsing fence wins', () => {
  const a = parseToolOutput('Here:\n```json\n{"a": 1, "b": "two"}\n```\nDone.');
  assert.is(a.status, 'fenced');
  assert.is(a.outcome, 'strict');
  assert.equal(a.value, { a: 1, b: 'two' });
  assert.match(a.note!, /code fence/);
  assert.equal(parseToolOutput('```\n[1]\n```').value, [1]);
  assert.equal(parseToolOutput('```JSON\r\n{"x": "y"}\r\n```').value, { x: 'y' });
  // an inline fence without an info string
  assert.equal(parseToolOutput('```{"a":2}```'), { status: 'fenced', outcome: 'strict', value: { a: 2 }, note: 'JSON inside a ``` code fence' });
  // a first fence of prose, a second of JSON
  assert.equal(parseToolOutput('```text\nno\n```\n```json\n{"b":2, "c": [1, 2, 3]}\n```').value, { b: 2, c: [1, 2, 3] });
});

test('embedded: after prose, between prose, string-aware brackets, nested in a prose bracket', () => {
  const a = parseToolOutput('Sure! The result is {"a": "}{", "b": [1, 2], "c": "a longer value"} as requested.');
  assert.is(a.status, 'embedded');
  assert.is(a.outcome, 'strict');
  assert.equal(a.value, { a: '}{', b: [1, 2], c: 'a longer value' });
  assert.match(a.note!, /character 20/);
  // a balanced prose bracket first: skipped, the JSON after it is found
  assert.equal(parseToolOutput('See [note] then {"x": 1, "y": "some text"}').value, { x: 1, y: 'some text' });
  // JSON nested inside an unclosed prose brace
  assert.equal(parseToolOutput('Note {see: {"a": 1, "b": 2, "c": 3}').value, { a: 1, b: 2, c: 3 });
  // valid JSON followed by more text
  assert.equal(parseToolOutput('{"a": 1, "b": "value"} trailing words'), {
    status: 'embedded',
    outcome: 'strict',
    value: { a: 1, b: 'value' },
    coverage: 0.595,
    note: 'JSON at character 0; 15 characters of surrounding text ignored',
  });
  // an escaped quote inside a string does not end it
  assert.equal(parseToolOutput('x {"q": "say \\"hi\\" }"} y').value, { q: 'say "hi" }' });
});

test('truncated: closes strings and containers, drops dangling keys and commas, says what it did', () => {
  const cases: [string, unknown, RegExp][] = [
    ['{"a": "hel', { a: 'hel' }, /closed an open string, closed 1 open container \(\}\)/],
    ['{"a": 1, "b', { a: 1 }, /dropped a dangling key/],
    ['{"a": 1, "b": ', { a: 1 }, /dropped a dangling key/],
    ['{"a": 1, "b"', { a: 1 }, /dropped a dangling key/],
    ['{"a": [1, 2,', { a: [1, 2] }, /dropped a trailing comma, closed 2 open containers \(\]\}\)/],
    ['{"a": 1,', { a: 1 }, /dropped a trailing comma/],
    ['{"a": tru', {}, /dropped a dangling key with an incomplete value "tru"/],
    ['[1, 2.', [1], /dropped an incomplete value "2\."/],
    ['{"a": 12', { a: 12 }, /closed 1 open container/],
    ['{"a": "x\\', { a: 'x' }, /closed an open string/], // a cut escape is dropped
    ['{"a": "x\\u00', { a: 'x' }, /closed an open string/], // a cut \u escape too
    ['{"a": "x\\\\', { a: 'x\\' }, /closed an open string/], // an escaped backslash is kept
    ['[', [], /closed 1 open container \(\]\)/],
    ['```json\n{"r": [{"id": "a"}, {"id": "b", "t": "lo', { r: [{ id: 'a' }, { id: 'b', t: 'lo' }] }, /closed 3 open containers/],
    ['Answer: {"a": {"b": 1}, "c": [1, 2', { a: { b: 1 }, c: [1, 2] }, /closed 2/],
  ];
  for (const [text, value, note] of cases) {
    const p = parseToolOutput(text);
    assert.is(p.status, 'truncated', text);
    assert.is(p.outcome, 'repaired', text);
    assert.equal(p.repairs, ['truncation'], text);
    assert.equal(p.value, value, text);
    assert.match(p.note!, note);
  }
});

test('empty and not_json', () => {
  assert.equal(parseToolOutput(''), { status: 'empty', outcome: 'none' });
  assert.equal(parseToolOutput(' \n\t '), { status: 'empty', outcome: 'none' });
  assert.equal(parseToolOutput(null), { status: 'empty', outcome: 'none', note: 'no text' });
  assert.equal(parseToolOutput(undefined), { status: 'empty', outcome: 'none', note: 'no text' });
  const a = parseToolOutput('I cannot help with that.');
  assert.is(a.status, 'not_json');
  assert.is(a.value, undefined);
  assert.match(a.note!, /no JSON value/);
  const b = parseToolOutput('use {curly} braces and [square] ones');
  assert.is(b.status, 'not_json');
  assert.match(b.note!, /no bracketed span parses/);
  assert.is(parseToolOutput('{{{{{').status, 'not_json');
  assert.is(parseToolOutput('{{{{{').outcome, 'none');
});

test('every prefix of a JSON object is repaired to a value (truncated), the whole text is json', () => {
  const docs = [
    { q: 'caf\u00e9 "x"', n: -1.5e3, ok: true, none: null, list: [1, 'two', { three: [3] }], nested: { a: { b: [] } } },
    [
      { id: 'a', tags: ['x', 'y\\z'] },
      { id: 'b', score: 0.25, u: '\u2603\ud83d\ude00' },
    ],
  ];
  for (const doc of docs) {
    for (const text of [JSON.stringify(doc), JSON.stringify(doc, null, 2)]) {
      for (let cut = 1; cut < text.length; cut++) {
        const p = parseToolOutput(text.slice(0, cut));
        // A prefix ending in whitespace after a complete value may be trimmed to a complete value: still truncated
        // unless the cut happens to leave the whole document.
        assert.ok(p.status === 'truncated' || p.status === 'json', `${cut}: ${p.status} ${p.note}`);
        assert.ok('value' in p, `${cut}: ${text.slice(0, cut)}`);
      }
      assert.equal(parseToolOutput(text), { status: 'json', outcome: 'strict', value: doc });
    }
  }
});

test('fuzz: random text and bytes never throw and always give a known status', () => {
  const next = mulberry32(20240601);
  const alphabet = '{}[]",:\\ \n\tabcdeftrunl0123456789.-+eE`\u00e9\ud83d\ude00\ud800';
  for (let round = 0; round < 3000; round++) {
    const len = Math.floor(next() * 80);
    let s = '';
    for (let i = 0; i < len; i++) {
      s += next() < 0.8 ? alphabet[Math.floor(next() * alphabet.length)] : String.fromCharCode(Math.floor(next() * 0x10000));
    }
    const p = parseToolOutput(s);
    assert.ok(STATUSES.has(p.status), s);
    assert.ok(p.outcome !== undefined && OUTCOMES.has(p.outcome), s);
    assert.is('value' in p, p.outcome === 'strict' || p.outcome === 'repaired', s);
  }
  // bytes decoded as text, and non-string input despite the type
  const bytes = new Uint8Array(4096).map(() => Math.floor(next() * 256));
  assert.ok(STATUSES.has(parseToolOutput(new TextDecoder().decode(bytes)).status));
  assert.ok(STATUSES.has(parseToolOutput(12 as unknown as string).status));
});

test('linear time on pathological input (200k characters each, well under a second)', () => {
  const n = 200_000;
  const inputs = [
    '{'.repeat(n),
    '['.repeat(n) + 'x',
    '{"a":'.repeat(n / 5),
    '[1] '.repeat(n / 4),
    '"'.repeat(n),
    '`'.repeat(n),
    '```\n'.repeat(n / 4),
    '{ x '.repeat(n / 4) + '}'.repeat(n / 4),
    '[[' + ']'.repeat(n),
    'a'.repeat(n) + '{"ok": true}',
    '\\'.repeat(n),
    '{"s": "' + '\\'.repeat(n),
  ];
  for (const text of inputs) {
    const t0 = performance.now();
    const p = parseToolOutput(text);
    const ms = performance.now() - t0;
    assert.ok(STATUSES.has(p.status));
    assert.ok(ms < 1000, `${JSON.stringify(text.slice(0, 12))}...: ${ms.toFixed(0)} ms`);
  }
  // a small value at the end of a long text is a fragment, not the answer's value
  assert.is(parseToolOutput('a'.repeat(n) + '{"ok": true}').outcome, 'fragment');
});

test('deterministic: the same text gives the same result', () => {
  for (const t of ['{"a": [1, 2', 'x {"b": 1} y', '```json\n[1]\n```', 'nope']) {
    assert.equal(parseToolOutput(t), parseToolOutput(t));
  }
});

test('nesting past the depth limit is output_too_deep, never parsed (the value could not be written or walked)', () => {
  const deep = parseToolOutput('['.repeat(10_000));
  assert.is(deep.status, 'output_too_deep');
  assert.is(deep.value, undefined);
  assert.match(deep.note!, /deeper than 256 levels/);
  // Brackets inside strings do not count; a limit can be set per suite.
  assert.is(parseToolOutput(JSON.stringify({ s: '['.repeat(1000) })).status, 'json');
  assert.is(parseToolOutput('[[[1]]]', { maxDepth: 2 }).status, 'output_too_deep');
  assert.is(parseToolOutput('[[1]]', { maxDepth: 2 }).status, 'json');
});

test.run();
