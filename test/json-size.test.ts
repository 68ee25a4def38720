/** util/json-size.ts and PromptTemplate.measure: sizes computed without building the text, exact under the budget. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { jsonByteSize } from '../harness/util/json-size.js';
import { loadPromptTemplate } from '../harness/prompts/template.js';
import type { ToolSpec } from '../harness/suite/types.js';

const ROOT = new URL('..', import.meta.url).pathname;

/** A seeded generator of JSON-ish values with the cases JSON.stringify treats specially. */
function randomValue(seed: number): unknown {
  let s = seed;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const gen = (depth: number): unknown => {
    const kind = depth > 3 ? pick(['s', 'n', 'b', 'z']) : pick(['s', 'n', 'b', 'z', 'u', 'a', 'o', 'o', 'd']);
    switch (kind) {
      case 's':
        return pick(['', 'plain', 'quote"back\\slash', 'tab\tnl\n', 'é€😀', '\u0001\u007f', '\ud800 lone']);
      case 'n':
        return pick([0, -1.5, 1e21, 3.14e-10, NaN, Infinity]);
      case 'b':
        return rnd() < 0.5;
      case 'z':
        return null;
      case 'u':
        return pick([undefined, () => 1]);
      case 'd':
        return new Date(Math.floor(rnd() * 1e12));
      case 'a':
        return Array.from({ length: Math.floor(rnd() * 4) }, () => gen(depth + 1));
      default:
        return Object.fromEntries(Array.from({ length: Math.floor(rnd() * 4) }, (_, i) => [pick(['k', 'ké', 'a"b', String(i)]) + i, gen(depth + 1)]));
    }
  };
  return gen(0);
}

test('equals the byte length of JSON.stringify(v, null, indent) on 600 generated values', () => {
  for (let seed = 1; seed <= 200; seed++) {
    const v = randomValue(seed);
    for (const indent of [0, 2, 4]) {
      const want = Buffer.byteLength(JSON.stringify(v, null, indent) ?? '');
      assert.is(jsonByteSize(v, indent, 1e12), want, `seed ${seed} indent ${indent}: ${JSON.stringify(v)}`);
    }
  }
});

test('a value shared a million times (what YAML aliases build) is given up at the budget, not walked', () => {
  const big = 'A'.repeat(100_000);
  let v: unknown = big;
  for (let i = 0; i < 6; i++) v = Array.from({ length: 10 }, () => v); // 10^6 references, 100 GB of text
  let walked = 0;
  const spy = { toJSON: () => (walked++, v) };
  const size = jsonByteSize(spy, 2, 1 << 20);
  assert.ok(size > 1 << 20);
  assert.ok(size < 1 << 22, String(size));
  assert.is(walked, 1);
});

test("PromptTemplate.measure equals the rendered prompt's bytes, tool and call alike", () => {
  const tpl = loadPromptTemplate(join(ROOT, 'harness/prompts/gtm-tool-sim-v1.yaml'));
  const tool: ToolSpec = {
    name: 'weather',
    description: 'Current weather — for a city',
    parameters: { type: 'object', properties: { city: { type: 'string', description: 'Zürich "or" any' } }, required: ['city'] },
    response_schema: { type: 'object', properties: { temp: { type: 'number' } } },
    invariants: [],
    semantic: {},
  } as unknown as ToolSpec;
  for (const args of [{ city: 'Paris' }, { city: 'é😀\n', extra: [1, null, { a: true }] }, {}]) {
    const r = tpl.render(tool, args);
    const bytes = 'prompt' in r ? Buffer.byteLength(r.prompt) : r.messages.reduce((n, m) => n + Buffer.byteLength(m.content), 0);
    assert.is(tpl.measure(tool, args, 1e9), bytes);
  }
});

test.run();
