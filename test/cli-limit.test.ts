/**
 * Issue 13 item 14 through the real binary: `--limit N` takes a sample stratified by tool and valid/invalid
 * call, so a short run of the default suite keeps its invalid calls in proportion (30 of 300 -> 10 of 100);
 * `--limit-mode first` keeps the first N in file order, which on the default suite holds no invalid call.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './support/cli-child.js';

const tmp = mkdtempSync(join(tmpdir(), 'gtm-cli-limit-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

const records = (dir: string) =>
  readFileSync(join(dir, 'records.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { tool: string; expect_error: boolean });

test('item 14: --limit 100 keeps invalid calls and every tool in proportion; --limit-mode first does not', async () => {
  const strat = join(tmp, 'stratified');
  const r = await runCli(['run', 'suites/default.yaml', '--target', 'reference', '--limit', '100', '--quiet', '--out', strat]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /error detection rate\s+│ 1\.000 \[[\d.]+, [\d.]+\] scored 10\/100/);
  const recs = records(strat);
  assert.is(recs.length, 100);
  assert.is(recs.filter((x) => x.expect_error).length, 10);
  const all = readFileSync('suites/../datasets/default/country-calls.jsonl', 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { tool: string });
  for (const tool of new Set(all.map((c) => c.tool))) {
    const share = all.filter((c) => c.tool === tool).length / all.length;
    const got = recs.filter((x) => x.tool === tool).length;
    assert.ok(Math.abs(got - 100 * share) <= 1, `${tool}: ${got} of 100, expected about ${100 * share}`);
  }
  assert.is(JSON.parse(readFileSync(join(strat, 'manifest.json'), 'utf8')).plan.limit_mode, 'stratified');

  const first = join(tmp, 'first');
  const f = await runCli(['run', 'suites/default.yaml', '--target', 'reference', '--limit', '100', '--limit-mode', 'first', '--quiet', '--out', first]);
  assert.is(f.code, 0, f.stderr);
  assert.is(records(first).filter((x) => x.expect_error).length, 0);
  assert.not.match(f.stdout, /error detection rate/);

  const bad = await runCli(['run', 'suites/default.yaml', '--limit', '5', '--limit-mode', 'random']);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /--limit-mode <mode>' argument 'random' is invalid\. expected stratified or first/);
});

test.run();
