/**
 * Issue 13 items 9-11, through the real binary in a child process: no MaxListenersExceededWarning on a model
 * run at concurrency 32 (9); a flag error is its line plus that command's usage, and an unreadable suite
 * says why once with a close file name (10); the test runner prints no Node colour warning (11).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { echoResponse } from './support/echo-responder.js';
import { startStandIn, type StandIn } from '../dev/stand-ins/vllm-stand-in.js';
import { ROOT, runCli } from './support/cli-child.js';

const tmp = mkdtempSync(join(tmpdir(), 'gtm-cli-msg-'));
let standIn: StandIn;
test.before(async () => {
  standIn = await startStandIn({ models: ['gtm-echo'], latencyMs: 5, respond: echoResponse });
});
test.after(async () => {
  await standIn.close();
  rmSync(tmp, { recursive: true, force: true });
});

test('item 9: a model run at concurrency 32 prints no MaxListenersExceededWarning', async () => {
  const r = await runCli(['run', 'test/fixtures/cli/echo-model.yaml', '--concurrency', '32', '--out', join(tmp, 'c32')], {
    env: { GTM_BASE_URL: `${standIn.url}/v1`, GTM_MODEL: 'gtm-echo' },
  });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /calls \/ errors\s+│ 48 \/ 0/);
  assert.not.match(r.stderr, /MaxListenersExceeded|Warning/);
});

test('item 10: a flag error prints its line and the usage of that command, not the whole help', async () => {
  const r = await runCli(['run', 'suites/default.yaml', '--limt', '3']);
  assert.is(r.code, 2);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines, [
    "error: unknown option '--limt'",
    '(Did you mean --limit?)',
    'usage: gtm-bench run [options] <suite>',
    '(gtm-bench run --help lists its options)',
  ]);
  const accept = await runCli(['baseline', 'accept']);
  assert.is(accept.code, 2);
  assert.match(accept.stderr, /missing required argument 'run-dir'\nusage: gtm-bench baseline accept \[options\] <run-dir>\n/);
  assert.not.match(accept.stderr, /Options:/);
});

test('item 10: a suite that cannot be read says why once and names a close file', async () => {
  const r = await runCli(['run', 'suites/defualt.yaml']);
  assert.is(r.code, 2);
  assert.is(r.stderr, 'gtm-bench: cannot read suite suites/defualt.yaml\n  suites/defualt.yaml: no such file (did you mean suites/default.yaml?)\n');
});

test('item 11: the test runner prints no Node warning (NO_COLOR without FORCE_COLOR)', async () => {
  const child = spawn(process.execPath, ['test/run-tests.js', 'runner-env\\.test'], {
    cwd: ROOT,
    // FORCE_COLOR as a user's shell or CI might set it: the runner drops it.
    env: { ...process.env, FORCE_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const code = await new Promise((r) => child.on('close', r));
  assert.is(code, 0, out + err);
  assert.match(out, /1 passed, 0 failed/);
  assert.not.match(err, /Warning/);
});

test.run();
