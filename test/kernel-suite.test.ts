// The kernel suites end to end through runSuite: the replay baseline agrees with the recordings, a simulator
// on the loopback stand-in is scored by kernel_agreement, and the KernelBench suite reports its real target
// as not configured where torch cannot be imported (instead of inventing verdicts).
import { test } from 'uvu';
import { UserError } from '../harness/util/errors.js';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProgress } from '../harness/cli/progress.js';
import { readRecords } from '../harness/records/reader.js';
import { runSuite } from '../harness/run/run-suite.js';
import { kernelAgreementTable, renderKernelAgreement } from '../harness/scoring/kernel-agreement-summary.js';
import { probeKernelBench } from '../harness/tools/kernel-eval/kernelbench.js';
import { startStandIn, type StandIn } from '../dev/stand-ins/vllm-stand-in.js';

const FIDELITY = new URL('../suites/kernel-fidelity.yaml', import.meta.url).pathname;
const KERNELBENCH = new URL('../suites/kernel-kernelbench.yaml', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'gtm-kernel-suite-'));
const quiet = createProgress({ interactive: false, quiet: true });
let standIn: StandIn;

// A simulator that always says "compiled, not run": right on the 84 candidates that compile, wrong on the 21
// that do not (hand count from the dataset's intents).
const ALWAYS_COMPILES = { compiled: true, compile_log: '', ran: false, error: null, outcome: 'not_run', not_run_reason: 'no GPU: simulated' };

test.before(async () => {
  standIn = await startStandIn({ models: ['gtm-test'], respond: () => ({ text: '```json\n' + JSON.stringify(ALWAYS_COMPILES) + '\n```' }) });
});
test.after(async () => {
  await standIn.close();
  rmSync(tmp, { recursive: true, force: true });
});

test('kernel-fidelity: replay agrees with itself; a stand-in simulator is scored by kernel_agreement', async () => {
  const out = join(tmp, 'fidelity');
  const env = { GTM_BASE_URL: `${standIn.url}/v1`, GTM_MODEL: 'gtm-test' };
  const result = await runSuite({ suiteFile: FIDELITY, targets: ['reference', 'gtm'], out, argv: ['run', FIDELITY], progress: quiet, env });
  assert.is(result.exitCode, 0);
  const t = (name: string) => result.summary.targets.find((x) => x.name === name)!;
  const ref = t('reference').metrics;
  assert.is(ref['kernel_agreement.compiled'].mean, 1);
  assert.is(ref['kernel_agreement.compiled'].n, 105);
  assert.is(ref['logic.invariants'].mean, 1);
  const gtm = t('gtm').metrics;
  assert.is(gtm['kernel_agreement.compiled'].n, 105);
  assert.is(gtm['kernel_agreement.compiled'].mean, 84 / 105);
  // Confusion cells: 84 true positives, 21 false positives (real false, simulated true).
  assert.is(Math.round(gtm['kernel_agreement.compiled_tp'].mean! * 105), 84);
  assert.is(Math.round(gtm['kernel_agreement.compiled_fp'].mean! * 105), 21);
  // Nothing ran on the real side here, so `correct` has no applicable call: not a guess, no number.
  const recorded = readFileSync(new URL('../datasets/kernels/recorded/provenance.json', import.meta.url), 'utf8');
  if (JSON.parse(recorded).gpu === null) assert.not.ok(gtm['kernel_agreement.correct']?.n, 'correct scored without any run');
  const { records } = readRecords(join(out, 'records.jsonl'));
  const sample = records.find((r) => r.target === 'gtm' && r.call_id === '01_vector_add.missing_semicolon')!;
  const score = sample.scores['kernel_agreement.correct'];
  assert.is(score.value, null);
  assert.match(score.reasons[0], /did not run the candidate/);
  // The confusion matrices and the median speedup error, recomputed from the records.
  const table = kernelAgreementTable(records).find((row) => row.target === 'gtm')!;
  assert.equal({ ...table.compiled, accuracy: undefined }, { tp: 84, fn: 0, fp: 21, tn: 0, n: 105, accuracy: undefined });
  assert.is(table.compiled.accuracy, 0.8);
  if (JSON.parse(recorded).gpu === null) assert.equal(table.speedup_abs_log_ratio, { n: 0, median: null, mean: null });
  assert.match(renderKernelAgreement([table]), /compiled: acc 0\.800 \(n=105; tp 84, fn 0, fp 21, tn 0\)/);
  const report = readFileSync(join(out, 'report.md'), 'utf8');
  assert.match(report, /kernel_agreement\.compiled/);
});

test('kernel-kernelbench: without torch the real target is not configured, with the reason', async () => {
  const probe = await probeKernelBench();
  if (probe.runtime) {
    console.log(`skip: torch ${probe.runtime.torch_version} is importable here; the not-configured path needs a machine without it`);
    return;
  }
  const out = join(tmp, 'kernelbench');
  // Named with --target and unable to run here: bad input (exit 2) with the reason, not an empty run that exits 0.
  const err = await runSuite({ suiteFile: KERNELBENCH, targets: ['real'], out, argv: ['run', KERNELBENCH], progress: quiet, env: {} }).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.instance(err, UserError);
  assert.is((err as UserError).exitCode, 2);
  assert.match(
    (err as UserError).message,
    /--target real: not configured here, so nothing of it would run:\n  target real: KernelBench-format problems need python3 with torch/,
  );
});

test.run();
