// The run path on real processes (issue 16): a candidate's host code runs only in the launch recorder, in
// the sandbox and without a GPU, so how it can fail (crash, flood, hang, exit) is classified for real on
// every machine; the trusted runner then runs in its own sandbox and, without a GPU, reports that CUDA
// found no device (outcome not_run). With a GPU, the last test runs the vector-add candidates for real.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { probeContainment } from '../harness/tools/kernel-eval/containment.js';
import { kernelEnvironment, type KernelEnvironment } from '../harness/tools/kernel-eval/environment.js';
import { KernelEvaluator } from '../harness/tools/kernel-eval/evaluate.js';
import { DEFAULT_SETTINGS } from '../harness/tools/kernel-eval/settings.js';
import { loadProblem } from '../harness/tools/kernel-eval/problem.js';

const PROBLEMS = new URL('../datasets/kernels/problems/', import.meta.url).pathname;
const relu = loadProblem(join(PROBLEMS, '03_relu'));
const env = await kernelEnvironment();
const containment = await probeContainment();
// As if nvidia-smi had found a GPU: the evaluator then starts the runner, which asks CUDA itself.
const claimedGpu: KernelEnvironment = { ...env, gpu: env.gpu ?? { name: 'claimed for the test', driver_version: 'n/a', compute_cap: '8.0' } };
const settings = { ...DEFAULT_SETTINGS, run_timeout_ms: 20_000, record_timeout_ms: 1500, run_output_bytes: 64 * 1024 };
const evaluator = new KernelEvaluator(new Map([[relu.id, relu]]), claimedGpu, settings, undefined, containment, true);
const fixture = readFileSync(new URL('./fixtures/kernels/host-behaviour.cu', import.meta.url), 'utf8');
const run = async (behaviour: string) => (await evaluator.evaluate(relu, fixture.replace('@BEHAVIOUR@', behaviour))).result;

if (!env.nvcc_version) {
  console.log(`skip: run-path tests need nvcc (${env.nvcc_missing_reason})`);
  test.skip('run path', () => {});
} else {
  test("a plain candidate: recorded, then the runner asks CUDA (no GPU here: not_run with CUDA's words)", async () => {
    const plain = await run('none');
    if (env.gpu) {
      assert.is(plain.outcome, 'correct', plain.error ?? '');
    } else {
      assert.is(plain.outcome, 'not_run', plain.error ?? '');
      assert.is(plain.ran, false);
      assert.match(plain.not_run_reason ?? '', /^no GPU: cudaGetDeviceCount: /);
    }
  });

  test('host code that crashes, floods, hangs or exits is classified from the recorder', async () => {
    const crash = await run('crash');
    assert.is(crash.outcome, 'crash');
    assert.match(crash.error ?? '', /SIGSEGV/);
    const flood = await run('flood');
    assert.is(flood.outcome, 'output_limit');
    const hang = await run('hang');
    assert.is(hang.outcome, 'timeout');
    assert.match(hang.error ?? '', /1.5 s/);
    const early = await run('exit');
    assert.is(early.outcome, 'runtime_error');
    assert.match(early.error ?? '', /before its calls were recorded|no plan|launch plan is missing/);
    for (const r of [crash, flood, hang, early]) assert.is(r.correct, false);
  });
}

if (!env.gpu) {
  console.log(`skip: GPU run of the vector-add candidates (${env.no_gpu_reason})`);
  test.skip('GPU run of the vector-add candidates', () => {});
} else {
  test('on a GPU: the vector-add candidates land in their intended classes', async () => {
    const add = loadProblem(join(PROBLEMS, '01_vector_add'));
    const gpuEval = new KernelEvaluator(new Map([[add.id, add]]), env, DEFAULT_SETTINGS, undefined, containment, true);
    const expected: Record<string, string[]> = {
      compile_error: ['compile_error'],
      crash: ['crash'],
      wrong: ['wrong'],
      slower: ['correct'],
      faster: ['correct'],
    };
    for (const c of add.candidates) {
      const { result } = await gpuEval.evaluate(add, readFileSync(join(add.dir, c.file), 'utf8'));
      assert.ok(expected[c.intended].includes(result.outcome), `${c.file}: ${result.outcome} ${result.error}`);
      // Whether slower/faster really came out slower/faster is a timing, measured by npm run record:kernels
      // (provenance.json), not asserted here.
      if (result.outcome === 'correct') assert.ok((result.speedup ?? 0) > 0);
    }
  });
}

test.run();
