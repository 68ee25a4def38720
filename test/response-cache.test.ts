/**
 * The response cache (SQLite, WAL) around model targets, and --replay: a cache filled against one server
 * answers a run against another (the key does not hold the base URL), with the recorded latencies, so the
 * summary is byte-identical; failures are never cached; a replay re-scores a run with no server at all,
 * taking what the records lack from the cache, and gives a byte-identical summary.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import '../harness/builtin.js';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSuite } from '../harness/run/run-suite.js';
import { createProgress } from '../harness/cli/progress.js';
import { readRecords } from '../harness/records/reader.js';
import { modelCacheKeyer } from '../harness/records/cache/cache-key.js';
import { requestCacheKey } from '../harness/records/cache/request-key.js';
import { openResponseStore } from '../harness/records/cache/response-store.js';
import { loadSuite } from '../harness/suite/load.js';
import { UserError } from '../harness/util/errors.js';
import { echoResponse } from './support/echo-responder.js';
import { startStandIn, type StandIn } from '../dev/stand-ins/vllm-stand-in.js';
import { editedServingSuite } from './support/serving-suite.js';

const ROOT = new URL('..', import.meta.url).pathname;
const SUITE = join(ROOT, 'test/fixtures/serving/echo-suite.yaml');
const TEMPLATE = join(ROOT, 'harness/prompts/gtm-tool-sim-v1.yaml');
const tmp = mkdtempSync(join(tmpdir(), 'gtm-cache-'));
const quiet = createProgress({ interactive: false, quiet: true });
let a: StandIn;
let b: StandIn;

test.before(async () => {
  a = await startStandIn({ models: ['gtm-echo'], respond: echoResponse, log: true });
  b = await startStandIn({ models: ['gtm-echo'], respond: echoResponse, log: true });
});
test.after(async () => {
  await a.close();
  await b.close();
  rmSync(tmp, { recursive: true, force: true });
});

const envFor = (s: StandIn, cacheDir: string) => ({ GTM_BASE_URL: `${s.url}/v1`, GTM_MODEL: 'gtm-echo', GTM_BENCH_CACHE_DIR: cacheDir });
const completions = (s: StandIn) => s.requests.filter((r) => r.path.endsWith('/completions')).length;
const summaryBytes = (dir: string) => readFileSync(join(dir, 'summary.json'), 'utf8');

test('read-write fills the cache; a run against another server is answered from it, byte for byte', async () => {
  const cacheDir = join(tmp, 'c1');
  const first = await runSuite({
    suiteFile: SUITE,
    targets: ['gtm'],
    limit: 6,
    cache: 'read-write',
    out: join(tmp, 'fill'),
    argv: [],
    progress: quiet,
    env: envFor(a, cacheDir),
  });
  assert.equal({ ...first.manifest.cache, path: null }, { mode: 'read-write', path: null, hits: 0, misses: 12, stored: 12 });
  assert.ok(readRecords(join(first.runDir, 'records.jsonl')).records.every((r) => r.cache === 'miss'));
  const db = new Database(join(cacheDir, 'responses.sqlite'), { readonly: true });
  assert.is(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.is((db.prepare('SELECT count(*) AS n FROM responses').get() as { n: number }).n, 12);
  db.close();

  const before = completions(b);
  const second = await runSuite({
    suiteFile: SUITE,
    targets: ['gtm'],
    limit: 6,
    cache: 'read-only',
    out: join(tmp, 'hit'),
    argv: [],
    progress: quiet,
    env: envFor(b, cacheDir),
  });
  assert.is(completions(b), before, 'the second server was not asked');
  assert.is(second.manifest.cache!.hits, 12);
  const hits = readRecords(join(second.runDir, 'records.jsonl')).records;
  assert.ok(hits.every((r) => r.cache === 'hit'));
  // Each record names the server that wrote the answer, not the one that was never asked.
  assert.ok(hits.every((r) => r.backend === `openai:${a.url}/v1#gtm-echo`));
  assert.is(summaryBytes(second.runDir), summaryBytes(first.runDir));
});

test('the key: model, template, sampling, seed and weights change it; the base URL and concurrency do not', async () => {
  const suite = await loadSuite(SUITE, { env: { GTM_BASE_URL: 'http://x/v1', GTM_MODEL: 'm' } });
  const ctx = { tool: suite.tools[0], call: suite.calls[0], repeat: 0, seed: 11 };
  const config = {
    kind: 'openai',
    model: 'm',
    api: 'chat',
    stream: false,
    sampling: { temperature: 0 },
    template: { file: TEMPLATE, sha256: readSha(TEMPLATE) },
  };
  const key = (c: Record<string, unknown>, fp?: string, seed = 11) => modelCacheKeyer(c, fp)!.key({ ...ctx, seed }).key;
  const base = key(config);
  assert.is(key({ ...config, base_url: 'http://elsewhere:9/v1', concurrency: 64 }), base);
  assert.is.not(key({ ...config, model: 'm2' }), base);
  assert.is.not(key({ ...config, sampling: { temperature: 0.7 } }), base);
  assert.is.not(key(config, undefined, 12), base);
  assert.is.not(key(config, 'f'.repeat(64)), base);
  assert.is.not(key({ ...config, stream: true }), base);
  // A template whose bytes are not the ones the config names cannot predict the request: not cached.
  assert.is(modelCacheKeyer({ ...config, template: { file: TEMPLATE, sha256: '0'.repeat(64) } }), undefined);
  assert.is(modelCacheKeyer({ ...config, kind: 'baseline:reference' }), undefined);
});

function readSha(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

test('failures are never cached; off says off; read-only needs a cache and never writes', async () => {
  const failing = await startStandIn({ models: ['gtm-echo'], respond: () => ({ status: 503 }) });
  try {
    const cacheDir = join(tmp, 'c2');
    const r = await runSuite({
      suiteFile: SUITE,
      targets: ['gtm'],
      limit: 2,
      cache: 'read-write',
      out: join(tmp, 'fail'),
      argv: [],
      progress: quiet,
      env: envFor(failing, cacheDir),
    });
    assert.is(r.manifest.cache!.misses, 4);
    assert.is(r.manifest.cache!.stored, 0);
    const off = await runSuite({ suiteFile: SUITE, limit: 2, out: join(tmp, 'off'), argv: [], progress: quiet, env: envFor(a, cacheDir) });
    assert.ok(readRecords(join(off.runDir, 'records.jsonl')).records.every((x) => x.cache === 'off'));
    try {
      await runSuite({
        suiteFile: SUITE,
        limit: 2,
        cache: 'read-only',
        out: join(tmp, 'ro'),
        argv: [],
        progress: quiet,
        env: envFor(a, join(tmp, 'nothing-here')),
      });
      assert.unreachable('should refuse');
    } catch (err) {
      assert.instance(err, UserError);
      assert.match((err as Error).message, /--cache read-only needs an existing cache/);
    }
  } finally {
    await failing.close();
  }
});

test('the key is the request as the server received it: its path and body bytes, and the model', async () => {
  const cacheDir = join(tmp, 'c3');
  const server = await startStandIn({ models: ['gtm-echo'], respond: echoResponse, log: true });
  try {
    const r = await runSuite({
      suiteFile: SUITE,
      targets: ['gtm'],
      limit: 3,
      cache: 'read-write',
      out: join(tmp, 'bytes'),
      argv: [],
      progress: quiet,
      env: envFor(server, cacheDir),
    });
    assert.is(r.manifest.cache!.stored, 6);
    const store = openResponseStore(join(cacheDir, 'responses.sqlite'), { readOnly: true });
    const sent = server.requests.filter((q) => q.method === 'POST');
    assert.is(sent.length, 6);
    for (const q of sent) {
      // The client's body is JSON.stringify of the request object, so re-serialising what the server parsed gives its bytes.
      const key = requestCacheKey({ path: '/chat/completions', body: JSON.stringify(q.body) }, 'gtm-echo');
      assert.ok(store.get(key), `a row under the key of the body the server received (${q.body.messages?.length} messages)`);
    }
    assert.is(store.get(requestCacheKey({ path: '/completions', body: JSON.stringify(sent[0].body) }, 'gtm-echo')), undefined, 'the path is in the key');
    store.close();
  } finally {
    await server.close();
  }
});

test('--replay re-scores a run with no server at all: a byte-identical summary, server figures included', async () => {
  const cacheDir = join(tmp, 'c4');
  const server = await startStandIn({ models: ['gtm-echo'], respond: echoResponse, metrics: true });
  const original = await runSuite({
    suiteFile: SUITE,
    limit: 8,
    cache: 'read-write',
    out: join(tmp, 'orig'),
    argv: [],
    progress: quiet,
    env: envFor(server, cacheDir),
  });
  await server.close();
  assert.ok(original.summary.server?.length === 1, 'the original run scraped the server');

  const replay = await runSuite({
    suiteFile: SUITE,
    replay: original.runDir,
    out: join(tmp, 'replay'),
    argv: [],
    progress: quiet,
    env: envFor(server, cacheDir),
  });
  assert.is(summaryBytes(replay.runDir), summaryBytes(original.runDir));
  assert.equal(replay.manifest.replay_of, { run_id: original.manifest.run_id, dir: original.runDir, from_records: 32, from_cache: 0, missing: 0 });

  // A run folder missing some model records (cut short): the cache answers them; the reference's are gone for good.
  const partial = join(tmp, 'partial');
  cpSync(original.runDir, partial, { recursive: true });
  const lines = readFileSync(join(partial, 'records.jsonl'), 'utf8').split('\n').filter(Boolean);
  const dropped = lines.filter((l, i) => i % 4 === 0);
  writeFileSync(
    join(partial, 'records.jsonl'),
    lines
      .filter((l, i) => i % 4 !== 0)
      .map((l) => l + '\n')
      .join(''),
  );
  const fromGtm = dropped.filter((l) => JSON.parse(l).target === 'gtm').length;
  const r = await runSuite({
    suiteFile: SUITE,
    replay: partial,
    cache: 'read-only',
    out: join(tmp, 'replay-partial'),
    argv: [],
    progress: quiet,
    env: envFor(server, cacheDir),
  });
  assert.equal(r.manifest.replay_of!.from_cache, fromGtm);
  assert.equal(r.manifest.replay_of!.missing, dropped.length - fromGtm);
  const gtm = (dir: string) => JSON.parse(summaryBytes(dir)).targets.find((t: { name: string }) => t.name === 'gtm');
  assert.equal(gtm(r.runDir), gtm(original.runDir));
});

test("--replay refuses a suite that is not the run's, and flags that would change its plan", async () => {
  const suiteFile = editedServingSuite(join(tmp, 'changed'), (yaml) => yaml.replace('seed: 7', 'seed: 8'));
  const original = join(tmp, 'orig');
  try {
    await runSuite({ suiteFile, replay: original, out: join(tmp, 'never'), argv: [], progress: quiet, env: {} });
    assert.unreachable('should refuse');
  } catch (err) {
    assert.instance(err, UserError, String(err));
    // The seed edited in the file shows as the file's change; replay always uses the run's own seed (issue 13 item 7).
    assert.match((err as UserError).render(), /the suite differs from the run's[\s\S]*the suite file changed/);
  }
  try {
    await runSuite({ suiteFile: SUITE, replay: original, limit: 3, out: join(tmp, 'never2'), argv: [], progress: quiet, env: {} });
    assert.unreachable('should refuse');
  } catch (err) {
    assert.match((err as Error).message, /--replay takes its plan .* drop --limit/);
  }
});

test.run();
