/**
 * The LLM judge end to end: the default suite with the stand-in as judge endpoint (scripted verdicts, not a
 * model). Checks judge.* scores, the run's response cache (a second run sends no judge request; --cache read-only
 * reads it and writes nothing), the
 * judge named in the manifest and report, and that a garbage verdict gives null scores with a reason.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSuite } from '../harness/run/run-suite.js';
import { createProgress } from '../harness/cli/progress.js';
import { readRecords } from '../harness/records/reader.js';
import { startStandIn } from '../dev/stand-ins/vllm-stand-in.js';
import { loadSuite } from '../harness/suite/load.js';
import { createJudgeStage } from '../harness/judge/judge-stage.js';

const SUITE = new URL('../suites/default.yaml', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'gtm-judge-'));
const quiet = createProgress({ interactive: false, quiet: true });
test.after(() => rmSync(tmp, { recursive: true, force: true }));

test('judge scores are rescaled from the rubric scale, cached by content, and named in the manifest', async () => {
  const judge = await startStandIn({
    models: ['judge-test'],
    log: true,
    respond: () => ({ text: '{"format": 5, "logic": 4, "semantic": 2, "rationale": "scripted verdict"}' }),
  });
  try {
    const env = { JUDGE_BASE_URL: `${judge.url}/v1`, JUDGE_MODEL: 'judge-test', GTM_BENCH_CACHE_DIR: join(tmp, 'cache') };
    const run = (out: string) => runSuite({ suiteFile: SUITE, limit: 5, out: join(tmp, out), argv: [], progress: quiet, env, targets: ['reference'] });
    const first = await run('a');
    const m = first.summary.targets[0].metrics;
    // 1..5 scale: (5-1)/4 = 1, (4-1)/4 = 0.75, (2-1)/4 = 0.25, overall their mean 2/3.
    assert.is(m['judge.format'].mean, 1);
    assert.is(m['judge.logic'].mean, 0.75);
    assert.is(m['judge.semantic'].mean, 0.25);
    assert.ok(Math.abs(m['judge.overall'].mean! - 2 / 3) < 1e-12);
    const judgeCalls = () => judge.requests.filter((r) => r.path.endsWith('/chat/completions'));
    assert.is(judgeCalls().length, 5);
    const body = judgeCalls()[0].body;
    assert.is(body.model, 'judge-test');
    assert.match(body.messages[1].content, /country/);
    assert.equal(first.manifest.judge!.counts, { cached: 0, requested: 5, failed: 0 });
    assert.is(first.manifest.judge!.backend, `openai:${judge.url}/v1#judge-test`);
    assert.match(readFileSync(join(first.runDir, 'report.md'), 'utf8'), /LLM judge: `openai:http:\/\/127\.0\.0\.1:\d+\/v1#judge-test`/);

    const second = await run('b');
    assert.is(judgeCalls().length, 5, 'the second run is answered from the cache');
    assert.equal(second.manifest.judge!.counts, { cached: 5, requested: 0, failed: 0 });
    assert.equal(second.summary.targets[0].metrics, first.summary.targets[0].metrics);
    // The one response cache of the run (records/cache/), not files of the judge's own; used with --cache off too.
    assert.is(second.manifest.judge!.cache, join(tmp, 'cache', 'responses.sqlite'));
    assert.not.ok(existsSync(join(tmp, 'cache', 'judge')));
    const readOnly = await runSuite({
      suiteFile: SUITE,
      limit: 6,
      out: join(tmp, 'ro'),
      argv: [],
      progress: quiet,
      env,
      targets: ['reference'],
      cache: 'read-only',
    });
    assert.equal(readOnly.manifest.judge!.counts, { cached: 5, requested: 1, failed: 0 }, '--cache read-only: five read, the sixth asked');
    const again = await runSuite({
      suiteFile: SUITE,
      limit: 6,
      out: join(tmp, 'ro2'),
      argv: [],
      progress: quiet,
      env,
      targets: ['reference'],
      cache: 'read-only',
    });
    assert.equal(again.manifest.judge!.counts, { cached: 5, requested: 1, failed: 0 }, '...and not written');
  } finally {
    await judge.close();
  }
});

test('a verdict that does not parse gives null judge scores with the reason, and is not a failed call', async () => {
  const judge = await startStandIn({ models: ['judge-test'], respond: () => ({ text: 'I think it is fine.' }) });
  try {
    const env = { JUDGE_BASE_URL: `${judge.url}/v1`, JUDGE_MODEL: 'judge-test', GTM_BENCH_CACHE_DIR: join(tmp, 'cache2') };
    const r = await runSuite({ suiteFile: SUITE, limit: 3, out: join(tmp, 'c'), argv: [], progress: quiet, env, targets: ['reference'] });
    assert.is(r.exitCode, 0);
    // No mean, but the metric does not vanish: 0 of 3 scored, the 3 counted with their reason.
    const overall = r.summary.targets[0].metrics['judge.overall'];
    assert.equal([overall.n, overall.mean, overall.of, overall.no_answer, overall.not_applicable], [0, null, 3, 0, 3]);
    assert.equal(overall.not_applicable_reasons, { 'judge_unparseable: not_json': 3 });
    const rec = readRecords(join(r.runDir, 'records.jsonl')).records[0];
    assert.is(rec.error, null);
    assert.is(rec.scores['judge.overall'].value, null);
    assert.match(rec.scores['judge.overall'].reasons[0], /^judge_unparseable: not_json/);
  } finally {
    await judge.close();
  }
});

test('without JUDGE_BASE_URL the report says the judge was not configured', async () => {
  const r = await runSuite({ suiteFile: SUITE, limit: 2, out: join(tmp, 'd'), argv: [], progress: quiet, env: {}, targets: ['reference'] });
  assert.is(r.manifest.judge!.status, 'not configured');
  assert.match(
    readFileSync(join(r.runDir, 'report.md'), 'utf8'),
    /LLM judge: not configured \(environment variables JUDGE_BASE_URL, JUDGE_MODEL are not set\)/,
  );
  assert.not.ok(Object.keys(r.summary.targets[0].metrics).some((k) => k.startsWith('judge.')));
});

test("the judge's answers are capped by the suite's limits.response_bytes: an oversized verdict is a judge_error naming response_too_large", async () => {
  const judge = await startStandIn({ models: ['judge-test'], respond: () => ({ text: JSON.stringify({ format: 5, rationale: 'x'.repeat(5000) }) }) });
  try {
    const env = { JUDGE_BASE_URL: `${judge.url}/v1`, JUDGE_MODEL: 'judge-test', GTM_BASE_URL: 'http://127.0.0.1:9/v1', GTM_MODEL: 'x' };
    const suite = await loadSuite(SUITE, { env });
    const stage = createJudgeStage(suite.judge!, { env, maxResponseBytes: 2048 });
    try {
      const call = suite.calls[0];
      const scores = await stage.judge(
        suite.tools.find((t) => t.name === call.tool)!,
        call,
        '{"a":1}',
      );
      assert.ok(scores.length > 0);
      for (const s of scores) {
        assert.is(s.value, null);
        assert.match(s.reasons.join(' '), 'response_too_large');
      }
    } finally {
      await stage.close();
    }
  } finally {
    await judge.close();
  }
});

test.run();
