// `gtm-bench import kernelbench` on a KernelBench-shaped run folder (field names as eval_from_generations.py
// writes them) with a missing problem: KernelBench's classification kept, derived fields explained, the rows
// valid in the kernel_eval schema, and fast_p over all problems of the set, paired by problem id.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { HARNESS_ROOT } from '../harness/records/manifest.js';
import { importKernelBench, toKernelEvalResult } from '../harness/datasets/kernels/kernelbench-import.js';
import { readBaseline, readEvalResults } from '../harness/datasets/kernels/kernelbench-run.js';
import { compileTool } from '../harness/scoring/compile.js';
import { fastP } from '../harness/scoring/fast-p.js';
import { scoreFormat } from '../harness/scoring/format.js';
import { scoreLogic } from '../harness/scoring/logic.js';
import type { DatasetCall, ToolSpec } from '../harness/suite/types.js';
import { UserError } from '../harness/util/errors.js';

const FIX = join(import.meta.dirname, 'fixtures', 'kernelbench');
const RUN = join(FIX, 'run-missing-problem');
const BASELINE = join(FIX, 'baseline_time_torch.json');
const tmp = mkdtempSync(join(tmpdir(), 'gtm-kernelbench-'));

test('fast_p: over the problem set, problems without a candidate count 0, strict speedup > p', () => {
  const byProblem = new Map([
    ['a', [{ correct: true, speedup: 2.5 }]],
    ['b', [{ correct: true, speedup: 1 }]],
    ['c', [{ correct: false }]],
  ]);
  const [f0, f1] = fastP(['a', 'b', 'c', 'd'], byProblem, [0, 1]);
  assert.equal([f0.value, f1.value], [0.5, 0.25], 'd has no candidate and still counts in the 4');
  assert.is(f1.attempted, 3);
  const twoTries = fastP(['a'], new Map([['a', [{ correct: true, speedup: 3 }, { correct: false }]]]), [1])[0];
  assert.is(twoTries.value, 0.5, 'several candidates of one problem weigh as one problem');
  const unknown = fastP(['a', 'b'], new Map([['a', [{ correct: true }]]]), [0, 1]);
  assert.is(unknown[0].value, 0.5, 'fast_0 counts a correct candidate without a speedup');
  assert.is(unknown[1].value, null, 'fast_1 is not applicable, never 0');
  assert.match(unknown[1].reason!, /1 correct candidate\(s\) have no speedup/);
  assert.throws(() => fastP(['a'], new Map([['z', [{ correct: true }]]]), [0]), /outside the set: z/);
});

test("a KernelBench run folder with a missing problem: fast_p equals KernelBench's definition", () => {
  const entries = readEvalResults(RUN);
  const baseline = readBaseline(BASELINE);
  const { rows, summary } = importKernelBench({ runDir: RUN, level: 1, entries, baseline });
  assert.is(summary.problems, 6);
  assert.equal(summary.problems_missing, [3]);
  // KernelBench: n = all 6 problems of the set; sample 0; correct and baseline mean / runtime > p.
  // Problem 1: 3.0 / 1.2 = 2.5; problem 6: 5.0 / 8.0 = 0.625 (paired by id: position pairing would give 6 the
  // baseline of 5, 0.82 / 8.0); problems 2, 4, 5 wrong or not built; 3 missing.
  const expected: Record<number, number> = { 0: 2 / 6, 0.5: 2 / 6, 0.8: 1 / 6, 1: 1 / 6, 1.5: 1 / 6, 2: 1 / 6 };
  for (const f of summary.fast_p) assert.is(f.value, expected[f.p], `fast_${f.p}`);
  assert.is(rows.length, 5, 'problem 5 has no kernel file: left out of the dataset, still counted in fast_p');
  assert.is(summary.rows_without_source, 1);
});

