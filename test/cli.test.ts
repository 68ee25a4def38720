/** The command line as a user meets it: exit codes, messages without stack traces, the table. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = new URL('../bin/gtm-bench.js', import.meta.url).pathname;
const ROOT = new URL('..', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'gtm-cli-'));

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', CI: 'true', ...env },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('validate accepts the default suite', () => {
  const r = cli(['validate', 'suites/default.yaml']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /valid: 3 tools, 300 calls/);
  assert.match(r.stdout, /target gtm: not configured here/);
});

test('validate rejects a broken suite with exit 2, file:line:column, and no stack trace', () => {
  const bad = join(tmp, 'bad.yaml');
  writeFileSync(bad, 'version: "1"\nname: Bad Name\ntools: []\ndatasets: []\ntargets: []\n');
  const r = cli(['validate', bad]);
  assert.is(r.code, 2);
  assert.match(r.stderr, /bad\.yaml:2:\d+/);
  assert.not.match(r.stderr, /\n\s+at .+:\d+:\d+\)?\n/);
});

test('bad flags exit 2 with a message', () => {
  const r = cli(['run', 'suites/default.yaml', '--limit', 'zero']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /--limit.*expected an integer >= 1/);
  const unknown = cli(['run', 'suites/default.yaml', '--target', 'nope']);
  assert.is(unknown.code, 2);
  assert.match(unknown.stderr, /--target nope: no such target .* its targets are real, reference, schema-faker, gtm/);
});

test('run prints the table, names the run folder and exits 0', () => {
  const out = join(tmp, 'run');
  const r = cli(['run', 'suites/default.yaml', '--limit', '6', '--out', out]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /schema valid/);
  assert.match(r.stdout, /target gtm: not configured \(environment variables GTM_BASE_URL, GTM_MODEL are not set\)/);
  assert.match(r.stderr, /progress: 18\/18 \(100%\)/);
  assert.ok(existsSync(join(out, 'report.md')));
  // A second run into the same folder would mix two runs' records: refused.
  const again = cli(['run', 'suites/default.yaml', '--limit', '6', '--out', out]);
  assert.is(again.code, 2);
  assert.match(again.stderr, /already holds a run \(records\.jsonl\)/);
  const report = cli(['report', out]);
  assert.is(report.code, 0, report.stderr);
  assert.match(report.stdout, /rewrote summary\.json/);
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
