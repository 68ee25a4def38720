/**
 * Issue 13 item 12 through the real binary: a run with two targets answers "which is better, by how much,
 * how sure" in report.md and report.html (paired differences against --baseline-target, default the first
 * model target), with compare's computation; `compare --out` also writes compare.html.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { echoResponse } from './support/echo-responder.js';
import { startStandIn, type StandIn } from '../dev/stand-ins/vllm-stand-in.js';
import { runCli } from './support/cli-child.js';

const SUITE = 'test/fixtures/cli/echo-model.yaml';
const tmp = mkdtempSync(join(tmpdir(), 'gtm-cli-pairs-'));
let standIn: StandIn;
let env: Record<string, string>;
test.before(async () => {
  // Every third answer drops the text, so gtm and reference differ on some calls.
  let n = 0;
  standIn = await startStandIn({ models: ['gtm-echo'], respond: (req) => (++n % 3 === 0 ? { text: '{"text": ""}' } : echoResponse(req)) });
  env = { GTM_BASE_URL: `${standIn.url}/v1`, GTM_MODEL: 'gtm-echo' };
});
test.after(async () => {
  await standIn.close();
  rmSync(tmp, { recursive: true, force: true });
});

test('item 12: report.md and report.html show paired differences against the first model target by default', async () => {
  const dir = join(tmp, 'run');
  const r = await runCli(['run', SUITE, '--quiet', '--concurrency', '1', '--out', dir], { env });
  assert.is(r.code, 0, r.stderr);
  const md = readFileSync(join(dir, 'report.md'), 'utf8');
  assert.match(md, /## Paired differences against gtm\n/);
  // reference minus gtm on the exact-field metric: reference is exact on all 48, gtm on 32 of 48 (+0.3333).
  assert.match(
    md,
    /\| reference \| deterministic fields exact \(`semantic\.exact_fields`\) \| 48 \| 0\.6667 \| 1\.000 \| \+0\.3333 \[\+0\.\d+, \+0\.\d+\] \| better: /,
  );
  assert.match(md, /\| reference \| latency ms \(lower is better\) \(`call\.latency_ms`\)/);
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  assert.match(html, /<section id="paired">\n<h2>Paired differences against gtm<\/h2>/);
  assert.ok(existsSync(join(dir, 'report-data', 'paired-differences.csv')));
});

test('item 12: --baseline-target picks the other side; report --baseline-target redraws it', async () => {
  const dir = join(tmp, 'ref');
  const r = await runCli(['run', SUITE, '--quiet', '--concurrency', '1', '--baseline-target', 'reference', '--out', dir], { env });
  assert.is(r.code, 0, r.stderr);
  assert.match(
    readFileSync(join(dir, 'report.md'), 'utf8'),
    /## Paired differences against reference\n[\s\S]*\| gtm \| deterministic fields exact \(`semantic\.exact_fields`\) \| 48 \| 1\.000 \| 0\.6667 \| -0\.3333 /,
  );
  const again = await runCli(['report', dir, '--baseline-target', 'gtm']);
  assert.is(again.code, 0, again.stderr);
  assert.match(readFileSync(join(dir, 'report.md'), 'utf8'), /## Paired differences against gtm\n/);
  const bad = await runCli(['run', SUITE, '--baseline-target', 'nope', '--out', join(tmp, 'bad')], { env });
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /--baseline-target nope: no such target in .*; its targets are gtm, reference/);
});

test('item 12: compare --out writes compare.html beside compare.md', async () => {
  const out = join(tmp, 'cmp');
  const r = await runCli(['compare', join(tmp, 'run'), join(tmp, 'ref'), '--out', out]);
  assert.is(r.code, 0, r.stderr);
  const html = readFileSync(join(out, 'compare.html'), 'utf8');
  assert.match(html, /<section id="compare">/);
  assert.match(html, /semantic\.exact_fields/);
  assert.ok(existsSync(join(out, 'compare.md')));
});

test.run();
