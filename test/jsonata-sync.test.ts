// The synchronous invariant evaluator (harness/scoring/jsonata-sync/) must give JSONata's verdict on every
// answer it answers at all: every invariant of every shipped suite, on the recorded answers of the shipped
// datasets (the real tools' references, the calibration set's damaged simulator answers, the recorded kernel
// evaluations) and on hostile variants of them (wrong types, missing fields, duplicates, JSONata's own
// function flags, long and nested arrays). And what it does not answer is left to JSONata, time budget and
// interruption included.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { parseToolOutput } from '../harness/parse/json-from-text.js';
import { compileTool } from '../harness/scoring/compile.js';
import { budgetedExpression, InvariantTimeout, ScoringInterrupted } from '../harness/scoring/invariant-runner.js';
import { compileSync } from '../harness/scoring/jsonata-sync/compile.js';
import { scoreLogic } from '../harness/scoring/logic.js';
import { loadSuite } from '../harness/suite/load.js';
import type { DatasetCall, ToolSpec } from '../harness/suite/types.js';

const SUITES = ['suites/default.yaml', 'suites/search-fidelity.yaml', 'suites/kernel-fidelity.yaml', 'suites/kernel-kernelbench.yaml'];

interface Case {
  args: unknown;
  output: unknown;
  what: string;
}

async function shipped(): Promise<{ tools: Map<string, ToolSpec>; calls: DatasetCall[] }> {
  const tools = new Map<string, ToolSpec>();
  const calls: DatasetCall[] = [];
  for (const file of SUITES) {
    const s = await loadSuite(file);
    for (const t of s.tools) tools.set(t.name, t);
    calls.push(...s.calls);
  }
  return { tools, calls };
}

const jsonl = (path: string): Record<string, unknown>[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));

/** Recorded answers per tool: references, the calibration answers (parsed as the harness parses them), kernel results. */
function recorded(calls: DatasetCall[]): Map<string, Case[]> {
  const byTool = new Map<string, Case[]>();
  const add = (tool: string, c: Case) => byTool.set(tool, [...(byTool.get(tool) ?? []), c]);
  const byId = new Map(calls.map((c) => [c.id, c]));
  for (const c of calls) if (c.reference !== undefined) add(c.tool, { args: c.arguments, output: c.reference, what: `${c.id} reference` });
  for (const a of jsonl('datasets/calibration/answers.jsonl')) {
    const call = byId.get(String(a.call_id));
    const parsed = parseToolOutput(String(a.answer));
    if (call && 'value' in parsed) add(call.tool, { args: call.arguments, output: parsed.value, what: `calibration ${String(a.id)}` });
  }
  for (const e of jsonl('datasets/kernels/recorded/evaluations.jsonl')) {
    add('kernel_eval', { args: { problem_id: e.problem_id }, output: e.result, what: `kernel evaluation ${String(e.id)}` });
  }
  return byTool;
}

const HOSTILE: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  2.5,
  1e300,
  '',
  '  ',
  'abc',
  'ABC',
  'x\u00e9\ud83d\ude00',
  [],
  [1],
  ['A', 'A'],
  [null],
  [[1, 2]],
  [1, 'a', true],
  {},
  { a: 1 },
  [{ a: 1 }, { a: 1 }],
  { _jsonata_lambda: true },
  { _jsonata_function: true, x: 1 },
];

/** Every field (and every field of the first item of an array of objects) removed or set to each hostile value. */
function variants(v: unknown): unknown[] {
  const out: unknown[] = [...HOSTILE];
  if (v === null || typeof v !== 'object') return out;
  if (Array.isArray(v)) {
    out.push([...v, ...v], [...v].reverse(), v.slice(1), [...v, {}], [...v, null]);
    if (v.length && v[0] && typeof v[0] === 'object' && !Array.isArray(v[0])) for (const inner of variants(v[0])) out.push([inner, ...v.slice(1)]);
    return out;
  }
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    const { [k]: _drop, ...rest } = o;
    out.push(rest);
    const values = Array.isArray(o[k]) ? [...HOSTILE, ...variants(o[k]).slice(HOSTILE.length)] : HOSTILE;
    for (const h of values) out.push({ ...o, [k]: h });
  }
  return out;
}

function hostile(cases: Case[]): Case[] {
  const base = cases.filter((_, i) => i % Math.max(1, Math.floor(cases.length / 3)) === 0).slice(0, 3);
  const out: Case[] = [];
  for (const c of base) {
    for (const o of variants(c.output)) out.push({ args: c.args, output: o, what: `${c.what}, output ${JSON.stringify(o).slice(0, 60)}` });
    for (const a of variants(c.args)) out.push({ args: a, output: c.output, what: `${c.what}, args ${JSON.stringify(a).slice(0, 60)}` });
  }
  // long arrays with a duplicate at the end, and deep nesting, on every array field of the answer
  for (const c of base.slice(0, 1)) {
    const o = c.output as Record<string, unknown>;
    for (const k of Object.keys(o ?? {})) {
      if (!Array.isArray(o[k])) continue;
      const item = (o[k] as unknown[])[0] ?? 'X';
      const long = Array.from({ length: 300 }, (_, i) =>
        typeof item === 'object' && item ? { ...item, id: `i${i}`, code: `C${i}`, score: 300 - i, position: i } : `${String(item)}${i}`,
      );
      out.push({ args: c.args, output: { ...o, [k]: [...long, long[0]] }, what: `${c.what}, ${k} of 301` });
      let deep: unknown = ['x'];
      for (let i = 0; i < 200; i++) deep = [deep];
      out.push({ args: c.args, output: { ...o, [k]: deep }, what: `${c.what}, ${k} nested 200 deep` });
    }
  }
  return out;
}

