/**
 * Issue 17: no answer, input or neighbour can hang, crash or corrupt a run. Each test drives the real CLI in
 * a child process against a loopback stand-in (127.0.0.1 only) that misbehaves on purpose, and checks that
 * the outcome is classified, recorded and resumable: two writers on one folder, a 10,000-deep answer, an
 * invariant that never ends, a disk that fills up.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRecords } from '../harness/records/reader.js';
import { startStandIn, type ScriptedResponse, type StandIn } from '../dev/stand-ins/vllm-stand-in.js';
import { writeEchoSuite } from './support/echo-suite.js';

const ROOT = new URL('..', import.meta.url).pathname;
const BIN = join(ROOT, 'bin/gtm-bench.js');
const tmp = mkdtempSync(join(tmpdir(), 'gtm-hostile-'));

/** What the stand-in answers next; each test sets it. */
let answer: () => ScriptedResponse | Promise<ScriptedResponse> = () => ({ text: '{"text":"x"}' });
let standIn: StandIn;
test.before(async () => {
  standIn = await startStandIn({ models: ['m'], log: true, respond: () => answer() });
});
test.after(async () => {
  await standIn.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** The echo suite with a chosen invariant and limits, pointing at the stand-in. */
function suiteFile(name: string, o: { invariant?: string; invariantTimeout?: number; limits?: Record<string, number> } = {}): string {
  return writeEchoSuite(tmp, name, { url: standIn.url, invariant: 'output.text = args.text', ...o });
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The CLI as a child process (asynchronous: the stand-in answers from this process's event loop). */
function cli(args: string[], opts: { timeoutMs?: number; onSpawn?: (pid: number) => void } = {}): Promise<Exit> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
  opts.onSpawn?.(child.pid!);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    }),
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const lines = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean).length : 0);
async function until(cond: () => boolean, what: string, ms = 60_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) if (cond()) return;
  throw new Error(`timed out waiting for ${what}`);
}
const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));

test('17.1 a second writer on a run folder exits 2 naming the holder; a killed holder leaves no stuck lock', async () => {
  // Two answers, then the first writer waits (for as long as the test needs) on the rest.
  let release = () => {};
  const gate = new Promise<void>((r) => (release = r));
  let answered = 0;
  answer = () => (answered++ < 2 ? { text: '{"text":"x"}' } : gate.then(() => ({ text: '{"text":"x"}' })));
  const suite = suiteFile('lock');
  const out = join(tmp, 'lock-run');
  let pid = 0;
  const first = cli(['run', suite, '--limit', '20', '--out', out], { onSpawn: (p) => (pid = p) });
  await until(() => lines(join(out, 'records.jsonl')) >= 2, 'the first writer to record');
  const second = await cli(['run', suite, '--limit', '20', '--resume', out]);
  assert.is(second.code, 2, second.stderr);
  assert.match(second.stderr, new RegExp(`is being written by pid ${pid} on host `));
  // Readers do not take the lock.
  const report = await cli(['report', out]);
  assert.is(report.code, 0, report.stderr);
  process.kill(pid, 'SIGKILL');
  await first;
  answer = () => ({ text: '{"text":"x"}' });
  release();
  const resumed = await cli(['run', suite, '--limit', '20', '--resume', out]);
  assert.is(resumed.code, 0, resumed.stderr);
  const ids = readRecords(join(out, 'records.jsonl')).records.map((r) => r.item_id);
  assert.is(ids.length, 20);
  assert.is(new Set(ids).size, 20);
  assert.is(manifestOf(out).status, 'completed');
});

test('17.2 an answer nested 10,000 deep is recorded as output_too_deep with a cut raw text; --resume does not crash on it', async () => {
  answer = () => ({ text: '['.repeat(10_000) });
  const suite = suiteFile('deep');
  const out = join(tmp, 'deep-run');
  const r = await cli(['run', suite, '--limit', '3', '--out', out]);
  assert.is(r.code, 0, r.stderr);
  const records = readRecords(join(out, 'records.jsonl')).records;
  assert.is(records.length, 3);
  for (const rec of records) {
    assert.is(rec.parse.status, 'output_too_deep');
    assert.is(rec.raw!.length, 4096);
    assert.is(rec.raw_cut!.chars, 10_000);
    assert.is(rec.scores['format.parse'].value, 0);
  }
  const again = await cli(['run', suite, '--limit', '3', '--resume', out]);
  assert.is(again.code, 0, again.stderr);
  assert.is(readRecords(join(out, 'records.jsonl')).records.length, 3);
});

