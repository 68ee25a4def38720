// The hack corpus (datasets/kernels/hacks, issue 16): hostile candidates run through the real evaluator.
// Without a GPU, the evaluator is told one was found, so every step short of the GPU runs for real: the
// compile, the candidate's host code in the launch recorder, the reference's build, and the trusted runner
// in its sandbox, which then finds no CUDA driver (outcome not_run). Each hack must get the outcome the
// corpus names (`expect`; on a machine with a GPU, `expect_gpu`), its side effects (a connection, a file, a
// surviving or killed process, a host file in the log) must not happen, and where the corpus says so, the
// recorded launch plan must show why the GPU half fails. Needs nvcc and bubblewrap; without either the tests
// skip and say why (run uncontained, these candidates would really do what they try).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { probeContainment, SANDBOX_UID } from '../harness/tools/kernel-eval/containment.js';
import { kernelEnvironment, type KernelEnvironment } from '../harness/tools/kernel-eval/environment.js';
import { KernelEvaluator } from '../harness/tools/kernel-eval/evaluate.js';
import { DEFAULT_SETTINGS } from '../harness/tools/kernel-eval/settings.js';
import { buildSource } from '../harness/tools/kernel-eval/build.js';
import { nativeTools } from '../harness/tools/kernel-eval/native.js';
import { loadProblems } from '../harness/tools/kernel-eval/problem.js';

const ROOT = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const HACKS = join(ROOT, 'datasets/kernels/hacks');
interface Hack {
  file: string;
  problem: string;
  pattern: string;
  expect: string;
  expect_gpu: string;
  checks: string[];
  plan?: { steady_launches?: number; raw_pointer?: boolean };
}
const corpus: Hack[] = JSON.parse(readFileSync(join(HACKS, 'hacks.json'), 'utf8')).hacks;
const problems = loadProblems(join(ROOT, 'datasets/kernels/problems'));
const env = await kernelEnvironment();
const containment = await probeContainment();
const claimedGpu: KernelEnvironment = { ...env, gpu: env.gpu ?? { name: 'claimed for the test', driver_version: 'n/a', compute_cap: '8.0' } };
const settings = {
  ...DEFAULT_SETTINGS,
  run_timeout_ms: 20_000,
  compile_timeout_ms: 60_000,
  compile_memory_bytes: 1024 ** 3,
  max_processes: 64,
  record_timeout_ms: 10_000,
};
const evaluator = new KernelEvaluator(problems, claimedGpu, settings, undefined, containment);

/** The outcome a hack must get here: `expect` without a GPU; with one, the GPU half's first named outcome(s). */
function expected(hack: Hack): string[] {
  if (!env.gpu) return [hack.expect];
  return hack.expect_gpu.split(/ or | with /)[0] === 'correct' ? ['correct'] : hack.expect_gpu.split(' or ').map((s) => s.trim());
}

async function recordedPlan(hack: Hack, source: string) {
  const ctx = { env, containment, settings, tools: await nativeTools(env), compileSlot: <T>(f: () => Promise<T>) => f() };
  const built = await buildSource(ctx, problems.get(hack.problem)!, source);
  assert.ok('built' in built, `${hack.file}: no plan (${'result' in built ? built.result.error : ''})`);
  return 'built' in built ? built.built.plan : null;
}

/** Processes whose name (comm) is `mark` and that are not zombies. */
function processesNamed(mark: string): number[] {
  const out: number[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const state = stat.slice(stat.lastIndexOf(')') + 2)[0];
      if (comm === mark && state !== 'Z' && state !== 'X') out.push(Number(pid));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

async function survivors(mark: string): Promise<number[]> {
  let left = processesNamed(mark);
  for (let i = 0; i < 50 && left.length; i++) {
    await new Promise((r) => setTimeout(r, 20));
    left = processesNamed(mark);
  }
  return left;
}

const skip = !env.nvcc_version
  ? `nvcc is missing (${env.nvcc_missing_reason})`
  : containment.kind !== 'bubblewrap'
    ? `no sandbox: ${containment.reason}`
    : null;
if (skip) {
  console.log(`skip: the hack corpus runs hostile code and needs nvcc and bubblewrap; ${skip}`);
  test.skip('hack corpus', () => {});
} else {
  let n = 0;
  for (const hack of corpus) {
    test(`${hack.file} (${hack.pattern}) gets ${hack.expect}`, async () => {
      const mark = `gtmhack${process.pid % 10000}${n++}`.slice(0, 15);
      const server = createServer((socket) => {
        connections++;
        socket.destroy();
      });
      let connections = 0;
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const port = (server.address() as { port: number }).port;
      const sentinel = spawn('sleep', ['60'], { stdio: 'ignore', ...(process.getuid?.() === 0 ? { uid: SANDBOX_UID, gid: SANDBOX_UID } : {}) });
      const source = readFileSync(join(HACKS, hack.file), 'utf8').replaceAll('@PORT@', String(port)).replaceAll('@MARK@', mark).replaceAll('@CHECKOUT@', ROOT);
      const written = [join(ROOT, mark), `/root/${mark}`, `/usr/${mark}`, `/etc/${mark}`, `/tmp/${mark}`];
      process.env.GTM_API_KEY = 'sk-test-must-not-leak';
      try {
        const { result } = await evaluator.evaluate(problems.get(hack.problem)!, source);
        assert.ok(
          expected(hack).includes(result.outcome),
          `${hack.file}: ${result.outcome}, expected ${expected(hack).join(' or ')}: ${result.error ?? ''}\n${result.compile_log.slice(0, 400)}`,
        );
        // Never rewarded: an attack may at most leave an honest kernel with its honest time.
        assert.ok(result.outcome !== 'correct' || (result.speedup ?? 0) <= 1, `${hack.file} was rewarded: speedup ${result.speedup}`);
        if (hack.plan) {
          const plan = await recordedPlan(hack, source);
          const launches = plan?.steady.filter((o) => o.op === 'launch') ?? [];
          if (hack.plan.steady_launches !== undefined) assert.is(launches.length, hack.plan.steady_launches, `${hack.file}: launches per call`);
          // A pointer outside every known buffer is not relocated: it stays plain bytes (8 of them).
          if (hack.plan.raw_pointer)
            assert.ok(
              launches.some((o) => o.op === 'launch' && o.args.some((a) => 'hex' in a && a.hex.length === 16)),
              `${hack.file}: no unrelocated pointer in the plan`,
            );
        }
        if (hack.checks.includes('log_clean')) {
          const shadow = existsSync('/etc/shadow') ? readFileSync('/etc/shadow', 'utf8').split('\n')[0] : 'root:';
          assert.not.ok(result.compile_log.includes(shadow) || /^root:/m.test(result.compile_log), 'a host file reached the compile log');
        }
        if (hack.checks.includes('no_connection')) assert.is(connections, 0, 'the candidate reached a listener outside the sandbox');
        if (hack.checks.includes('no_files')) for (const f of written) assert.not.ok(existsSync(f), `the candidate wrote ${f}`);
        if (hack.checks.includes('no_survivors')) assert.equal(await survivors(mark), [], 'candidate processes outlived the evaluation');
        if (hack.checks.includes('sentinel_alive')) assert.is(sentinel.exitCode ?? sentinel.signalCode, null, 'a process outside the sandbox was killed');
      } finally {
        delete process.env.GTM_API_KEY;
        sentinel.kill('SIGKILL');
        server.close();
        for (const f of written) rmSync(f, { force: true });
        for (const pid of processesNamed(mark)) process.kill(pid, 'SIGKILL');
      }
    });
  }
}

test.run();
