/**
 * The `replay` target named directly in a suite (targets/replay.ts): it answers as a recorded target of an
 * earlier run, the ordinary engine scores its answers, a call its records lack is a counted tool_failure
 * (never a silent gap), and a bad option is refused naming the target and the option. --replay RUN_DIR, the
 * same target for every recorded target, is tested in response-cache.test.ts and cli-exit-codes.test.ts.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import '../harness/builtin.js';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSuite, type RunSuiteResult } from '../harness/run/run-suite.js';
import { runServingSuite, servingSuiteWithTargets } from './support/serving-suite.js';
import { createProgress } from '../harness/cli/progress.js';
import { readRecords } from '../harness/records/reader.js';
import type { TargetSummary } from '../harness/report/summary.js';
import { UserError } from '../harness/util/errors.js';
import { startStandIn } from '../dev/stand-ins/vllm-stand-in.js';

const ROOT = new URL('..', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'gtm-replay-target-'));
const quiet = createProgress({ interactive: false, quiet: true });
let original: RunSuiteResult;

test.before(async () => {
  original = await runServingSuite(join(tmp, 'orig'), quiet);
});
test.after(() => rmSync(tmp, { recursive: true, force: true }));

/** The serving suite with its targets replaced by `targets` (YAML lines), written beside a copy of its data. */
function replaySuite(name: string, targets: string): string {
  return servingSuiteWithTargets(join(tmp, name), targets);
}

const target = (r: { summary: { targets: TargetSummary[] } }, name: string) => r.summary.targets.find((t) => t.name === name)!;

test('a suite naming replay targets re-scores the recorded answers through the engine, nothing called', async () => {
  const suiteFile = replaySuite(
    'direct',
    `  - name: old-gtm\n    kind: replay\n    run: ${original.runDir}\n    target: gtm\n  - name: reference\n    kind: replay\n    run: ${original.runDir}\n`,
  );
  // No GTM_BASE_URL: there is no model endpoint to reach, and none is needed.
  const r = await runSuite({ suiteFile, out: join(tmp, 'direct-run'), argv: [], progress: quiet, env: {} });
  assert.is(r.exitCode, 0);
  for (const [now, then] of [
    ['old-gtm', 'gtm'],
    ['reference', 'reference'],
  ]) {
    const a = target(r, now);
    const b = target(original, then);
    assert.is(a.kind, 'replay');
    assert.is(a.calls, 96);
    assert.is(a.errors, 0);
    // Same answers, same scorers: the same figures, metric by metric, and the recorded backend.
    assert.equal(a.metrics, b.metrics);
    assert.is(a.backend, b.backend);
  }
  const entry = r.manifest.targets.find((t) => t.name === 'old-gtm')!;
  assert.equal(entry.runtime, { from_records: 96, from_cache: 0, missing: 0 });
  assert.is(entry.config.target, 'gtm');
});

test('a call missing from the old records is a counted tool_failure of the replay target, not a silent drop', async () => {
  const partial = join(tmp, 'partial');
  cpSync(original.runDir, partial, { recursive: true });
  const lines = readFileSync(join(partial, 'records.jsonl'), 'utf8').split('\n').filter(Boolean);
  const isDropped = (l: string) => {
    const r = JSON.parse(l);
    return r.target === 'gtm' && r.repeat === 1 && r.call_id.endsWith('1');
  };
  const dropped = lines.filter(isDropped).map((l) => JSON.parse(l).call_id as string);
  assert.ok(dropped.length > 0, 'the fixture has gtm calls to drop');
  writeFileSync(join(partial, 'records.jsonl'), lines.filter((l) => !isDropped(l)).join('\n') + '\n');

  const suiteFile = replaySuite('missing', `  - name: old-gtm\n    kind: replay\n    run: ${partial}\n    target: gtm\n`);
  const r = await runSuite({ suiteFile, out: join(tmp, 'missing-run'), argv: [], progress: quiet, env: {} });
  const t = target(r, 'old-gtm');
  assert.is(t.calls, 96, 'every planned call is in the denominator');
  assert.is(t.errors, dropped.length);
  assert.equal(t.errors_by_class, { tool_failure: dropped.length });
  assert.equal(r.manifest.targets[0].runtime, { from_records: 96 - dropped.length, from_cache: 0, missing: dropped.length });
  const failed = readRecords(join(r.runDir, 'records.jsonl')).records.filter((x) => x.error);
  assert.equal(failed.map((x) => x.call_id).sort(), [...dropped].sort());
  assert.match(failed[0].error!.message, /no answer to call .* \(repeat 1\) by target gtm in /);
  // The suite's max_error_rate (1 in this fixture) decides the exit code, as for any failed call.
  assert.is(r.exitCode, 0);
});

test('a replay target naming a target the run did not run, or a folder that is no run, is refused with the option named', async () => {
  const noSuch = replaySuite('bad-target', `  - name: old\n    kind: replay\n    run: ${original.runDir}\n    target: nope\n`);
  try {
    await runSuite({ suiteFile: noSuch, out: join(tmp, 'never1'), argv: [], progress: quiet, env: {} });
    assert.unreachable('should refuse');
  } catch (err) {
    assert.instance(err, UserError, String(err));
    assert.match((err as Error).message, /target old \(replay\): option target: run .* has no target nope that ran; its targets that ran: gtm, reference/);
  }
  const notRun = replaySuite('bad-run', `  - name: old\n    kind: replay\n    run: ${tmp}\n`);
  try {
    await runSuite({ suiteFile: notRun, out: join(tmp, 'never2'), argv: [], progress: quiet, env: {} });
    assert.unreachable('should refuse');
  } catch (err) {
    assert.instance(err, UserError, String(err));
    assert.match((err as Error).message, /target old \(replay\): option run: .* is not a run folder \(no manifest\.json\)/);
  }
});

test('--replay carries the judge verdicts over from the records: no judge endpoint, the same summary bytes', async () => {
  const judge = await startStandIn({
    models: ['judge-test'],
    respond: () => ({ text: '{"format": 5, "logic": 3, "semantic": 2, "rationale": "scripted verdict, not a model"}' }),
  });
  const suiteFile = join(ROOT, 'suites/default.yaml');
  let judged: RunSuiteResult;
  try {
    const env = { JUDGE_BASE_URL: `${judge.url}/v1`, JUDGE_MODEL: 'judge-test', GTM_BENCH_CACHE_DIR: join(tmp, 'judge-cache') };
    judged = await runSuite({ suiteFile, limit: 4, out: join(tmp, 'judged'), argv: [], progress: quiet, env, targets: ['reference'] });
  } finally {
    await judge.close();
  }
  assert.is(judged.manifest.judge?.status, 'ran');
  assert.ok(target(judged, 'reference').metrics['judge.overall'].n > 0, 'the original run has judge scores');
  // No judge in the environment now, and the stand-in is gone: the verdicts can only come from the records.
  const r = await runSuite({ suiteFile, replay: judged.runDir, out: join(tmp, 'judged-replay'), argv: [], progress: quiet, env: {} });
  assert.is(readFileSync(join(r.runDir, 'summary.json'), 'utf8'), readFileSync(join(judged.runDir, 'summary.json'), 'utf8'));
});

test.run();
