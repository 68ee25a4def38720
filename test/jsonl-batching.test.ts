/**
 * Batched JSONL writes (records/jsonl.ts, a run's records.jsonl): lines are held until the batch is full, a
 * short timer fires, flush() or close() is called, or the process exits; a failed batch write is cut back
 * to the last whole line and reported once (exit 4 in a run), and a SIGKILL loses at most the held batch.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openJsonlSink, RunFolderWriteError, type JsonlBatching } from '../harness/records/jsonl.js';

const ROOT = new URL('..', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'gtm-jsonl-batch-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));
const lines = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean).length : 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const big: JsonlBatching = { lines: 4, bytes: 1 << 20, ms: 60_000 };

test('held until the batch is full, then one write; flush and close write the rest', () => {
  const path = join(tmp, 'a.jsonl');
  const sink = openJsonlSink<{ i: number }>(path, undefined, big);
  for (let i = 0; i < 3; i++) sink.write({ i });
  assert.is(lines(path), 0);
  sink.write({ i: 3 });
  assert.is(lines(path), 4);
  sink.write({ i: 4 });
  assert.is(lines(path), 4);
  sink.flush?.();
  assert.is(lines(path), 5);
  sink.write({ i: 5 });
  sink.close();
  assert.equal(
    readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).i),
    [0, 1, 2, 3, 4, 5],
  );
  assert.is(sink.count, 6);
});

test('a held line is written by the timer', async () => {
  const path = join(tmp, 'b.jsonl');
  const sink = openJsonlSink<{ i: number }>(path, undefined, { lines: 100, bytes: 1 << 20, ms: 20 });
  sink.write({ i: 1 });
  for (let i = 0; i < 200 && lines(path) === 0; i++) await sleep(10);
  assert.is(lines(path), 1);
  sink.close();
});

test('a failed batch write (ENOSPC on /dev/full) is reported once, by flush or by close', async () => {
  if (!existsSync('/dev/full')) return;
  const a = openJsonlSink<{ i: number }>('/dev/full', undefined, big);
  a.write({ i: 1 });
  assert.throws(
    () => a.flush?.(),
    (e: unknown) => e instanceof RunFolderWriteError && e.code === 'ENOSPC',
  );
  assert.throws(
    () => a.write({ i: 2 }),
    (e: unknown) => e instanceof RunFolderWriteError,
  );
  a.close(); // already reported: the close in a `finally` does not throw it again
  // A timed flush that fails has no caller: close throws it.
  const b = openJsonlSink<{ i: number }>('/dev/full', undefined, { lines: 100, bytes: 1 << 20, ms: 5 });
  b.write({ i: 1 });
  await sleep(50);
  assert.throws(
    () => b.close(),
    (e: unknown) => e instanceof RunFolderWriteError && e.code === 'ENOSPC',
  );
});

/** A child that writes `n` lines to a batching sink, then exits its way: process.exit, or waits to be killed. */
const child = (path: string, n: number, how: 'exit' | 'wait') => `
  import { openJsonlSink } from ${JSON.stringify(join(ROOT, 'harness/records/jsonl.ts'))};
  const sink = openJsonlSink(${JSON.stringify(path)}, undefined, { lines: 64, bytes: 1 << 20, ms: 60000 });
  for (let i = 0; i < ${n}; i++) sink.write({ i });
  ${how === 'exit' ? 'process.exit(130);' : "console.log('ready'); setInterval(() => {}, 1000);"}
`;

test('process.exit (a second Ctrl-C) writes the held batch first', () => {
  const path = join(tmp, 'c.jsonl');
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', child(path, 5, 'exit')], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.is(r.status, 130, r.stderr);
  assert.is(lines(path), 5);
});

test('SIGKILL loses at most the held batch, and leaves whole lines only', async () => {
  const path = join(tmp, 'd.jsonl');
  const p = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', child(path, 70, 'wait')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    p.stdout!.once('data', () => resolve());
    p.once('exit', (code) => reject(new Error(`child exited ${code}`)));
  });
  p.kill('SIGKILL');
  await new Promise((r) => p.once('exit', r));
  assert.is(lines(path), 64); // the full batch was written; the 6 held were lost
  assert.is(readFileSync(path, 'utf8').slice(-1), '\n');
});

test.run();
