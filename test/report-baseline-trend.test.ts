/**
 * Baselines and the nightly history: `baseline accept`, `run --against` (gates against an accepted
 * baseline, exit 1 on a regression), `run --history` / `trend --add` (append-only), and `trend` marking the
 * night a checkpoint regressed. Checkpoints are answered by the loopback stand-in (a test double).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baselineAcceptCommand } from '../harness/cli/baseline.js';
import { runCommand } from '../harness/cli/run.js';
import { afterRun } from '../harness/cli/run-after.js';
import { trendCommand } from '../harness/cli/trend.js';
import { parseBaseline } from '../harness/compare/baseline.js';
import { parseHistory } from '../harness/compare/history.js';
import { appendHistory } from '../harness/compare/history-store.js';
import { buildTrend, unpairedDifference } from '../harness/compare/trend.js';
import { inProcess } from './support/in-process-cli.js';
import { REPORT_SUITE, startReportRuns, type ReportRuns } from './support/report-runs.js';

const tmp = mkdtempSync(join(tmpdir(), 'gtm-baseline-'));
const baselineFile = join(tmp, 'baselines', 'report-fixture.json');
const history = join(tmp, 'history.jsonl');
let runs: ReportRuns;
let runA: string;

test.before(async () => {
  runs = await startReportRuns();
  runA = join(tmp, 'night-1');
  await runs.run(runA);
});
test.after(async () => {
  await runs.close();
  delete process.env.TEST_GTM_URL;
  rmSync(tmp, { recursive: true, force: true });
});

test('baseline accept writes the summary and per-call scores, one call per line', async () => {
  const r = await inProcess(() => baselineAcceptCommand(runA, { out: baselineFile }));
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /accepted run report-fixture-\S+ as the baseline: .*report-fixture\.json \(4 targets, 168 scored calls\)/);
  const text = readFileSync(baselineFile, 'utf8');
  const b = parseBaseline(JSON.parse(text), baselineFile);
  assert.is(b.summary.targets.length, 4);
  assert.is(b.scores['gtm-b'].rows.length, 42);
  assert.ok(b.scores['gtm-b'].metrics.includes('format.parse') && b.scores['gtm-b'].metrics.includes('call.latency_ms'));
  // Each call on its own line, so a baseline under version control diffs by call.
  assert.ok(text.split('\n').filter((l) => /^\s+\["[a-z]+-\d+#0",/.test(l)).length === 168);
});

test('a run checked against its own baseline passes (exit 0) and leaves gates.md and gates.junit.xml', async () => {
  const r = await inProcess(() => {
    process.exitCode = afterRun(runA, 0, { against: baselineFile });
  });
  assert.is(r.code, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /## gtm-bench run vs baseline: report-fixture\n\n\*\*Result: passed\*\*/);
  assert.match(readFileSync(join(runA, 'gates.md'), 'utf8'), /\*\*Result: passed\*\*/);
  assert.match(readFileSync(join(runA, 'gates.junit.xml'), 'utf8'), /<testsuites name="gtm-bench gates report-fixture" tests="4" failures="0">/);
});

test('run --against: a regressed checkpoint fails the gates (exit 1); --history appends the night', async () => {
  runs.behaviour.b = 'hostile';
  process.env.TEST_GTM_URL = `${runs.standIn.url}/v1`;
  const out = join(tmp, 'night-2');
  const r = await inProcess(() => runCommand(REPORT_SUITE, { out, quiet: true, against: baselineFile, history }));
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stdout, /\*\*Result: FAILED\*\* \(2 gated metrics failed\)/);
  assert.match(r.stdout, /### target gtm-b[\s\S]*`format\.parse` \| yes \| 42 \| 1\.000 \| 0\.0000 \| -1\.000/);
  assert.match(r.stdout, /added run report-fixture-\S+ to /);
  assert.match(readFileSync(join(out, 'gates.junit.xml'), 'utf8'), /failures="2"/);
  assert.ok(existsSync(join(out, 'report.html')));
  const { entries } = parseHistory(readFileSync(history, 'utf8'), history);
  assert.is(entries.length, 1);
  assert.is(entries[0].gates?.metrics['format.parse'].max_regression, 0.05);
  assert.ok(entries[0].targets.find((t) => t.name === 'gtm-b')!.metrics['call.error']);
});

