// kernel_agreement on hand-checked fixtures: verdict agreement, confusion cells, speedup log ratio, and
// "not applicable" (null) where the real evaluator never ran the candidate.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { kernelAgreement, scoreKernelAgreement } from '../harness/scoring/kernel-agreement.js';
import { kernelAgreementTable } from '../harness/scoring/kernel-agreement-summary.js';
import { knownMetricFamilies } from '../harness/scoring/metric-registry.js';
import type { Score } from '../harness/scoring/types.js';

const byName = (scores: Score[]) => Object.fromEntries(scores.map((s) => [s.metric.replace('kernel_agreement.', ''), s]));

const notCompiled = {
  compiled: false,
  compile_log: 'candidate.cu(3): error: expected a ";"',
  ran: false,
  error: 'nvcc exited with code 2',
  outcome: 'compile_error',
};
const notRun = { compiled: true, compile_log: '', ran: false, error: null, outcome: 'not_run', not_run_reason: 'no GPU: nvidia-smi not found on PATH' };
const wrong = { compiled: true, compile_log: '', ran: true, correct: false, max_abs_error: 0.5, error: 'wrong result', outcome: 'wrong' };
const fast = {
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

test('the family is registered and defines every metric it emits', () => {
  assert.ok(knownMetricFamilies().includes('kernel_agreement'));
  const emitted = scoreKernelAgreement(fast, fast).map((s) => s.metric);
  for (const m of emitted) assert.ok(kernelAgreement.metrics[m], `no definition for ${m}`);
  assert.is(emitted.length, 11);
  assert.is(kernelAgreement.metrics['kernel_agreement.speedup_abs_log_ratio'].direction, 'lower');
});

test('compile verdicts: agreement and the confusion cell (positive = compiled)', () => {
  // real false, simulated true: a false positive.
  const s = byName(scoreKernelAgreement({ ...fast }, notCompiled));
  assert.is(s.compiled.value, 0);
  assert.equal([s.compiled_tp.value, s.compiled_fn.value, s.compiled_fp.value, s.compiled_tn.value], [0, 0, 1, 0]);
  assert.match(s.compiled.reasons[0], /real compiled=false, simulated compiled=true \(fp/);
  // real false, simulated false: agreement, true negative; correct is not applicable (nothing ran).
  const t = byName(scoreKernelAgreement({ ...notCompiled }, notCompiled));
  assert.is(t.compiled.value, 1);
  assert.is(t.compiled_tn.value, 1);
  assert.is(t.correct.value, null);
  assert.is(t.correct_tp.value, null);
  assert.match(t.correct.reasons[0], /did not compile/);
});

test('no run on the real side: correct and speedup are null with the reason, never a guess', () => {
  const s = byName(scoreKernelAgreement({ ...fast }, notRun));
  assert.is(s.compiled.value, 1);
  assert.is(s.correct.value, null);
  assert.is(s.speedup_abs_log_ratio.value, null);
  assert.match(s.correct.reasons[0], /not applicable: the real evaluator did not run the candidate \(no GPU: nvidia-smi not found on PATH\)/);
});

test('correct verdicts and the speedup error |ln(sim/real)|', () => {
  // Simulated says correct with speedup 1.5; real says correct with speedup 3: |ln 0.5| = 0.6931.
  const s = byName(scoreKernelAgreement({ ...fast, speedup: 1.5 }, fast));
  assert.is(s.correct.value, 1);
  assert.is(s.correct_tp.value, 1);
  assert.ok(Math.abs((s.speedup_abs_log_ratio.value as number) - Math.log(2)) < 1e-12);
  // Simulated claims correct, real says wrong: fp on correct; no real speedup, so the ratio is null.
  const w = byName(scoreKernelAgreement({ ...fast }, wrong));
  assert.is(w.correct.value, 0);
  assert.is(w.correct_fp.value, 1);
  assert.is(w.speedup_abs_log_ratio.value, null);
  // Simulated says wrong, real says correct: fn; the simulated speedup is absent, so the ratio is null.
  const f = byName(scoreKernelAgreement({ ...wrong }, fast));
  assert.is(f.correct_fn.value, 1);
  assert.is(f.speedup_abs_log_ratio.value, null);
});

test('an answer that is not an evaluation reads as false for both verdicts', () => {
  const s = byName(scoreKernelAgreement('compiled fine, 2x faster', fast));
  assert.is(s.compiled.value, 0);
  assert.is(s.compiled_fn.value, 1);
  assert.is(s.correct.value, 0);
  assert.match(s.compiled.reasons[0], /absent \(read as false\)/);
  const odd = byName(scoreKernelAgreement({ compiled: 'yes' }, fast));
  assert.match(odd.compiled.reasons[0], /"yes" \(read as false\)/);
});

test('a reference that is an error response, or none, gives nothing to agree with', () => {
  const e = byName(scoreKernelAgreement(fast, { error: { code: 'NOT_FOUND', message: 'no kernel problem x' } }));
  assert.is(e.compiled.value, null);
  assert.match(e.compiled.reasons[0], /refused/);
  const none = byName(scoreKernelAgreement(fast, undefined));
  assert.is(none.correct.value, null);
});

test('over a set of calls, cell means x n give the confusion matrix (hand count)', () => {
  // real:      compiled  T T T F F   sim: T F T T F  -> tp 2, fn 1, fp 1, tn 1; accuracy 3/5
  const real = [fast, fast, wrong, notCompiled, notCompiled];
  const sim = [fast, notCompiled, wrong, fast, notCompiled];
  const cells = { tp: 0, fn: 0, fp: 0, tn: 0 } as Record<string, number>;
  let agree = 0;
  real.forEach((r, i) => {
    const s = byName(scoreKernelAgreement(sim[i], r));
    for (const c of Object.keys(cells)) cells[c] += s[`compiled_${c}`].value as number;
    agree += s.compiled.value as number;
  });
  assert.equal(cells, { tp: 2, fn: 1, fp: 1, tn: 1 });
  assert.is(agree / 5, 0.6);
});

test('per-target table: confusion counts and the median speedup error from records (hand-checked)', () => {
  // Real speedups 2, 2, 4; simulated 2, 1, 8: |ln ratio| = 0, ln 2, ln 2 -> median ln 2 = 0.6931, mean 0.4621.
  const pairs: [unknown, unknown][] = [
    [
      { ...fast, speedup: 2 },
      { ...fast, speedup: 2 },
    ],
    [
      { ...fast, speedup: 1 },
      { ...fast, speedup: 2 },
    ],
    [
      { ...fast, speedup: 8 },
      { ...fast, speedup: 4 },
    ],
    [notCompiled, notRun],
  ];
  const records = pairs.map(([sim, real]) => ({
    target: 'gtm',
    backend: 'openai:test',
    scores: Object.fromEntries(scoreKernelAgreement(sim, real).map((s) => [s.metric, { value: s.value, reasons: s.reasons }])),
  })) as any[];
  const [row] = kernelAgreementTable(records);
  assert.equal({ ...row.compiled, accuracy: null }, { tp: 3, fn: 1, fp: 0, tn: 0, n: 4, accuracy: null });
  assert.is(row.compiled.accuracy, 0.75);
  assert.equal({ ...row.correct, accuracy: null }, { tp: 3, fn: 0, fp: 0, tn: 0, n: 3, accuracy: null });
  assert.is(row.speedup_abs_log_ratio.n, 3);
  assert.ok(Math.abs(row.speedup_abs_log_ratio.median! - Math.log(2)) < 1e-12);
  assert.ok(Math.abs(row.speedup_abs_log_ratio.mean! - (2 * Math.log(2)) / 3) < 1e-12);
});

test.run();
