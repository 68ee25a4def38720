/**
 * Issue 13 items 16-17 through the real binary: `gtm-bench init DIR` writes a starter suite that runs as it
 * is (and never overwrites), `gtm-bench suites` lists the shipped suites one line each, and the README says
 * what `npm ci` needs where better-sqlite3 has no prebuilt binary.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCli } from './support/cli-child.js';

const tmp = mkdtempSync(join(tmpdir(), 'gtm-cli-init-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

test('item 16: init writes a starter suite that validates and runs as it is, and refuses to overwrite', async () => {
  const dir = join(tmp, 'starter');
  const init = await runCli(['init', dir]);
  assert.is(init.code, 0, init.stderr);
  assert.match(init.stdout, /wrote a starter suite in .*: suite\.yaml, tools\/convert_length\.yaml, data\/calls\.jsonl, prompts\/gtm-tool-sim-v1\.yaml/);
  const rows = readFileSync(join(dir, 'data/calls.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.is(rows.length, 5);
  assert.is(rows.filter((r) => r.expect_error).length, 1);
  const validate = await runCli(['validate', join(dir, 'suite.yaml')]);
  assert.is(validate.code, 0, validate.stderr);
  assert.match(validate.stdout, /valid: 1 tools, 5 calls in 1 datasets, 3 targets/);
  const out = join(tmp, 'starter-run');
  const run = await runCli(['run', join(dir, 'suite.yaml'), '--quiet', '--out', out]);
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stdout, /│ calls \/ errors\s+│ 5 \/ 0\s+│ 5 \/ 0\s+│ not configured │/);
  assert.match(run.stdout, /target gtm: not configured \(environment variables GTM_BASE_URL, GTM_MODEL are not set\)/);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  const reference = summary.targets.find((t: { name: string }) => t.name === 'reference');
  assert.is(reference.metrics['semantic.reference'].mean, 1);
  const again = await runCli(['init', dir]);
  assert.is(again.code, 2);
  assert.match(
    again.stderr,
    /suite\.yaml, tools\/convert_length\.yaml, data\/calls\.jsonl, prompts\/gtm-tool-sim-v1\.yaml already exist; give an empty or new folder \(nothing was written\)/,
  );
});

test('init of a path that is a file: exit 2 naming it, not an internal error', async () => {
  const file = join(tmp, 'notes.txt');
  writeFileSync(file, 'x');
  const r = await runCli(['init', file]);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /init .*notes\.txt: not a folder; give an empty or new folder/);
  assert.not.match(r.stderr, /internal error/);
});

test('item 16: suites lists every shipped suite with its description', async () => {
  const r = await runCli(['suites']);
  assert.is(r.code, 0, r.stderr);
  const shipped = readdirSync(join(ROOT, 'suites')).filter((n) => n.endsWith('.yaml'));
  for (const n of shipped) assert.match(r.stdout, new RegExp(`^suites/${n.replace('.', '\\.')}\\s+\\S`, 'm'));
  assert.match(r.stdout, /^suites\/default\.yaml\s+Fidelity of simulated country-facts tool calls against the real tool's recorded outputs\.$/m);
  assert.match(r.stdout, new RegExp(`^${shipped.length + 1} suites; run one with: gtm-bench run PATH`, 'm'));
});

test('item 17: the README says what npm ci needs to build better-sqlite3 from source', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  assert.match(readme, /better-sqlite3[\s\S]{0,400}python3, make and g\+\+/);
});

test.run();
