// Compile stage of the real kernel evaluator with the real nvcc: a candidate that compiles, one that does
// not, one refused before compiling; every temp dir removed afterwards. Skips (with the reason) without nvcc.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeContainment } from '../harness/tools/kernel-eval/containment.js';
import { kernelEnvironment } from '../harness/tools/kernel-eval/environment.js';
import { KernelEvaluator } from '../harness/tools/kernel-eval/evaluate.js';
import { DEFAULT_SETTINGS } from '../harness/tools/kernel-eval/settings.js';
import { loadProblem } from '../harness/tools/kernel-eval/problem.js';

const PROBLEM_DIR = new URL('../datasets/kernels/problems/03_relu', import.meta.url).pathname;
const problem = loadProblem(PROBLEM_DIR);
const candidate = (file: string) => readFileSync(join(PROBLEM_DIR, 'candidates', file), 'utf8');
const env = await kernelEnvironment();

// Every sandbox dir of these tests goes under a private TMPDIR, so "removed afterwards" can be checked.
const privateTmp = mkdtempSync(join(tmpdir(), 'gtm-kernel-test-'));
// Searchable (not readable) by others: the sandbox's unprivileged uid must reach its own dir inside.
chmodSync(privateTmp, 0o711);
const savedTmp = process.env.TMPDIR;
test.before(() => {
  process.env.TMPDIR = privateTmp;
});
test.after(() => {
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
  rmSync(privateTmp, { recursive: true, force: true });
});

const evaluator = new KernelEvaluator(new Map([[problem.id, problem]]), env, DEFAULT_SETTINGS, undefined, await probeContainment(), true);

if (!env.nvcc_version) {
  console.log(`skip: compile-stage tests need nvcc (${env.nvcc_missing_reason})`);
  test.skip('compile stage with nvcc', () => {});
} else {
  test('a correct candidate compiles; without a GPU nothing runs and the reason is given', async () => {
    const { result, stats } = await evaluator.evaluate(problem, candidate('fused_float4.cu'));
    assert.is(result.compiled, true, result.compile_log);
    assert.ok(stats.compile_ms !== null && stats.compile_ms > 0);
    if (env.gpu) {
      assert.is(result.ran, true);
    } else {
      assert.is(result.ran, false);
      assert.is(result.outcome, 'not_run');
      assert.match(result.not_run_reason ?? '', /^no GPU: /);
      // Nothing is invented for a run that did not happen.
      for (const k of ['correct', 'max_abs_error', 'runtime_ms', 'reference_ms', 'speedup']) assert.not.ok(k in result, k);
    }
    assert.equal(readdirSync(privateTmp), []);
  });

  test('a candidate that does not compile: compiled false, nvcc log without the sandbox path', async () => {
    const { result } = await evaluator.evaluate(problem, candidate('kernel_returns_value.cu'));
    assert.is(result.compiled, false);
    assert.is(result.ran, false);
    assert.is(result.outcome, 'compile_error');
    assert.match(result.compile_log, /candidate\.cu\(1\): error/);
    assert.not.match(result.compile_log, new RegExp(privateTmp));
    assert.match(result.error ?? '', /^nvcc exited with code \d+: candidate\.cu\(1\): error/);
    assert.equal(readdirSync(privateTmp), []);
  });
}

test('a candidate naming the harness internals is refused before compiling', async () => {
  const { result, stats } = await evaluator.evaluate(problem, candidate('fused_float4.cu') + '\nvoid cheat() { gtm_ref::solution(nullptr, nullptr, 0); }\n');
  assert.is(result.outcome, 'rejected');
  assert.is(result.compiled, false);
  assert.is(stats.compile_ms, null);
  assert.match(result.error ?? '', /gtm_ref/);
});

test('call(): unknown problem and bad arguments answer with the error schema', async () => {
  assert.equal(await evaluator.call({ problem_id: 'nope', source: 'x' }), { error: { code: 'NOT_FOUND', message: 'no kernel problem nope' } });
  assert.equal(await evaluator.call({ problem_id: '03_relu', source: 42 }), { error: { code: 'INVALID_ARGUMENT', message: 'source must be a string' } });
});

test.run();
