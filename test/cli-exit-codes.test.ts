/**
 * Issue 13 items 4-8 through the real binary: exit codes a nightly job can trust. Nothing useful ran means a
 * non-zero exit with a sentence; --against fails (1) when the baseline's target did not run; --out naming a
 * file is bad input (2); --replay of a --seed run works; --resume names unset environment variables as the
 * cause of a plan difference.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { echoResponse } from './support/echo-responder.js';
import { startStandIn, type StandIn } from '../dev/stand-ins/vllm-stand-in.js';
import { ROOT, runCli } from './support/cli-child.js';

const SUITE = 'test/fixtures/cli/echo-model.yaml';
const tmp = mkdtempSync(join(tmpdir(), 'gtm-cli-exit-'));
let standIn: StandIn;
let env: Record<string, string>;
test.before(async () => {
  standIn = await startStandIn({ models: ['gtm-echo'], respond: echoResponse });
  env = { GTM_BASE_URL: `${standIn.url}/v1`, GTM_MODEL: 'gtm-echo' };
});
test.after(async () => {
  await standIn.close();
  rmSync(tmp, { recursive: true, force: true });
});

test('item 4: --target naming a target that is not configured exits 2 with its reason', async () => {
  const r = await runCli(['run', 'suites/default.yaml', '--target', 'gtm', '--limit', '2', '--out', join(tmp, 'none')]);
  assert.is(r.code, 2, r.stdout);
  assert.is(
    r.stderr,
    'gtm-bench: --target gtm: not configured here, so nothing of it would run:\n  target gtm: environment variables GTM_BASE_URL, GTM_MODEL are not set (set them, or give --base-url and --model)\n',
  );
});

test('item 4: a suite none of whose targets is configured exits 2', async () => {
  const only = join(tmp, 'only-model.yaml');
  const text = readFileSync(join(ROOT, SUITE), 'utf8')
    .replace('path: ../serving/echo-calls.jsonl', `path: ${join(ROOT, 'test/fixtures/serving/echo-calls.jsonl')}`)
    .replace('prompt_template: ../../../harness/prompts/gtm-tool-sim-v1.yaml', `prompt_template: ${join(ROOT, 'harness/prompts/gtm-tool-sim-v1.yaml')}`)
    .replace(/\$schema: .*\n/, '')
    .replace(/  - name: reference\n    kind: baseline:reference\n/, '');
  writeFileSync(only, text);
  const r = await runCli(['run', only, '--out', join(tmp, 'only')]);
  assert.is(r.code, 2, r.stdout + r.stderr);
  assert.match(
    r.stderr,
    /nothing to run: no target of .*only-model\.yaml is configured here:\n  target gtm: environment variables GTM_BASE_URL, GTM_MODEL are not set/,
  );
});

test('item 4: trend --history naming a missing file exits 2', async () => {
  const r = await runCli(['trend', '--history', join(tmp, 'no-history.jsonl'), '--out', join(tmp, 'trend')]);
  assert.is(r.code, 2);
  assert.match(r.stderr, /--history .*no-history\.jsonl: no such file; it is written by `run --history FILE` or `trend --add RUN_DIR`/);
});

test('item 4: baseline accept refuses a run in which every call of a target failed', async () => {
  const dir = join(tmp, 'dead');
  const run = await runCli(['run', SUITE, '--quiet', '--no-preflight', '--out', dir], { env: { ...env, GTM_MODEL: 'gtm-ehco' } });
  assert.is(run.code, 0, run.stderr);
  const r = await runCli(['baseline', 'accept', dir, '--out', join(tmp, 'dead-baseline.json')]);
  assert.is(r.code, 2, r.stdout);
  assert.match(r.stderr, /every call of target gtm \(48 of 48, http_4xx × 48\) failed; a baseline must hold scores/);
});

test("item 5: run --against fails with exit 1 when the baseline's target did not run, with no flag run lacks", async () => {
  const good = join(tmp, 'good');
  assert.is((await runCli(['run', SUITE, '--quiet', '--target', 'gtm', '--out', good], { env })).code, 0);
  const baseline = join(tmp, 'gtm-baseline.json');
  assert.is((await runCli(['baseline', 'accept', good, '--out', baseline])).code, 0);
  // Only reference runs now: the baseline's only target, gtm, has no pair at all.
  const r = await runCli(['run', SUITE, '--quiet', '--target', 'reference', '--against', baseline, '--out', join(tmp, 'against')], { env });
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stdout, /target gtm ran in the baseline but did not run now/);
  assert.not.match(r.stdout + r.stderr, /--target-a|--target-b/);
});

test('item 6: --out naming an existing file exits 2 with a sentence, no stack trace', async () => {
  const file = join(tmp, 'a-file');
  writeFileSync(file, 'x');
  const r = await runCli(['run', SUITE, '--target', 'reference', '--out', file]);
  assert.is(r.code, 2);
  assert.is(r.stderr, `gtm-bench: --out ${file}: that is a file, not a folder; give a folder for the run (it is created when missing)\n`);
});

test('item 7: --replay of a run made with --seed takes the seed from the run', async () => {
  const seeded = join(tmp, 'seeded');
  assert.is((await runCli(['run', SUITE, '--quiet', '--target', 'reference', '--seed', '3', '--out', seeded])).code, 0);
  const r = await runCli(['run', SUITE, '--quiet', '--replay', seeded, '--out', join(tmp, 'replayed')]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /replayed .*: 48 items from its records/);
  assert.is(JSON.parse(readFileSync(join(tmp, 'replayed', 'manifest.json'), 'utf8')).seed, 3);
  assert.is(readFileSync(join(tmp, 'replayed', 'summary.json'), 'utf8'), readFileSync(join(seeded, 'summary.json'), 'utf8'));
});

test('item 8: --resume names unset environment variables as the cause, without repeating the typed command', async () => {
  const dir = join(tmp, 'resumable');
  assert.is((await runCli(['run', SUITE, '--quiet', '--out', dir], { env })).code, 0);
  const r = await runCli(['run', SUITE, '--quiet', '--resume', dir]);
  assert.is(r.code, 2, r.stdout);
  assert.match(
    r.stderr,
    /this is not the run's plan; the flags are the run's; what differs:\n  .*: target gtm ran then but is not configured now: environment variables GTM_BASE_URL, GTM_MODEL are not set/,
  );
});

test.run();
