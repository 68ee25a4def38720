/**
 * Comparing runs: verdicts against gates, pairing by call id + repeat, the data-identity check, JUnit, and
 * `gtm-bench compare` end to end on two runs of the fixture suite (checkpoints answered by the loopback
 * stand-in, which is a test double, not a model).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { judgeDifference } from '../harness/compare/gates.js';
import { compareScores } from '../harness/compare/compare.js';
import { dataDifferences } from '../harness/compare/data-identity.js';
import { renderJUnit } from '../harness/compare/junit.js';
import { callKey, scoreTableFromRecords, type ScoreTable } from '../harness/report/score-table.js';
import type { RunRecord } from '../harness/records/types.js';
import { startReportRuns, type ReportRuns } from './support/report-runs.js';
import { inProcess } from './support/in-process-cli.js';
import { compareCommand } from '../harness/cli/compare.js';
import { runRecord } from './support/run-record.js';

const BIN = new URL('../bin/gtm-bench.js', import.meta.url).pathname;
const ROOT = new URL('..', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'gtm-compare-'));
let runs: ReportRuns;
let runA: string;
let runB: string;

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', CI: 'true' }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test.before(async () => {
  runs = await startReportRuns();
  runA = join(tmp, 'a');
  runB = join(tmp, 'b');
  await runs.run(runA);
  runs.behaviour.b = 'hostile'; // checkpoint B stops answering in JSON: a regression the gates must catch
  await runs.run(runB);
});
test.after(async () => {
  await runs.close();
  rmSync(tmp, { recursive: true, force: true });
});

const gate = (min_delta = 0, max_regression = 0, gated = true) => ({ min_delta, max_regression, gated });

test('verdicts: better / worse / no detectable change, min_delta, max_regression, lower-is-better', () => {
  assert.is(judgeDifference({ mean: 0.05, ci_low: 0.02, ci_high: 0.08 }, false, gate()).verdict, 'better');
  assert.is(judgeDifference({ mean: 0.05, ci_low: 0.02, ci_high: 0.08 }, false, gate(0.1)).verdict, 'no detectable change');
  assert.is(judgeDifference({ mean: 0.01, ci_low: -0.02, ci_high: 0.04 }, false, gate()).verdict, 'no detectable change');
  const worse = judgeDifference({ mean: -0.05, ci_low: -0.08, ci_high: -0.02 }, false, gate(0, 0.03));
  assert.equal([worse.verdict, worse.failed], ['worse', true]);
  const tolerated = judgeDifference({ mean: -0.05, ci_low: -0.08, ci_high: -0.02 }, false, gate(0, 0.06));
  assert.equal([tolerated.verdict, tolerated.failed], ['worse', false]);
  assert.is(judgeDifference({ mean: -0.05, ci_low: -0.08, ci_high: -0.02 }, false, gate(0, 0, false)).failed, false);
  // Lower is better: a rise is worse.
  assert.is(judgeDifference({ mean: 0.05, ci_low: 0.02, ci_high: 0.08 }, true, gate()).verdict, 'worse');
  // A gated metric that cannot be checked fails; an ungated one does not.
  assert.is(judgeDifference({ mean: null, ci_low: null, ci_high: null }, false, gate()).failed, true);
  assert.is(judgeDifference({ mean: 0.1, ci_low: null, ci_high: null }, false, gate(0, 0, false)).failed, false);
});

function table(target: string, values: Record<string, number[]>, backend = 'x'): ScoreTable {
  const calls = new Map<string, Record<string, number>>();
  for (const [metric, xs] of Object.entries(values)) xs.forEach((v, i) => calls.set(callKey(`c${i}`, 0), { ...calls.get(callKey(`c${i}`, 0)), [metric]: v }));
  return { targets: new Map([[target, calls]]), backends: new Map([[target, backend]]) };
}

test('compare pairs by call id + repeat, counts unpaired calls, and fails a gated regression', () => {
  const a = table('gtm', { 'semantic.reference': [0.9, 0.8, 0.9, 0.85, 0.95, 0.9, 0.88, 0.92], 'logic.false_refusal': [0, 0, 0, 0, 0, 0, 0, 0] });
  const b = table('gtm', { 'semantic.reference': [0.5, 0.4, 0.6, 0.5, 0.45, 0.55, 0.5, 0.52], 'logic.false_refusal': [0, 0, 0, 0, 0, 0, 0, 0] });
  b.targets.get('gtm')!.set(callKey('extra', 0), { 'semantic.reference': 1 });
  const gates = { metrics: { 'semantic.reference': gate(0.01, 0.05) }, bootstrap: { iters: 500, seed: 1 } };
  const c = compareScores(a, b, [{ a: 'gtm', b: 'gtm' }], gates);
  const sem = c.metrics.find((m) => m.metric === 'semantic.reference')!;
  assert.is(sem.n_pairs, 8);
  assert.is(sem.only_b, 1);
  assert.ok(Math.abs(sem.diff.mean! - (sem.mean_b! - sem.mean_a!)) < 1e-12);
  assert.ok(sem.diff.ci_high! < 0);
  assert.equal([sem.outcome.verdict, sem.outcome.failed], ['worse', true]);
  const fr = c.metrics.find((m) => m.metric === 'logic.false_refusal')!;
  assert.equal([fr.lower_is_better, fr.gate.gated, fr.outcome.verdict], [true, false, 'no detectable change']);
  assert.is(c.failed, true);
  // Same seed, same interval.
  assert.equal(compareScores(a, b, [{ a: 'gtm', b: 'gtm' }], gates).metrics[0].diff, c.metrics[0].diff);
  // A gated target that did not run, and a gated metric no call has, fail the comparison.
  const missing = compareScores(a, b, [{ a: 'gtm', b: 'gtm' }], {
    metrics: { 'judge.overall': gate() },
    targets: ['gtm', 'gtm-2'],
    bootstrap: { iters: 100, seed: 0 },
  });
  assert.match(missing.problems[0], /gates name target gtm-2/);
  const judge = missing.metrics.find((m) => m.metric === 'judge.overall')!;
  assert.equal([judge.outcome.verdict, judge.outcome.failed, judge.outcome.reason], ['not enough data', false, 'no values in either run']);
  assert.is(missing.failed, true);
  // A gated metric A measured but B no longer does fails; a gate on a metric no scorer defines is a problem.
  const lost = table('gtm', { 'format.parse': [1, 1, 1] });
  const none = table('gtm', { 'format.schema_valid': [1, 1, 1] });
  const c2 = compareScores(lost, none, [{ a: 'gtm', b: 'gtm' }], {
    metrics: { 'format.parse': gate(), 'format.parsed': gate() },
    bootstrap: { iters: 100, seed: 0 },
  });
  assert.equal(c2.metrics.find((m) => m.metric === 'format.parse')!.outcome.failed, true);
  assert.match(c2.problems[0], /gates name metric format\.parsed, which no scorer defines/);
});

test('score tables: item ids are ignored, so the same call to two checkpoints pairs', () => {
  const rec = (item_id: string, target: string, value: number): RunRecord =>
    runRecord({ item_id, call_id: 'info-1', target, backend: target, latency_ms: 3, scores: { 'format.parse': { value, reasons: [] } } });
  const a = scoreTableFromRecords([rec('item-hash-for-ckpt-a', 'gtm', 1)]);
  const b = scoreTableFromRecords([rec('item-hash-for-ckpt-b', 'gtm', 0)]);
  assert.equal([...a.targets.get('gtm')!.keys()], [...b.targets.get('gtm')!.keys()]);
  assert.equal(a.targets.get('gtm')!.get('info-1#0'), { 'call.error': 0, 'call.latency_ms': 3, 'format.parse': 1 });
});

test('data identity names each file that differs', () => {
  const base = {
    suite: { file: 's.yaml', sha256: 'a'.repeat(64), included_files: { 't.yaml': '1' } },
    datasets: { d: { path: 'd.jsonl', sha256: 'b'.repeat(64) } },
  };
  assert.equal(dataDifferences(base, base), []);
  const other = {
    suite: { file: 's.yaml', sha256: 'c'.repeat(64), included_files: { 't.yaml': '2' } },
    datasets: { d: { path: 'd.jsonl', sha256: 'd'.repeat(64) }, e: { path: 'e.jsonl', sha256: 'e' } },
  };
  const diffs = dataDifferences(base, other);
  assert.is(diffs.length, 4);
  assert.match(diffs[0], /^suite file: s\.yaml \(sha256 aaaaaaaaaaaa\) vs s\.yaml \(sha256 cccccccccccc\)$/);
  assert.match(diffs[1], /^included file t\.yaml/);
  assert.match(diffs[2], /^dataset d: d\.jsonl/);
  assert.match(diffs[3], /^dataset e: only in B/);
});

test('JUnit: one testcase per gated metric, failures for regressions, XML-escaped', () => {
  const a = table('g<1>', { 'format.parse': [1, 1, 1, 1, 1, 1] });
  const b = table('g<1>', { 'format.parse': [0, 0, 0, 1, 0, 0] });
  const c = compareScores(a, b, [{ a: 'g<1>', b: 'g<1>' }], { metrics: { 'format.parse': gate(0, 0.1) }, bootstrap: { iters: 200, seed: 0 } });
  const xml = renderJUnit(c, 'gates & "things"');
  assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="gates &amp; &quot;things&quot;" tests="1" failures="1">/);
  assert.match(
    xml,
    /<testcase classname="gtm-bench\.g&lt;1&gt;" name="format\.parse" time="0"><failure message="worse by [0-9.]+, more than max_regression 0\.1" type="regression">/,
  );
  assert.not.match(xml, /<1>/);
});

test('gtm-bench compare: a checkpoint that regressed fails the gates (exit 1), with Markdown, JSON, CSV and JUnit', () => {
  const out = join(tmp, 'cmp');
  const r = cli(['compare', runA, runB, '--out', out]);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stdout, /^## gtm-bench compare: report-fixture\n\n\*\*Result: FAILED\*\*/);
  assert.match(r.stdout, /### target gtm-b\n/);
  assert.match(
    r.stdout,
    /\| `format\.parse` \| yes \| 42 \| 1\.000 \| 0\.0000 \| -1\.000 \[-1\.000, -1\.000\] \| 0 \| 0\.05 \| \*\*REGRESSED\*\*: worse by 1\.000, more than max_regression 0\.05 \|/,
  );
  // Checkpoint A answered the same in both runs: no detectable change, gate passes.
  const gtmA = r.stdout.split('### target gtm-a')[1].split('###')[0];
  assert.match(gtmA, /\| `format\.parse` \| yes \| 42 \| 1\.000 \| 1\.000 \| 0\.0000 \[0\.0000, 0\.0000\] \| 0 \| 0\.05 \| no detectable change/);
  assert.match(r.stdout, /Gates: from test\/fixtures\/report\/suite\.yaml/);
  assert.equal(readdirSync(out).sort(), ['compare.csv', 'compare.html', 'compare.json', 'compare.md', 'gates.junit.xml']);
  const junit = readFileSync(join(out, 'gates.junit.xml'), 'utf8');
  assert.match(junit, /<testsuite name="gtm-bench gates report-fixture: gtm-b" tests="2" failures="2"/);
  assert.match(junit, /<testsuite name="gtm-bench gates report-fixture: gtm-a" tests="2" failures="0"/);
  const json = JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8'));
  assert.is(json.failed, true);
  assert.match(readFileSync(join(out, 'compare.csv'), 'utf8'), /^target_a,target_b,metric,lower_is_better,pairs/);
});