test('run --against a missing baseline stops before running (exit 2, no run folder)', async () => {
  const out = join(tmp, 'never');
  const r = await inProcess(() => runCommand(REPORT_SUITE, { out, quiet: true, against: join(tmp, 'nope.json') }));
  assert.is(r.code, 2);
  assert.match(r.stderr, /--against .*nope\.json: no such file/);
  assert.not.ok(existsSync(out));
});

test('trend --add appends (once per run), orders nights by start time and marks the regression', async () => {
  const add = await inProcess(() => trendCommand({ history, add: runA, out: join(tmp, 'trend') }));
  assert.is(add.code, 0, add.stderr);
  const again = await inProcess(() => trendCommand({ history, add: runA, out: join(tmp, 'trend') }));
  assert.is(again.code, 2);
  assert.match(again.stderr, /already holds run report-fixture-\S+; the history is append-only/);

  const { entries } = parseHistory(readFileSync(history, 'utf8'), history);
  assert.is(entries.length, 2);
  const trend = buildTrend(entries);
  const parse = trend.series.find((s) => s.target === 'gtm-b' && s.metric === 'format.parse')!;
  assert.equal(
    parse.points.map((p) => p.mean),
    [1, 0],
  );
  assert.equal(
    parse.points.map((p) => p.regression),
    [false, true],
  );
  assert.is(parse.points[1].change!.failed, true);
  const steady = trend.series.find((s) => s.target === 'gtm-a' && s.metric === 'format.parse')!;
  assert.equal(
    steady.points.map((p) => p.regression),
    [false, false],
  );

  const md = readFileSync(join(tmp, 'trend', 'trend.md'), 'utf8');
  assert.match(md, /\| gtm-b \| `format\.parse` \| 1\.000 \| 0\.000 \*\*▼\*\* \|/);
  const html = readFileSync(join(tmp, 'trend', 'trend.html'), 'utf8');
  assert.match(html, /<svg[^>]*class="marks"/);
  assert.match(html, /Regressions \(worse than the night before\)/);
  assert.ok(existsSync(join(tmp, 'trend', 'trend-data', 'trend-report-fixture-format.parse.vl.json')));
  assert.ok(existsSync(join(tmp, 'trend', 'trend-data', 'trend-report-fixture.csv')));
});

test('history: a torn last line is skipped with a note; the next append starts a new line', () => {
  const file = join(tmp, 'torn.jsonl');
  const line = readFileSync(history, 'utf8').split('\n')[0];
  writeFileSync(file, line + '\n{"history_version":1,"run_id":"x"');
  const parsed = parseHistory(readFileSync(file, 'utf8'), file);
  assert.is(parsed.entries.length, 1);
  assert.match(parsed.problems[0], /torn\.jsonl:2: /);
  appendHistory(file, { ...parsed.entries[0], run_id: 'next-night' });
  const after = parseHistory(readFileSync(file, 'utf8'), file);
  assert.equal(
    after.entries.map((e) => e.run_id),
    [parsed.entries[0].run_id, 'next-night'],
  );
  assert.is(after.problems.length, 1);
});

test('unpaired difference: normal approximation from the two intervals', () => {
  const a = { n: 100, mean: 0.8, ci_low: 0.7, ci_high: 0.9, method: 't' };
  const b = { n: 100, mean: 0.6, ci_low: 0.5, ci_high: 0.7, method: 't' };
  const d = unpairedDifference(a, b);
  const se = Math.hypot(0.1 / 1.959963984540054, 0.1 / 1.959963984540054);
  assert.ok(Math.abs(d.mean! + 0.2) < 1e-12);
  assert.ok(Math.abs(d.ci_low! - (-0.2 - 1.959963984540054 * se)) < 1e-12);
  assert.equal(unpairedDifference(a, { ...b, ci_low: null, ci_high: null }).ci_low, null);
});

test.run();
