// The shipped tool specs accept what the real ecosystems send, without invented values:
//  - search.yaml: a web result has a position and maybe a date, no score; a Serper answer box has a place;
//    score invariants apply only between results that have scores;
//  - kernel_eval.yaml: a KernelBench evaluation has no compile_log for a clean build and no reference_ms
//    (the reference is timed offline); the speedup invariant applies only where its three fields are present.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { HARNESS_ROOT } from '../harness/records/manifest.js';
import { compileTool } from '../harness/scoring/compile.js';
import { scoreFormat } from '../harness/scoring/format.js';
import { scoreLogic } from '../harness/scoring/logic.js';
import type { DatasetCall, ToolSpec } from '../harness/suite/types.js';

const tool = (name: string) => compileTool(parse(readFileSync(join(HARNESS_ROOT, 'suites', 'tools', name), 'utf8')) as ToolSpec);
const search = tool('search.yaml');
const kernel = tool('kernel_eval.yaml');
const call = (toolName: string, args: Record<string, unknown>): DatasetCall =>
  ({ id: 'c', tool: toolName, arguments: args, source: { dataset: 'd', line: 1 } }) as DatasetCall;

async function check(t: typeof search, c: DatasetCall, value: unknown) {
  const parsed = { status: 'json' as const, outcome: 'strict' as const, value };
  const format = Object.fromEntries(scoreFormat({ tool: t, call: c, parsed }).map((s) => [s.metric, s]));
  const logic = Object.fromEntries((await scoreLogic({ tool: t, call: c, parsed })).map((s) => [s.metric, s]));
  return { valid: format['format.schema_valid'], invariants: logic['logic.invariants'] };
}

test('search.yaml: a web response (positions, a date, an answer box, no scores) is valid and consistent', async () => {
  const web = {
    answer_box: { title: 'Chennai, Tamil Nadu, India / Weather', answer: '87°F' },
    results: [
      { id: 'https://a.example/1', title: 'A', text: 'first', position: 1, date: 'Mar 3, 2024' },
      { id: 'https://a.example/2', title: 'B', text: 'second', position: 2 },
    ],
  };
  const r = await check(search, call('search', { query: 'weather chennai', top_k: 5 }), web);
  assert.is(r.valid.value, 1, r.valid.reasons.join('; '));
  assert.is(r.invariants.value, 1, r.invariants.reasons.join('; '));
  const empty = await check(search, call('search', { query: 'x', top_k: 5 }), { answer_box: { answer: '42' }, results: [] });
  assert.is(empty.valid.value, 1, 'an answer box and no organic results');
  const shuffled = await check(search, call('search', { query: 'x', top_k: 5 }), { results: [{ ...web.results[1] }, { ...web.results[0] }] });
  assert.match(shuffled.invariants.reasons.join(';'), /positions_ascending: false/);
});

test('search.yaml: retriever results keep their score checks', async () => {
  const ok = {
    results: [
      { id: 'd1', title: 'A', text: 'a', score: 9.1 },
      { id: 'd2', title: 'B', text: 'b', score: 3.2 },
    ],
  };
  assert.is((await check(search, call('search', { query: 'a', top_k: 3 }), ok)).invariants.value, 1);
  const rising = { results: [ok.results[1], ok.results[0]] };
  assert.match((await check(search, call('search', { query: 'a', top_k: 3 }), rising)).invariants.reasons.join(';'), /scores_descending: false/);
  const invented = await check(search, call('search', { query: 'a', top_k: 3 }), { results: [{ id: 'd1', title: 'A', text: 'a', relevance: 1 }] });
  assert.is(invented.valid.value, 0, 'unknown result fields are still refused');
});

test('kernel_eval.yaml: a KernelBench evaluation without compile_log or reference_ms is valid; the ratio check applies only when present', async () => {
  const c = call('kernel_eval', { problem_id: '1_square_matmul', source: 'x' });
  const kb = { compiled: true, ran: true, correct: true, runtime_ms: 2.1, error: null, outcome: 'correct' };
  const r = await check(kernel, c, kb);
  assert.is(r.valid.value, 1, r.valid.reasons.join('; '));
  assert.is(r.invariants.value, 1, r.invariants.reasons.join('; '));
  const withBaseline = { ...kb, reference_ms: 4.2, speedup: 2 };
  assert.is((await check(kernel, c, withBaseline)).invariants.value, 1);
  const wrongRatio = await check(kernel, c, { ...withBaseline, speedup: 3 });
  assert.match(wrongRatio.invariants.reasons.join(';'), /speedup_is_time_ratio: false/, 'present: still checked');
  const compileFailed = { compiled: false, ran: false, error: 'illegal memory access', outcome: 'compile_error' };
  assert.is((await check(kernel, c, compileFailed)).valid.value, 1, 'no compile_log kept');
  const speedupAlone = await check(kernel, c, { compiled: true, ran: true, correct: false, error: null, outcome: 'wrong', speedup: 1.2 });
  assert.match(speedupAlone.invariants.reasons.join(';'), /speedup_only_with_runtime: false/);
});

test.run();
