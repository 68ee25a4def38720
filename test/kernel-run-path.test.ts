// The run stage on real processes: one harness binary is built with nvcc (ReLU reference + a candidate whose
// host code misbehaves on request), then run through the evaluator's runHarness as if a GPU had been
// probed. Without a GPU the binary itself reports no_device (from cudaGetDeviceCount), so the checks hold on
// every machine; a crash, an output flood, a hang and an early exit are classified before main() is reached.
// With a real GPU, the last test runs the dataset's vector-add candidates for real.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { probeContainment } from '../harness/tools/kernel-eval/containment.js';
import { kernelEnvironment, type KernelEnvironment } from '../harness/tools/kernel-eval/environment.js';
import { DEFAULT_SETTINGS, KernelEvaluator } from '../harness/tools/kernel-eval/evaluate.js';
import { harnessSource } from '../harness/tools/kernel-eval/harness-source.js';
import { loadProblem } from '../harness/tools/kernel-eval/problem.js';
import { runSandboxed, withTempDir } from '../harness/tools/kernel-eval/sandbox.js';

const PROBLEMS = new URL('../datasets/kernels/problems/', import.meta.url).pathname;
const relu = loadProblem(join(PROBLEMS, '03_relu'));
const env = await kernelEnvironment();
// As if nvidia-smi had found a GPU: the evaluator then runs the binary, which asks CUDA itself.
const claimedGpu: KernelEnvironment = { ...env, gpu: env.gpu ?? { name: 'claimed for the test', driver_version: 'n/a', compute_cap: '8.0' } };
const evaluator = new KernelEvaluator(new Map([[relu.id, relu]]), claimedGpu, { ...DEFAULT_SETTINGS, run_timeout_ms: 1500, run_output_bytes: 64 * 1024 }, undefined, await probeContainment(), true);

if (!env.nvcc_version) {
  console.log(`skip: run-path tests need nvcc to build the harness (${env.nvcc_missing_reason})`);
  test.skip('run path', () => {});
} else {
  test('one binary, every way a run can end', async () => {
    await withTempDir('gtm-kernel-runpath-', async (dir) => {
      writeFileSync(join(dir, 'harness.cu'), harnessSource(relu));
      writeFileSync(join(dir, 'reference.cu'), relu.reference_source);
      writeFileSync(join(dir, 'candidate.cu'), readFileSync(new URL('./fixtures/kernels/host-behaviour.cu', import.meta.url), 'utf8'));
      const compile = await runSandboxed({
        command: 'nvcc',
        args: ['-O3', '-std=c++17', `-arch=${env.arch}`, '-o', 'eval', 'harness.cu'],
        cwd: dir,
        env: { PATH: process.env.PATH, TMPDIR: dir, HOME: dir },
        limits: { timeout_ms: 120_000, max_output_bytes: 256 * 1024 },
      });
      assert.is(compile.exit_code, 0, compile.stderr);
      const run = async (behaviour?: string) => {
        const childEnv = { PATH: process.env.PATH, ...(behaviour ? { GTM_TEST_BEHAVIOUR: behaviour } : {}) };
        return (await evaluator.runHarness(dir, childEnv, '')).result;
      };

      const plain = await run();
      const spoof = await run('spoof');
      if (env.gpu) {
        assert.is(plain.outcome, 'correct');
        assert.is(spoof.outcome, 'correct');
      } else {
        // The binary ran and CUDA said there is no device: not run, with CUDA's own words.
        assert.is(plain.outcome, 'not_run');
        assert.is(plain.ran, false);
        assert.match(plain.not_run_reason ?? '', /^no GPU: cudaGetDeviceCount: /);
        // A forged harness line without the run's nonce changes nothing.
        assert.equal(spoof, plain);
      }

      const crash = await run('crash');
      assert.is(crash.outcome, 'crash');
      assert.is(crash.ran, true);
      assert.is(crash.correct, false);
      assert.match(crash.error ?? '', /SIGSEGV/);

      const flood = await run('flood');
      assert.is(flood.outcome, 'output_limit');
      assert.match(flood.error ?? '', /output passed the size limit/);

      const hang = await run('hang');
      assert.is(hang.outcome, 'timeout');
      assert.match(hang.error ?? '', /killed after 1.5 s/);

      const early = await run('exit');
      assert.is(early.outcome, 'runtime_error');
      assert.match(early.error ?? '', /before checking the result/);
    }, evaluator.containment.kind === 'bubblewrap' ? evaluator.containment.uid : undefined);
  });
}

if (!env.gpu) {
  console.log(`skip: GPU run of the vector-add candidates (${env.no_gpu_reason})`);
  test.skip('GPU run of the vector-add candidates', () => {});
} else {
  test('on a GPU: the vector-add candidates land in their intended classes', async () => {
    const add = loadProblem(join(PROBLEMS, '01_vector_add'));
    const gpuEval = new KernelEvaluator(new Map([[add.id, add]]), env, DEFAULT_SETTINGS, undefined, await probeContainment(), true);
    const expected: Record<string, string[]> = { compile_error: ['compile_error'], crash: ['crash'], wrong: ['wrong'], slower: ['correct'], faster: ['correct'] };
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