test('compare --target-a/--target-b pairs two checkpoints of one run; the same run against itself passes', async () => {
  const r = await inProcess(() => compareCommand(runB, runB, { targetA: 'gtm-a', targetB: 'gtm-b' }));
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stdout, /### gtm-a \(A\) vs gtm-b \(B\)/);
  const same = await inProcess(() => compareCommand(runA, runA, {}));
  assert.is(same.code, 0, same.stderr);
  assert.match(same.stdout, /\*\*Result: passed\*\*/);
  const bad = await inProcess(() => compareCommand(runA, runB, { targetA: 'gtm-a' }));
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /--target-a and --target-b go together/);
  const unknown = await inProcess(() => compareCommand(runA, runB, { targetA: 'gtm-a', targetB: 'nope' }));
  assert.is(unknown.code, 2);
  assert.match(unknown.stderr, /--target-b nope: no such target with records in run B \(it has: real, reference, gtm-a, gtm-b\)/);
});

test('gtm-bench compare refuses runs over different data (exit 2, naming the files) unless --allow-different-data', async () => {
  const other = join(tmp, 'other');
  mkdirSync(other);
  for (const f of ['records.jsonl', 'manifest.json']) copyFileSync(join(runA, f), join(other, f));
  const m = JSON.parse(readFileSync(join(other, 'manifest.json'), 'utf8'));
  m.datasets['report-calls'].sha256 = '0'.repeat(64);
  writeFileSync(join(other, 'manifest.json'), JSON.stringify(m));
  const r = await inProcess(() => compareCommand(runA, other, {}));
  assert.is(r.code, 2);
  assert.match(
    r.stderr,
    /are not comparable: their inputs differ\. Files that differ:\n  dataset report-calls: test\/fixtures\/report\/calls\.jsonl \(sha256 [0-9a-f]{12}\) vs test\/fixtures\/report\/calls\.jsonl \(sha256 000000000000\)\n/,
  );
  assert.match(r.stderr, /--allow-different-data/);
  const allowed = await inProcess(() => compareCommand(runA, other, { allowDifferentData: true }));
  assert.is(allowed.code, 0, allowed.stderr);
  assert.match(allowed.stdout, /\*\*Compared despite different data\*\*/);
});

test.run();
