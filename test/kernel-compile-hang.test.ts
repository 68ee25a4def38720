// A candidate that keeps nvcc's front end busy for minutes (2^40 template instantiations) is stopped at the
// compile time limit: classified compile_timeout, nvcc and its children (cudafe++) killed, dir removed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeContainment } from '../harness/tools/kernel-eval/containment.js';
import { kernelEnvironment } from '../harness/tools/kernel-eval/environment.js';
import { KernelEvaluator } from '../harness/tools/kernel-eval/evaluate.js';
import { DEFAULT_SETTINGS } from '../harness/tools/kernel-eval/settings.js';
import { loadProblem } from '../harness/tools/kernel-eval/problem.js';

const problem = loadProblem(new URL('../datasets/kernels/problems/03_relu', import.meta.url).pathname);
const source = readFileSync(new URL('./fixtures/kernels/compiler-hang.cu', import.meta.url), 'utf8');
const env = await kernelEnvironment();
const privateTmp = mkdtempSync(join(tmpdir(), 'gtm-kernel-hang-'));
// Searchable (not readable) by others: the sandbox's unprivileged uid must reach its own dir inside.
chmodSync(privateTmp, 0o711);
// Searchable (not readable) by others: the sandbox's unprivileged uid must reach its own dir inside.
chmodSync(privateTmp, 0o711);

/** Processes whose command line mentions the private temp dir (nvcc's children get paths under TMPDIR). */
function processesUnder(dir: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid,stat,args'], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.includes(dir) && !/\sZ/.test(l.slice(0, 16)) && !l.includes('ps -eo'));
}

if (!env.nvcc_version) {
  console.log(`skip: the compiler-hang test needs nvcc (${env.nvcc_missing_reason})`);
  test.skip('compile time limit', () => {});
} else {
  test('the compile time limit kills nvcc and everything it started', async () => {
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = privateTmp;
    try {
      const evaluator = new KernelEvaluator(
        new Map([[problem.id, problem]]),
        env,
        { ...DEFAULT_SETTINGS, compile_timeout_ms: 1500 },
        undefined,
        await probeContainment(),
        true,
      );
      const { result, stats } = await evaluator.evaluate(problem, source);
      assert.is(result.outcome, 'compile_timeout');
      assert.is(result.compiled, false);
      assert.is(result.ran, false);
      assert.match(result.error ?? '', /compiler killed after 1.5 s/);
      assert.ok(stats.compile_ms !== null);
      assert.equal(readdirSync(privateTmp), [], 'sandbox dir left behind');
      let left = processesUnder(privateTmp);
      for (let i = 0; i < 25 && left.length; i++) {
        await new Promise((r) => setTimeout(r, 20));
        left = processesUnder(privateTmp);
      }
      assert.equal(left, [], 'compiler processes survived the time limit');
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      rmSync(privateTmp, { recursive: true, force: true });
    }
  });
}

test.run();
