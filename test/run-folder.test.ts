/**
 * End to end: the default suite through runSuite into a run folder, with the GTM target pointed at the
 * loopback stand-in. Checks the folder's files, what the scorers give the upper and lower bounds, the
 * not-configured path, the error tolerance, and that no API key leaks into any file.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSuite } from '../harness/run/run-suite.js';
import { createProgress } from '../harness/cli/progress.js';
import { readRecords } from '../harness/records/reader.js';
import type { Summary } from '../harness/report/summary.js';
import { startStandIn, type StandIn } from '../dev/stand-ins/vllm-stand-in.js';
import { FRANCE } from './support/report-runs.js';

const SUITE = new URL('../suites/default.yaml', import.meta.url).pathname;
const SECRET = 'sk-test-SECRET-4242';
const tmp = mkdtempSync(join(tmpdir(), 'gtm-run-'));
const quiet = createProgress({ interactive: false, quiet: true });
let standIn: StandIn;

test.before(async () => {
  standIn = await startStandIn({ models: ['gtm-test'], log: true, respond: () => ({ text: FRANCE }) });
});
test.after(async () => {
  await standIn.close();
  rmSync(tmp, { recursive: true, force: true });
});

const metric = (s: Summary, target: string, m: string) => s.targets.find((t) => t.name === target)!.metrics[m];

test('a run writes the five files; baselines land where they must; no key leaks', async () => {
  const out = join(tmp, 'run1');
  const env = { GTM_BASE_URL: `${standIn.url}/v1`, GTM_MODEL: 'gtm-test', GTM_API_KEY: SECRET };
  // The first 40 calls (all valid): the stratified default would mix in invalid calls, which the schema-faker
  // lower bound answers with a schema-valid result instead of an error.
  const result = await runSuite({ suiteFile: SUITE, limit: 40, limitMode: 'first', out, argv: ['run', SUITE], progress: quiet, env });
  assert.is(result.exitCode, 0);
  assert.equal(readdirSync(out).sort(), [
    'manifest.json',
    'records.jsonl',
    'report-data',
    'report.html',
    'report.md',
    'run.lock',
    'run.lock.json',
    'summary.csv',
    'summary.json',
    'texts.jsonl',
  ]);

  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  assert.is(manifest.status, 'completed');
  assert.match(manifest.suite.sha256, /^[0-9a-f]{64}$/);
  assert.match(manifest.datasets['country-calls'].sha256, /^[0-9a-f]{64}$/);
  assert.is(manifest.datasets['country-calls'].rows, 300);
  assert.is(manifest.plan.items, 40 * 4);
  const gtm = manifest.targets.find((t: any) => t.name === 'gtm');
  assert.match(gtm.config.template.sha256, /^[0-9a-f]{64}$/);

  const { records } = readRecords(join(out, 'records.jsonl'));
  assert.is(records.length, 160);
  assert.is(new Set(records.map((r) => r.item_id)).size, 160);
  const gtmRecord = records.find((r) => r.target === 'gtm')!;
  assert.is(gtmRecord.backend, `openai:${standIn.url}/v1#gtm-test`);
  assert.is(gtmRecord.parse.status, 'fenced');
  assert.ok(gtmRecord.usage && gtmRecord.usage.completion_tokens > 0);

  const s = result.summary;
  for (const upper of ['reference', 'real']) {
    assert.is(metric(s, upper, 'format.schema_valid').mean, 1, `${upper} schema_valid`);
    assert.is(metric(s, upper, 'logic.invariants').mean, 1, `${upper} invariants`);
    assert.is(metric(s, upper, 'semantic.reference').mean, 1, `${upper} semantic`);
  }
  // The lower bound: schema-valid by construction, but it knows nothing of the real answers.
  assert.is(metric(s, 'schema-faker', 'format.schema_valid').mean, 1);
  assert.ok(metric(s, 'schema-faker', 'semantic.reference').mean! < 0.5);
  // The stand-in always answers France: valid format, semantically right only for the France calls.
  assert.is(metric(s, 'gtm', 'format.parse').mean, 1);
  assert.ok(metric(s, 'gtm', 'semantic.reference').mean! < 0.6);

  // The key reached the server, and nowhere else.
  assert.is(standIn.requests.find((r) => r.path.endsWith('/chat/completions'))!.headers.authorization, `Bearer ${SECRET}`);
  const files = (readdirSync(out, { recursive: true }) as string[]).filter((f) => statSync(join(out, f)).isFile());
  for (const f of files) assert.not.ok(readFileSync(join(out, f), 'utf8').includes(SECRET), `key in ${f}`);
  const md = readFileSync(join(out, 'report.md'), 'utf8');
  assert.match(md, /openai:http:\/\/127\.0\.0\.1:\d+\/v1#gtm-test/);
});

test('without GTM_BASE_URL the GTM target is reported as not configured, never as numbers', async () => {
  const out = join(tmp, 'run2');
  const result = await runSuite({ suiteFile: SUITE, limit: 10, out, argv: [], progress: quiet, env: {} });
  assert.is(result.exitCode, 0);
  const gtm = result.summary.targets.find((t) => t.name === 'gtm')!;
  assert.is(gtm.status, 'not configured');
  assert.match(gtm.reason!, /GTM_BASE_URL/);
  assert.equal(gtm.metrics, {});
  const { records } = readRecords(join(out, 'records.jsonl'));
  assert.not.ok(records.some((r) => r.target === 'gtm'));
  assert.match(readFileSync(join(out, 'report.md'), 'utf8'), /not configured: environment variables GTM_BASE_URL, GTM_MODEL are not set/);
});

test('calls failing beyond max_error_rate give exit code 1, and every record is still written', async () => {
  const failing = await startStandIn({ models: ['gtm-test'], respond: () => ({ status: 500, text: 'injected failure' }) });
  try {
    const out = join(tmp, 'run3');
    const env = { GTM_BASE_URL: `${failing.url}/v1`, GTM_MODEL: 'gtm-test' };
    const result = await runSuite({ suiteFile: SUITE, limit: 5, out, argv: [], progress: quiet, env, targets: ['gtm', 'reference'] });
    assert.is(result.exitCode, 1);
    assert.equal(result.overTolerance, ['gtm']);
    const gtm = result.summary.targets.find((t) => t.name === 'gtm')!;
    assert.is(gtm.errors, 5);
    assert.equal(gtm.errors_by_class, { http_5xx: 5 });
    assert.is(gtm.retries, 5 * 3);
    assert.is(readRecords(join(out, 'records.jsonl')).records.length, 10);
  } finally {
    await failing.close();
  }
});

test('the summary is a function of the records: recomputing it gives the same bytes', async () => {
  const out = join(tmp, 'run4');
  const result = await runSuite({ suiteFile: SUITE, limit: 20, out, argv: [], progress: quiet, env: {}, targets: ['schema-faker', 'reference'] });
  const { summariseRun } = await import('../harness/report/summary-fold.js');
  const { records } = readRecords(join(out, 'records.jsonl'));
  const again = summariseRun(result.summary.suite, result.manifest.targets, [...records].reverse());
  assert.is(JSON.stringify(again, null, 2) + '\n', readFileSync(join(out, 'summary.json'), 'utf8'));
});

test.run();