test('17.3 an invariant that never ends fails with reason timeout and the run goes on', async () => {
  answer = () => ({ text: '{"text":"x"}' });
  // A tail call JSONata turns into a loop: it never returns and never overflows the stack.
  const suite = suiteFile('forever', { invariant: '($f := function($x){ $f($x + 1) }; $f(0))', limits: { invariant_timeout_ms: 150 } });
  const out = join(tmp, 'forever-run');
  const r = await cli(['run', suite, '--limit', '3', '--out', out]);
  assert.is(r.code, 0, r.stderr);
  const records = readRecords(join(out, 'records.jsonl')).records;
  assert.is(records.length, 3);
  for (const rec of records) {
    assert.is(rec.scores['logic.invariants'].value, 0);
    assert.equal(rec.scores['logic.invariants'].reasons, ['check: timeout: did not finish within 150 ms']);
  }
});

test('17.3 SIGTERM interrupts an invariant that would run for ten minutes', async () => {
  answer = () => ({ text: '{"text":"x"}' });
  const suite = suiteFile('sigterm', { invariant: '($f := function($x){ $f($x + 1) }; $f(0))', invariantTimeout: 600_000 });
  const out = join(tmp, 'sigterm-run');
  let pid = 0;
  const run = cli(['run', suite, '--limit', '3', '--out', out], { onSpawn: (p) => (pid = p), timeoutMs: 60_000 });
  // The calls are answered at once; the run then sits in the invariant.
  const before = standIn.requests.length;
  await until(() => standIn.requests.length >= before + 2, 'the calls to be made');
  await sleep(500);
  process.kill(pid, 'SIGTERM');
  const r = await run;
  assert.is(r.signal, null, 'ended by SIGTERM handling, not by the test timeout');
  assert.is(r.code, 130, r.stderr);
  const m = manifestOf(out);
  assert.is(m.status, 'interrupted');
  // The items cut off while scoring are recorded as aborted, so --resume would run them again.
  const records = readRecords(join(out, 'records.jsonl')).records;
  assert.ok(records.length >= 1);
  for (const rec of records) assert.is(rec.error?.class, 'aborted');
});

/** A tmpfs of `size` at `dir`, when this process may mount one (root, mount available); else why not. */
function mountTmpfs(dir: string, size: string): string | undefined {
  if (process.getuid?.() !== 0) return 'not root';
  mkdirSync(dir, { recursive: true });
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' });
  return r.status === 0 ? undefined : `mount failed: ${(r.stderr || r.error?.message || '').trim()}`;
}

test('17.6 a full disk stops the run with exit 4 naming the path and OS error; --resume after freeing space completes it', async () => {
  const mnt = join(tmp, 'small-disk');
  const why = mountTmpfs(mnt, '400k');
  if (why) {
    console.log(`  skipped: cannot mount a small tmpfs here (${why})`);
    return;
  }
  try {
    // Each answer ~20 KB, each record ~20 KB: 48 records do not fit in 400 KiB.
    answer = () => ({ text: JSON.stringify({ text: 'y'.repeat(20_000) }) });
    const suite = suiteFile('diskfull');
    const out = join(mnt, 'run');
    const r = await cli(['run', suite, '--out', out]);
    assert.is(r.code, 4, r.stderr);
    assert.match(r.stderr, /disk full: cannot write \S+small-disk\/run\/records\.jsonl: ENOSPC: no space left on device/);
    assert.not.match(r.stderr, /internal error/);
    const m = manifestOf(out);
    assert.is(m.status, 'failed');
    assert.match(m.failure, /disk full/);
    const kept = readRecords(join(out, 'records.jsonl')).records.length;
    assert.ok(kept < 48, `${kept} records`);
    const grow = spawnSync('mount', ['-o', 'remount,size=16m', mnt], { encoding: 'utf8' });
    assert.is(grow.status, 0, grow.stderr);
    const resumed = await cli(['run', suite, '--resume', out]);
    assert.is(resumed.code, 0, resumed.stderr);
    const ids = readRecords(join(out, 'records.jsonl')).records.map((x) => x.item_id);
    assert.is(ids.length, 48);
    assert.is(new Set(ids).size, 48);
    assert.is(manifestOf(out).status, 'completed');
  } finally {
    spawnSync('umount', [mnt]);
  }
});

test.run();
