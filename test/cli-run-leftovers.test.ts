/**
 * Issue 13's QA leftovers through the real binary: a run in which not one call of any target was scored exits
 * 1 even with max_error_rate 1 (and ordinary partial failure within max_error_rate still exits 0); paths in
 * messages are relative inside the working folder and absolute outside it (never ../../tmp/x); a suite run
 * from another folder writes its run folder under that folder's reports/runs/, not into the checkout;
 * report.html's paired differences show formatted means.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { echoResponse } from './support/echo-responder.js';
import { startStandIn, type StandIn } from '../dev/stand-ins/vllm-stand-in.js';
import { ROOT, runCli } from './support/cli-child.js';
import { displayPath } from '../harness/util/display-path.js';

const SUITE = 'test/fixtures/cli/echo-model.yaml';
const tmp = mkdtempSync(join(tmpdir(), 'gtm-cli-leftovers-'));
let standIn: StandIn;
test.before(async () => {
  // gtm-echo answers; every fourth request to gtm-flaky fails with a 500 (the suite retries nothing).
  let n = 0;
  standIn = await startStandIn({
    models: ['gtm-echo', 'gtm-flaky'],
    respond: (req) => (req.body?.model === 'gtm-flaky' && ++n % 4 === 0 ? { status: 500, text: 'overloaded' } : echoResponse(req)),
  });
});
test.after(async () => {
  await standIn.close();
  rmSync(tmp, { recursive: true, force: true });
});

test('nothing useful ran: every call of every target failed exits 1 with a sentence, even with max_error_rate 1', async () => {
  const dir = join(tmp, 'dead');
  const r = await runCli(['run', SUITE, '--quiet', '--target', 'gtm', '--no-preflight', '--out', dir], {
    env: { GTM_BASE_URL: `${standIn.url}/v1`, GTM_MODEL: 'gtm-missing' },
  });
  assert.is(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, "nothing useful ran: not one call of any target was scored, so the run exits 1 whatever the suite's max_error_rate (1) allows");
  // The records already written are kept, and the manifest says the same exit code.
  assert.is(readFileSync(join(dir, 'records.jsonl'), 'utf8').trim().split('\n').length, 48);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  assert.is(manifest.exit_code, 1);
  assert.is(manifest.status, 'completed');
});

test('merge of shards in which not one call was scored exits 1 with the same sentence', async () => {
  const env = { GTM_BASE_URL: `${standIn.url}/v1`, GTM_MODEL: 'gtm-missing' };
  const shards = [0, 1].map((i) => join(tmp, `dead-shard-${i}`));
  for (const [i, dir] of shards.entries()) {
    const r = await runCli(['run', SUITE, '--quiet', '--target', 'gtm', '--no-preflight', '--shard', `${i}/2`, '--out', dir], { env });
    assert.is(r.code, 1, r.stdout + r.stderr);
  }
  const merged = await runCli(['merge', ...shards, '--out', join(tmp, 'dead-merged')]);
  assert.is(merged.code, 1, merged.stdout + merged.stderr);
  assert.match(merged.stdout, 'nothing useful ran: not one call of any target was scored, so the merge exits 1');
  assert.is(JSON.parse(readFileSync(join(tmp, 'dead-merged', 'manifest.json'), 'utf8')).exit_code, 1);
});

test('ordinary partial failure within max_error_rate still exits 0, without the nothing-ran sentence', async () => {
  const r = await runCli(['run', SUITE, '--quiet', '--target', 'gtm', '--concurrency', '1', '--out', join(tmp, 'flaky')], {
    env: { GTM_BASE_URL: `${standIn.url}/v1`, GTM_MODEL: 'gtm-flaky' },
  });
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /target gtm: 12 of 48 calls failed/);
  assert.not.match(r.stderr, /nothing useful ran/);
});

test('paths in messages: absolute outside the working folder, relative inside it', async () => {
  const env = { GTM_BASE_URL: `${standIn.url}/v1`, GTM_MODEL: 'gtm-echo' };
  const outside = join(tmp, 'abs');
  const r = await runCli(['run', SUITE, '--quiet', '--out', outside], { env });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, `run folder: ${outside} (report.html`);
  assert.not.match(r.stdout, /\.\.\//);
  const cwd = join(tmp, 'here');
  mkdirSync(cwd);
  const inside = await runCli(['run', join(ROOT, SUITE), '--quiet', '--out', 'sub/run'], { env, cwd });
  assert.is(inside.code, 0, inside.stderr);
  assert.match(inside.stdout, 'run folder: sub/run (report.html');
  // The helper itself: the working folder is '.', a sibling is absolute.
  assert.is(displayPath('/a/b', '/a/b'), '.');
  assert.is(displayPath('/a/b/c/d', '/a/b'), 'c/d');
  assert.is(displayPath('/a/x', '/a/b'), '/a/x');
  assert.is(displayPath('/a/b/..c', '/a/b'), '..c');
});

test('a suite run from another folder writes its run folder under that folder, not into the checkout', async () => {
  const user = join(tmp, 'user');
  const init = await runCli(['init', user]);
  assert.is(init.code, 0, init.stderr);
  const r = await runCli(['run', 'suite.yaml', '--quiet'], { cwd: user });
  assert.is(r.code, 0, r.stdout + r.stderr);
  const runs = readdirSync(join(user, 'reports', 'runs'));
  assert.is(runs.length, 1);
  assert.match(r.stdout, `run folder: reports/runs/${runs[0]} (report.html`);
  assert.ok(existsSync(join(user, 'reports', 'runs', runs[0], 'report.html')));
  assert.not.ok(existsSync(join(ROOT, 'reports', 'runs', runs[0])), 'the run folder went into the checkout');
});

test("report.html's paired differences show means formatted like report.md's, not raw floats", async () => {
  const dir = join(tmp, 'abs');
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  const section = html.slice(html.indexOf('<section id="paired">'), html.indexOf('</section>', html.indexOf('<section id="paired">')));
  // reference vs gtm on the exact-field metric: both exact on all 48 calls.
  assert.match(
    section,
    /<td>semantic\.exact_fields<\/td><td>deterministic fields exact<\/td><td class="num">48<\/td><td>1\.000<\/td><td>1\.000<\/td><td>0\.0000<\/td>/,
  );
  assert.not.match(section, /<td class="num">1<\/td>/);
});

test.run();