const copy = <T>(v: T): T => (v === undefined ? v : structuredClone(v));

test('every invariant of the shipped suites compiles to the synchronous form', async () => {
  const { tools } = await shipped();
  let n = 0;
  for (const t of tools.values()) {
    for (const inv of t.invariants) {
      assert.ok(compileSync(inv.expr), `${t.name}: ${inv.name} is outside the synchronous subset`);
      n++;
    }
  }
  assert.ok(n >= 26, `only ${n} invariants found`);
});

test('same verdict as JSONata on every shipped invariant, recorded answers and hostile variants', async () => {
  const { tools, calls } = await shipped();
  const answers = recorded(calls);
  let compared = 0;
  let answered = 0;
  for (const [name, tool] of tools) {
    if (!tool.invariants.length) continue;
    const cases = answers.get(name) ?? [];
    assert.ok(cases.length > 0, `no recorded answers for ${name}`);
    const all = [...cases, ...hostile(cases)];
    for (const inv of tool.invariants) {
      const e = budgetedExpression(inv.expr, 60_000);
      for (const c of all) {
        // fresh copies: JSONata may write into its input (a group-by on an empty array appends to it)
        const fast = e.evaluateSync({ args: copy(c.args), output: copy(c.output) });
        let slow: unknown;
        let threw: unknown;
        try {
          slow = await e.evaluate({ args: copy(c.args), output: copy(c.output) });
        } catch (err) {
          threw = err;
        }
        compared++;
        if (!fast) continue;
        answered++;
        const where = `${name}.${inv.name} on ${c.what}`;
        assert.is(threw, undefined, `${where}: JSONata threw ${JSON.stringify(threw)?.slice(0, 200)} where the fast path said ${fast.value}`);
        assert.is(fast.value, slow, `${where}: fast ${fast.value}, JSONata ${JSON.stringify(slow)}`);
      }
    }
  }
  // the fast path must carry the load, not just agree by bailing
  assert.ok(answered / compared > 0.8, `the fast path answered ${answered} of ${compared}`);
});

test('scores and reasons are unchanged: scoreLogic with and without the fast path', async () => {
  const { tools, calls } = await shipped();
  const answers = recorded(calls);
  for (const [name, spec] of tools) {
    if (!spec.invariants.length) continue;
    const fast = compileTool(spec);
    const slow = compileTool(spec);
    for (const inv of slow.invariants) delete inv.evaluateSync;
    const cases = answers.get(name) ?? [];
    for (const c of [...cases, ...hostile(cases).slice(0, 300)]) {
      const call: DatasetCall = {
        id: 'c',
        tool: name,
        arguments: c.args as Record<string, unknown>,
        reference: undefined,
        expect_error: false,
        source: { dataset: 'd', line: 1 },
      };
      const text = JSON.stringify(c.output);
      const a = await scoreLogic({ tool: fast, call, parsed: parseToolOutput(text) });
      const b = await scoreLogic({ tool: slow, call, parsed: parseToolOutput(text) });
      assert.equal(a, b, `${name} on ${c.what}`);
    }
  }
});

test('scoreLogic answers without a promise when every invariant takes the fast path, with one otherwise', async () => {
  const { tools, calls } = await shipped();
  const spec = tools.get('country_info')!;
  const call = calls.find((c) => c.tool === 'country_info' && !c.expect_error)!;
  const parsed = parseToolOutput(JSON.stringify(call.reference));
  const fast = scoreLogic({ tool: compileTool(spec), call, parsed });
  assert.ok(Array.isArray(fast));
  const slowTool = compileTool(spec);
  delete slowTool.invariants[1].evaluateSync; // the second invariant needs JSONata: the rest continue after it
  const slow = scoreLogic({ tool: slowTool, call, parsed });
  assert.instance(slow, Promise);
  assert.equal(await slow, fast);
});

test('outside the subset, JSONata evaluates: unknown functions, shadowed built-ins, registered functions', async () => {
  assert.is(compileSync('$sum(output.x) > 1'), undefined); // a built-in not ported
  assert.is(compileSync('($count := function($x){1}; $count(output) = 1)'), undefined); // shadowed built-in
  assert.is(compileSync('$now() > 0'), undefined);
  assert.is(compileSync('output.x ~> $count'), undefined);
  assert.is(compileSync('output.x[]'), undefined);
  const e = budgetedExpression('$count(output.x) = 1', 1000);
  assert.equal(e.evaluateSync({ output: { x: [1] } }), { value: true });
  e.registerFunction('count', () => 5);
  assert.is(e.evaluateSync({ output: { x: [1] } }), undefined);
  assert.is(await e.evaluate({ output: { x: [1] } }), false);
  // a non-boolean value is left to JSONata, which words the reason
  assert.is(budgetedExpression('output.x', 1000).evaluateSync({ output: { x: 1 } }), undefined);
});

test('an evaluation past its time slice is handed to JSONata, which applies the budget', async () => {
  const e = budgetedExpression('$count($filter([1..1000000], function($i) { $i > 0 })) > 0', 1);
  assert.is(e.evaluateSync({ output: {} }), undefined);
  try {
    await e.evaluate({ output: {} });
    assert.unreachable('should time out');
  } catch (err) {
    assert.instance(err, InvariantTimeout);
  }
});

test('an interrupted run stops the fast path too', () => {
  const ac = new AbortController();
  ac.abort();
  const e = budgetedExpression('output.x = 1', 1000);
  assert.throws(
    () => e.evaluateSync({ output: { x: 1 } }, { signal: ac.signal }),
    (err: unknown) => err instanceof ScoringInterrupted,
  );
});

test.run();