test("KernelBench's classification is kept and each derived field says where it came from", () => {
  const entries = readEvalResults(RUN);
  const byKey = new Map(entries.map((e) => [`${e.problem}.${e.sample_id}`, e]));
  const fault = toKernelEvalResult(byKey.get('2.0')!);
  assert.equal(fault.result, { compiled: false, ran: false, error: fault.result.error, outcome: 'compile_error' });
  assert.match(fault.result.error as string, /illegal memory access/);
  assert.match(fault.derived.outcome, /CUDA runtime fault, which KernelBench files as a build failure/);
  const crashed = toKernelEvalResult(byKey.get('4.0')!);
  assert.is(crashed.result.outcome, 'runtime_error');
  assert.is(crashed.derived.outcome, 'metadata.runtime_error');
  assert.match(crashed.derived.ran, /compiled=true/);
  const wrong = toKernelEvalResult(byKey.get('5.0')!);
  assert.equal([wrong.result.outcome, wrong.result.error], ['wrong', 'Output mismatch']);
  const fast = toKernelEvalResult(byKey.get('1.0')!, 3.0);
  assert.equal(fast.result, { compiled: true, ran: true, correct: true, runtime_ms: 1.2, reference_ms: 3, speedup: 2.5, error: null, outcome: 'correct' });
  const noBaseline = toKernelEvalResult(byKey.get('1.0')!);
  assert.not.ok('speedup' in noBaseline.result || 'reference_ms' in noBaseline.result, 'no baseline: no invented reference time');
});

test('every imported row is schema-valid and passes every kernel_eval invariant', async () => {
  const tool = compileTool(parse(readFileSync(join(HARNESS_ROOT, 'suites', 'tools', 'kernel_eval.yaml'), 'utf8')) as ToolSpec);
  const { rows } = importKernelBench({ runDir: RUN, level: 1, entries: readEvalResults(RUN), baseline: readBaseline(BASELINE) });
  for (const row of rows) {
    const call = { id: row.id, tool: row.tool, arguments: row.arguments, source: { dataset: 'd', line: 1 } } as DatasetCall;
    const parsed = { status: 'json' as const, value: row.reference };
    const valid = scoreFormat({ tool, call, parsed }).find((s) => s.metric === 'format.schema_valid')!;
    assert.is(valid.value, 1, `${row.id}: ${valid.reasons.join('; ')}`);
    const inv = (await scoreLogic({ tool, call, parsed })).find((s) => s.metric === 'logic.invariants')!;
    assert.is(inv.value, 1, `${row.id}: ${inv.reasons.join('; ')}`);
  }
});

test('without a baseline: no speedup, so fast_p > 0 is not applicable; --problems widens the set', () => {
  const entries = readEvalResults(RUN);
  const { summary } = importKernelBench({ runDir: RUN, level: 1, entries, problemIds: [1, 2, 3, 4, 5, 6, 7, 8] });
  assert.is(summary.problems, 8);
  assert.is(summary.fast_p[0].value, 2 / 8);
  assert.is(summary.fast_p[3].value, null);
  const present = importKernelBench({ runDir: RUN, level: 1, entries }).summary;
  assert.match(present.problem_set, /only the 5 problems present/);
});

test('bad run folders are named by file and field', () => {
  const dir = join(tmp, 'bad');
  cpSync(RUN, dir, { recursive: true });
  writeFileSync(join(dir, 'eval_results.json'), JSON.stringify({ '1': [{ sample_id: 0, compiled: 'yes', correctness: false }], x: [] }));
  try {
    readEvalResults(dir);
    assert.unreachable();
  } catch (err) {
    assert.instance(err, UserError);
    const where = (err as UserError).problems.map((p) => `${p.path}: ${p.message}`).join('\n');
    assert.match(where, '/1/0/compiled: expected true or false, found "yes"');
    assert.match(where, '/x: expected a problem id');
  }
  assert.throws(() => readEvalResults(join(tmp, 'nothing-here')), /not a folder/);
  writeFileSync(join(tmp, 'two-levels.json'), JSON.stringify({ level1: {}, level2: {} }));
  assert.throws(() => readBaseline(join(tmp, 'two-levels.json')), /holds level1, level2; say which with --level/);
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
