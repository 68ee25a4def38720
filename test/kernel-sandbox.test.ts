// The sandbox that runs compilers and candidate binaries: real processes, real signals, bounded loops.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { runSandboxed, withTempDir, type SandboxLimits } from '../harness/tools/kernel-eval/sandbox.js';
import { describeContainment, refusal } from '../harness/tools/kernel-eval/containment.js';
import { kernelEnvironment } from '../harness/tools/kernel-eval/environment.js';
import { KernelEvaluator } from '../harness/tools/kernel-eval/evaluate.js';
import { DEFAULT_SETTINGS } from '../harness/tools/kernel-eval/settings.js';
import { loadProblem } from '../harness/tools/kernel-eval/problem.js';

const env = { PATH: process.env.PATH };
const limits: SandboxLimits = { timeout_ms: 5000, max_output_bytes: 64 * 1024 };

/** Alive means a process that is neither gone nor a zombie (this container's pid 1 does not reap orphans). */
function alive(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    return state !== undefined && state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

async function waitGone(pids: number[]): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    if (!pids.some(alive)) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

test('a program that exits: code, stdout, stderr and stdin are passed through', async () => {
  await withTempDir('gtm-sbx-', async (dir) => {
    const r = await runSandboxed({
      command: 'sh',
      args: ['-c', 'read line; echo "got $line"; echo oops >&2; exit 3'],
      cwd: dir,
      env,
      stdin: 'hello\n',
      limits,
    });
    assert.is(r.outcome, 'exited');
    assert.is(r.exit_code, 3);
    assert.is(r.stdout, 'got hello\n');
    assert.is(r.stderr, 'oops\n');
    assert.is(r.output_truncated, false);
  });
});

test('a timeout kills the whole process group, background children included', async () => {
  await withTempDir('gtm-sbx-', async (dir) => {
    // The leader starts two sleepers in the background and waits; none of them may survive the kill.
    const r = await runSandboxed({
      command: 'sh',
      args: ['-c', 'sleep 30 & echo $!; sleep 30 & echo $!; echo $$; wait'],
      cwd: dir,
      env,
      limits: { ...limits, timeout_ms: 400 },
    });
    assert.is(r.outcome, 'timeout');
    assert.is(r.signal, 'SIGKILL');
    const pids = r.stdout.trim().split('\n').map(Number);
    assert.is(pids.length, 3);
    assert.ok(await waitGone(pids), `still running: ${pids.filter(alive).join(', ')}`);
  });
});

test('a leader that exits leaves no background child behind', async () => {
  await withTempDir('gtm-sbx-', async (dir) => {
    const r = await runSandboxed({ command: 'sh', args: ['-c', 'sleep 30 & echo $!; exit 0'], cwd: dir, env, limits });
    assert.is(r.outcome, 'exited');
    assert.ok(await waitGone([Number(r.stdout.trim())]));
  });
});

test('an output flood is capped at the limit and the program is killed', async () => {
  await withTempDir('gtm-sbx-', async (dir) => {
    const r = await runSandboxed({ command: 'yes', args: ['flood'], cwd: dir, env, limits: { ...limits, max_output_bytes: 10_000 } });
    assert.is(r.outcome, 'output_limit');
    assert.is(r.output_truncated, true);
    assert.is(r.stdout.length, 10_000);
    assert.ok(r.stdout.startsWith('flood\nflood\n'));
  });
});

test('a crash is classified by its signal; a file past the size limit raises SIGXFSZ', async () => {
  await withTempDir('gtm-sbx-', async (dir) => {
    const segv = await runSandboxed({ command: 'sh', args: ['-c', 'kill -SEGV $$'], cwd: dir, env, limits });
    assert.is(segv.outcome, 'signaled');
    assert.is(segv.signal, 'SIGSEGV');
    const big = await runSandboxed({
      command: 'dd',
      args: ['if=/dev/zero', 'of=big', 'bs=1024', 'count=64'],
      cwd: dir,
      env,
      limits: { ...limits, max_file_bytes: 8 * 1024 },
    });
    assert.is(big.outcome, 'signaled');
    assert.is(big.signal, 'SIGXFSZ');
  });
});

test('an abort signal stops the program', async () => {
  await withTempDir('gtm-sbx-', async (dir) => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const r = await runSandboxed({ command: 'sleep', args: ['30'], cwd: dir, env, limits, signal: ac.signal });
    assert.is(r.outcome, 'aborted');
  });
});

test('the temp dir is removed after use, also when the work throws', async () => {
  let seen = '';
  const value = await withTempDir('gtm-sbx-', async (dir) => {
    seen = dir;
    writeFileSync(`${dir}/file`, 'x');
    return 42;
  });
  assert.is(value, 42);
  assert.is(existsSync(seen), false);
  let thrownIn = '';
  try {
    await withTempDir('gtm-sbx-', async (dir) => {
      thrownIn = dir;
      throw new Error('boom');
    });
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.is((err as Error).message, 'boom');
  }
  assert.is(existsSync(thrownIn), false);
});

test('without a sandbox the evaluator refuses candidates unless told --unsafe-no-sandbox, and says so', async () => {
  const none = { kind: 'none' as const, reason: 'bubblewrap is not installed' };
  assert.match(refusal(none, false) ?? '', /no sandbox for candidate kernels: bubblewrap is not installed.*--unsafe-no-sandbox/);
  assert.is(refusal(none, true), null);
  assert.is(refusal({ kind: 'bubblewrap', version: 'bubblewrap 0.8.0', uid: 65534, prlimit: 'prlimit' }, false), null);
  assert.match(describeContainment(none), /^NO SANDBOX/);
  const problem = loadProblem(new URL('../datasets/kernels/problems/03_relu', import.meta.url).pathname);
  const evaluator = new KernelEvaluator(new Map([[problem.id, problem]]), await kernelEnvironment(), DEFAULT_SETTINGS, undefined, none, false);
  try {
    await evaluator.evaluate(problem, problem.reference_source);
    assert.unreachable('evaluated without a sandbox');
  } catch (err) {
    assert.match((err as Error).message, /refuses to do so uncontained/);
  }
});

test.run();
