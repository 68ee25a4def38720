// The kernel problems, the candidates' intents, and the recorded evaluations that are the fidelity dataset's
// references: coverage, consistency with the files, schema and invariants of the kernel_eval tool.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import '../harness/builtin.js';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { candidateId } from '../harness/datasets/kernels/calls.js';
import { parseToolOutput } from '../harness/parse/json-from-text.js';
import { compileTool, scoreFormat, scoreLogic } from '../harness/scoring/index.js';
import { loadSuite } from '../harness/suite/load.js';
import { recorderMainSource, runnerSpec } from '../harness/tools/kernel-eval/native.js';
import { CANDIDATE_INTENTS, loadProblem, loadProblems, solutionSignature } from '../harness/tools/kernel-eval/problem.js';
import { UserError } from '../harness/util/errors.js';

const ROOT = new URL('../datasets/kernels/', import.meta.url).pathname;
const problems = loadProblems(join(ROOT, 'problems'));
const rows = readFileSync(join(ROOT, 'kernel-calls.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l));
const provenance = JSON.parse(readFileSync(join(ROOT, 'recorded', 'provenance.json'), 'utf8'));

test('at least 20 problems of rising difficulty, each with every intended outcome', () => {
  assert.ok(problems.size >= 20, `${problems.size} problems`);
  const levels = [...problems.values()].map((p) => p.level);
  assert.equal(
    levels,
    [...levels].sort((a, b) => a - b),
    'problems are ordered by level',
  );
  const categories = new Set([...problems.values()].map((p) => p.category));
  for (const c of ['elementwise', 'activation', 'reduction', 'softmax', 'normalization', 'matmul', 'convolution']) assert.ok(categories.has(c), c);
  for (const p of problems.values()) {
    assert.ok(p.candidates.length >= 5, p.id);
    for (const intent of CANDIDATE_INTENTS)
      assert.ok(
        p.candidates.some((c) => c.intended === intent),
        `${p.id} has no ${intent} candidate`,
      );
  }
});

test('the dataset holds every candidate once, with its source and its intent in the tags', () => {
  const expected = [...problems.values()].flatMap((p) => p.candidates.map((c) => ({ id: candidateId(p.id, c.file), p, c })));
  assert.is(rows.length, expected.length);
  assert.is(new Set(rows.map((r) => r.id)).size, rows.length);
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const { id, p, c } of expected) {
    const row = byId.get(id);
    assert.ok(row, id);
    assert.is(row.tool, 'kernel_eval');
    assert.equal(Object.keys(row.arguments).sort(), ['problem_id', 'source']);
    assert.is(row.arguments.problem_id, p.id);
    assert.is(row.arguments.source, readFileSync(join(p.dir, c.file), 'utf8'), `${id}: source differs from ${c.file}`);
    assert.ok(row.tags.includes(`intended:${c.intended}`), id);
  }
});

test('recorded compile results match the intents; run fields exist only where something ran', () => {
  for (const row of rows) {
    const intended = row.tags.find((t: string) => t.startsWith('intended:')).slice('intended:'.length);
    assert.is(row.reference.compiled, intended !== 'compile_error', `${row.id}: ${row.reference.compile_log}`);
    if (!row.reference.ran) {
      for (const k of ['correct', 'max_abs_error', 'runtime_ms', 'reference_ms', 'speedup']) assert.not.ok(k in row.reference, `${row.id}.${k}`);
    }
  }
  if (provenance.gpu === null) {
    assert.ok(
      rows.every((r) => !r.reference.ran),
      'recorded without a GPU, yet something ran',
    );
    assert.ok(rows.filter((r) => r.reference.compiled).every((r) => /^no GPU: /.test(r.reference.not_run_reason)));
  }
  // The wrong-signature candidate fails at link time; the recorded log is the linker's.
  const link = rows.find((r) => r.id === '09_row_sum.size_t_signature');
  assert.match(link.reference.compile_log, /undefined reference to `solution\(float const\*, float\*, int, int\)'/);
});

test('provenance names the compiler, architecture, host and date', () => {
  assert.match(provenance.nvcc_version, /release \d+\.\d+/);
  assert.match(provenance.arch, /^sm_\d+$/);
  assert.ok(provenance.host);
  assert.ok(!Number.isNaN(Date.parse(provenance.recorded_at)));
  assert.is(provenance.candidates, rows.length);
  assert.ok(provenance.compile_ms.median > 0);
});

test('every recorded reference is schema-valid and satisfies every kernel_eval invariant', async () => {
  const suite = await loadSuite(new URL('../suites/kernel-fidelity.yaml', import.meta.url).pathname, { env: {} });
  const tool = compileTool(suite.tools.find((t) => t.name === 'kernel_eval')!);
  assert.ok(tool.invariants.length >= 5);
  for (const call of suite.calls) {
    const parsed = parseToolOutput(JSON.stringify(call.reference));
    const format = scoreFormat({ tool, call, parsed });
    assert.is(
      format.find((s) => s.metric === 'format.schema_valid')!.value,
      1,
      `${call.id}: ${format
        .map((s) => s.reasons)
        .flat()
        .join('; ')}`,
    );
    const logic = await scoreLogic({ tool, call, parsed });
    assert.is(
      logic.find((s) => s.metric === 'logic.invariants')!.value,
      1,
      `${call.id}: ${logic
        .map((s) => s.reasons)
        .flat()
        .join('; ')}`,
    );
  }
});

test('the invariants catch an inconsistent evaluation (hand-made)', async () => {
  const suite = await loadSuite(new URL('../suites/kernel-fidelity.yaml', import.meta.url).pathname, { env: {} });
  const tool = compileTool(suite.tools.find((t) => t.name === 'kernel_eval')!);
  const call = suite.calls[0];
  const bad = { compiled: false, compile_log: '', ran: true, correct: true, runtime_ms: 1, reference_ms: 3, speedup: 2, error: null, outcome: 'correct' };
  const logic = await scoreLogic({ tool, call, parsed: parseToolOutput(JSON.stringify(bad)) });
  const reasons = logic.flatMap((s) => s.reasons).join('\n');
  for (const name of ['correct_implies_compiled', 'ran_implies_compiled', 'speedup_is_time_ratio', 'outcome_matches_compiled']) assert.match(reasons, name);
  assert.ok((logic.find((s) => s.metric === 'logic.invariants')!.value as number) <= 0.5, 'at least half the invariants fail');
  // A consistent evaluation of a candidate that ran passes the schema and every invariant.
  const good = {
    compiled: true,
    compile_log: '',
    ran: true,
    correct: true,
    max_abs_error: 0,
    runtime_ms: 0.5,
    reference_ms: 1.5,
    speedup: 3,
    error: null,
    outcome: 'correct',
  };
  const parsed = parseToolOutput(JSON.stringify(good));
  assert.is(scoreFormat({ tool, call, parsed }).find((s) => s.metric === 'format.schema_valid')!.value, 1);
  assert.is((await scoreLogic({ tool, call, parsed })).find((s) => s.metric === 'logic.invariants')!.value, 1);
  const missingTimes = parseToolOutput(JSON.stringify({ ...good, runtime_ms: undefined, speedup: undefined }));
  assert.is(scoreFormat({ tool, call, parsed: missingTimes }).find((s) => s.metric === 'format.schema_valid')!.value, 0);
});

test('the recorder main and the runner spec follow the problem: signature, scalars, buffer sizes and fills', () => {
  const p = problems.get('14_layer_norm')!;
  assert.is(solutionSignature(p), 'void solution(const float* x, const float* gamma, const float* beta, float* y, int rows, int cols, float eps)');
  const main = recorderMainSource(p);
  assert.ok(main.includes(`${solutionSignature(p)};`));
  // Buffers are numbered in argument order; scalars are passed as the problem defines them.
  assert.ok(
    main.includes(
      'solution((const float*)gtm_recorder_pointer(0), (const float*)gtm_recorder_pointer(1), (const float*)gtm_recorder_pointer(2), (float*)gtm_recorder_pointer(3), ',
    ),
  );
  assert.ok(main.includes(', 0.00001f);') || main.includes(', 1e-05f);'), main);
  const rows = (p.args.find((a) => a.name === 'rows') as { value: number }).value;
  const cols = (p.args.find((a) => a.name === 'cols') as { value: number }).value;
  assert.ok(main.includes(`${rows * cols * 4}ull`));
  const spec = runnerSpec(p, 7n, { trials: 3, warmup: 5, iters: 21 }, { key: 9n, count: 4096 });
  assert.match(spec, /^seed 7\nruns 3 5 21\nsample 9 4096\nbuffer 0 input \d+ -?[\d.]+ -?[\d.]+\n/);
  assert.ok(spec.includes(`buffer 3 output ${rows * cols}\n`));
  assert.is(recorderMainSource(p), main, 'deterministic');
});

test('a malformed problem.json is refused with its file and field', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gtm-kprob-'));
  try {
    const p = join(dir, 'bad_problem');
    mkdirSync(join(p, 'candidates'), { recursive: true });
    writeFileSync(join(p, 'reference.cu'), 'void solution(const float* x, float* y, int n) {}\n');
    const base = {
      title: 't',
      level: 1,
      category: 'elementwise',
      description: 'd',
      args: [
        { name: 'x', role: 'input', count: 'n', init: [0, 1] },
        { name: 'y', role: 'output', count: 'm' },
        { name: 'n', role: 'int', value: 8 },
      ],
      tolerance: { atol: 0, rtol: 0 },
      candidates: [],
    };
    writeFileSync(join(p, 'problem.json'), JSON.stringify(base));
    assert.throws(
      () => loadProblem(p, dir),
      (e: unknown) =>
        e instanceof UserError &&
        /bad_problem\/problem.json: args\[1\]\.count: expected a product of the int args \(n\) and literals, found "m"/.test(e.message),
    );
    writeFileSync(
      join(p, 'problem.json'),
      JSON.stringify({
        ...base,
        args: base.args.slice(0, 1).concat(base.args.slice(2)),
        candidates: [{ file: 'candidates/x.cu', intended: 'slow', note: 'n' }],
      }),
    );
    assert.throws(() => loadProblem(p, dir), /args: expected at least one output/);
    writeFileSync(join(p, 'candidates', 'x.cu'), '');
    writeFileSync(
      join(p, 'problem.json'),
      JSON.stringify({
        ...base,
        args: [base.args[0], { name: 'y', role: 'output', count: 'n' }, base.args[2]],
        candidates: [{ file: 'candidates/x.cu', intended: 'slow', note: 'n' }],
      }),
    );
    assert.throws(() => loadProblem(p, dir), /candidates\[0\]\.intended: expected compile_error \| crash \| wrong \| slower \| faster, found "slow"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
