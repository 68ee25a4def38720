// The `real:kernel-eval` target through a suite run (two calls, two real nvcc compiles): it agrees with its
// own recordings, names its backend (compiler, arch, GPU or none) and puts its environment in the manifest.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProgress } from '../harness/cli/progress.js';
import { readRecords } from '../harness/records/reader.js';
import { runSuite } from '../harness/run/run-suite.js';
import { probeContainment } from '../harness/tools/kernel-eval/containment.js';
import { kernelEnvironment } from '../harness/tools/kernel-eval/environment.js';
import { UserError } from '../harness/util/errors.js';

const FIDELITY = new URL('../suites/kernel-fidelity.yaml', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'gtm-kernel-real-'));
const quiet = createProgress({ interactive: false, quiet: true });
const env = await kernelEnvironment();
test.after(() => rmSync(tmp, { recursive: true, force: true }));

const containment = await probeContainment();

if (!env.nvcc_version || containment.kind !== 'bubblewrap') {
  const why = !env.nvcc_version ? `nvcc (${env.nvcc_missing_reason})` : `a sandbox (${containment.kind === 'none' ? containment.reason : ''})`;
  console.log(`skip: the real kernel evaluator needs ${why}`);
  test.skip('real:kernel-eval through a suite run', () => {});
} else {
  test('real:kernel-eval through a suite run agrees with the recorded references', async () => {
    const out = join(tmp, 'real');
    const result = await runSuite({ suiteFile: FIDELITY, targets: ['real'], limit: 2, out, argv: ['run', FIDELITY], progress: quiet, env: {} });
    assert.is(result.exitCode, 0);
    const target = result.manifest.targets[0];
    assert.is(target.status, 'ran');
    assert.match(target.backend, /^real:kernel-eval \(Cuda compilation tools, release [\d.]+, V[\d.]+, -arch=sm_\d+, /);
    if (!env.gpu) assert.match(target.backend, /no GPU: compile only; /);
    // Every record names the containment it was evaluated under.
    assert.match(target.backend, /; sandbox: bubblewrap [\d.]+: new user\/pid\/net/);
    const described = target.config as { environment: { nvcc_version: string; arch: string }; problem_count: number };
    assert.is(described.environment.nvcc_version, env.nvcc_version);
    assert.ok(described.problem_count >= 20);
    const { records } = readRecords(join(out, 'records.jsonl'));
    assert.is(records.length, 2);
    for (const r of records) {
      assert.is(r.error, null);
      assert.is(r.scores['kernel_agreement.compiled'].value, 1, `${r.call_id}: ${r.scores['kernel_agreement.compiled'].reasons}`);
      assert.is(r.scores['logic.invariants'].value, 1);
    }
    assert.is(result.summary.targets[0].metrics['kernel_agreement.compiled'].mean, 1);
  });
}

async function rejects(fn: () => Promise<unknown>, pattern: RegExp): Promise<void> {
  try {
    await fn();
  } catch (err) {
    assert.instance(err, UserError);
    assert.match((err as Error).message, pattern);
    return;
  }
  assert.unreachable(`expected a rejection matching ${pattern}`);
}

test('bad target options are refused with the target, option and what was expected', async () => {
  const suite = {
    file: FIDELITY,
    calls: [],
  } as any;
  const { createKernelEvalTool } = await import('../harness/targets/real-kernel-eval.js');
  const spec = (options: Record<string, unknown>) => ({ name: 'real', kind: 'real:kernel-eval', concurrency: 1, options }) as any;
  await rejects(
    () => createKernelEvalTool(spec({ iters: 0 }), { suite, env: {} }),
    /target real \(real:kernel-eval\): option iters: expected an integer >= 1, found 0/,
  );
  await rejects(() => createKernelEvalTool(spec({ arch: 'ampere' }), { suite, env: {} }), /option arch: expected an nvcc architecture such as sm_80/);
  await rejects(() => createKernelEvalTool(spec({ problem: 'x' }), { suite, env: {} }), /option problem: expected one of problems, arch, python/);
  await rejects(() => createKernelEvalTool(spec({ problems: 'no/such/dir' }), { suite, env: {} }), /kernel problems folder .*no\/such\/dir does not exist/);
});

test.run();
