/**
 * --shard I/N and `gtm-bench merge`: shards partition the plan by call (every target and repeat of a call in
 * one shard), three shards merged give the unsharded run's summary (byte for byte when the answers, and so
 * the timings, are the same ones: here from the response cache), and merge refuses runs that are not shards
 * of one plan, overlapping shards, and reports what is missing.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import '../harness/builtin.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSuite } from '../harness/run/run-suite.js';
import { createProgress } from '../harness/cli/progress.js';
import { mergeAndReport } from '../harness/cli/merge.js';
import { mergeRuns } from '../harness/run/merge.js';
import { expandPlan } from '../harness/plan/expand.js';
import { parseShard, shardPlan } from '../harness/plan/shard.js';
import { readRecords } from '../harness/records/reader.js';
import { loadSuite } from '../harness/suite/load.js';
import { UserError } from '../harness/util/errors.js';
import { resolveRequest } from '../harness/records/request-refs.js';
import { readTextStore } from '../harness/records/text-store.js';
import { echoResponse } from './support/echo-responder.js';
import { startStandIn, type StandIn } from '../dev/stand-ins/vllm-stand-in.js';
import { withoutTimings } from './support/summary-compare.js';

const ROOT = new URL('..', import.meta.url).pathname;
const SUITE = join(ROOT, 'test/fixtures/serving/echo-suite.yaml');
const tmp = mkdtempSync(join(tmpdir(), 'gtm-shard-'));
const quiet = createProgress({ interactive: false, quiet: true });
let standIn: StandIn;
let env: Record<string, string>;

test.before(async () => {
  standIn = await startStandIn({ models: ['gtm-echo'], respond: echoResponse });
  env = { GTM_BASE_URL: `${standIn.url}/v1`, GTM_MODEL: 'gtm-echo', GTM_BENCH_CACHE_DIR: join(tmp, 'cache') };
});
test.after(async () => {
  await standIn.close();
  rmSync(tmp, { recursive: true, force: true });
});

const run = (out: string, more: Partial<Parameters<typeof runSuite>[0]> = {}) =>
  runSuite({ suiteFile: SUITE, out: join(tmp, out), argv: ['run', SUITE], progress: quiet, env, ...more });

test('--shard I/N: parsed with clear errors', () => {
  assert.equal(parseShard('2/4'), { index: 2, count: 4 });
  assert.equal(parseShard(' 0 / 1 '), { index: 0, count: 1 });
  for (const bad of ['4/4', '1', 'a/b', '-1/3', '1/0']) {
    assert.throws(
      () => parseShard(bad),
      (e: unknown) => e instanceof UserError && /expected I\/N with 0 <= I < N/.test((e as Error).message),
      bad,
    );
  }
});

test('shards partition the plan by call, round-robin, keeping the plan order', async () => {
  const suite = await loadSuite(SUITE, { env: {} });
  const plan = expandPlan(suite, [
    { name: 'a', identity: { kind: 'a' } },
    { name: 'b', identity: { kind: 'b' } },
  ]);
  const shards = [0, 1, 2].map((index) => [...shardPlan(plan, { index, count: 3 })]);
  const all = [...plan];
  assert.equal(
    shards.map((s) => s.length),
    [64, 64, 64],
  );
  assert.equal(
    shards
      .flat()
      .map((i) => i.id)
      .sort(),
    all.map((i) => i.id).sort(),
  );
  for (const [index, s] of shards.entries()) {
    // Every target and repeat of a call sit in the same shard: 2 targets x 2 repeats per call.
    const calls = new Map<string, number>();
    for (const item of s) calls.set(item.call.id, (calls.get(item.call.id) ?? 0) + 1);
    assert.ok([...calls.values()].every((n) => n === 4));
    assert.equal([...calls.keys()].slice(0, 2), [`echo-${String(index + 1).padStart(2, '0')}`, `echo-${String(index + 4).padStart(2, '0')}`]);
    const ids = new Set(s.map((i) => i.id));
    assert.equal(
      s,
      all.filter((i) => ids.has(i.id)),
      'plan order kept',
    );
  }
});

test("three shards merged: the unsharded run's summary (timings aside), every item once, the shards named", async () => {
  const whole = await run('whole');
  const shards = await Promise.all([0, 1, 2].map((index) => run(`s${index}`, { shard: { index, count: 3 } })));
  assert.equal(
    shards.map((s) => s.manifest.plan.items),
    [64, 64, 64],
  );
  assert.equal(
    shards.map((s) => s.manifest.plan.shard),
    [
      { index: 0, count: 3 },
      { index: 1, count: 3 },
      { index: 2, count: 3 },
    ],
  );
  assert.ok(shards.every((s) => s.manifest.plan.total_items === 192));
  const { merged, summary } = await mergeAndReport(
    shards.map((s) => s.runDir),
    join(tmp, 'merged'),
    [],
  );
  assert.equal(merged.missingShards, []);
  assert.is(merged.missingCount, 0);
  assert.is(merged.manifest.status, 'completed');
  assert.is(merged.manifest.plan.ids_sha256, whole.manifest.plan.ids_sha256);
  assert.equal(
    merged.manifest.merged_from!.map((s) => s.shard),
    ['0/3', '1/3', '2/3'],
  );
  const mergedRecords = readRecords(join(merged.runDir, 'records.jsonl')).records;
  const ids = mergedRecords.map((r) => r.item_id);
  assert.is(new Set(ids).size, 192);
  assert.equal(withoutTimings(summary), withoutTimings(whole.summary));
  // The shards' shared prompt texts came along, each once: every merged record's request is the one sent.
  assert.equal(merged.warnings, []);
  const texts = readTextStore(merged.runDir);
  assert.is(texts.size, 2);
  const wholeTexts = readTextStore(whole.runDir);
  const sent = new Map(
    readRecords(join(whole.runDir, 'records.jsonl')).records.map((r) => [r.item_id, JSON.stringify(resolveRequest(r, wholeTexts, 'whole'))]),
  );
  for (const r of mergedRecords) assert.is(JSON.stringify(resolveRequest(r, texts, 'merged')), sent.get(r.item_id));
});

test('byte-equal summaries: shards answered from the cache the unsharded run filled', async () => {
  const whole = await run('whole-cached', { targets: ['gtm'], cache: 'read-write' });
  const shards = [];
  for (const index of [0, 1, 2, 3]) shards.push(await run(`c${index}`, { targets: ['gtm'], cache: 'read-only', shard: { index, count: 4 } }));
  assert.ok(shards.every((s) => s.manifest.cache!.hits === s.manifest.plan.items && s.manifest.cache!.misses === 0));
  const { merged } = await mergeAndReport(shards.map((s) => s.runDir).reverse(), join(tmp, 'merged-cached'), []);
  assert.is(readFileSync(join(merged.runDir, 'summary.json'), 'utf8'), readFileSync(join(whole.runDir, 'summary.json'), 'utf8'));
});

test('merge refuses overlapping shards and other plans; reports missing shards and items', async () => {
  const expectRefusal = async (dirs: string[], pattern: RegExp) => {
    try {
      await mergeRuns(dirs, join(tmp, `never-${Math.random()}`), []);
      assert.unreachable('should refuse');
    } catch (err) {
      assert.instance(err, UserError);
      assert.match((err as UserError).render(), pattern);
    }
  };
  const s0 = join(tmp, 's0');
  await expectRefusal([s0, s0], /each shard once|overlap/);
  const other = await run('other-seed', { seed: 99, shard: { index: 1, count: 3 } });
  await expectRefusal([s0, other.runDir], /not shards of one plan[\s\S]*seed 7 then, 99 now/);
  const twoOfFour = await run('two-of-four', { shard: { index: 1, count: 4 } });
  await expectRefusal([s0, twoOfFour.runDir], /shards of one plan share N/);

  const { merged } = await mergeAndReport([s0, join(tmp, 's2')], join(tmp, 'merged-partial'), []);
  assert.equal(merged.missingShards, [1]);
  assert.is(merged.missingCount, 64);
  assert.equal(merged.missingItems[0], { call_id: 'echo-02', target: 'gtm', repeat: 0 });
  assert.is(merged.manifest.status, 'interrupted');
  assert.is(merged.manifest.exit_code, 1);
});

test.run();
