// The real search targets and the answer_recall metric: the fidelity suite end to end (real retriever vs the
// schema-faker baseline), the Search-R1 retrieve protocol served and consumed, and the Jina-style web search
// client against a loopback stand-in (key from the environment, retries, timeout, rate limit).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { runItems } from '../harness/engine/run-items.js';
import { expandPlan } from '../harness/plan/expand.js';
import type { RunRecord } from '../harness/records/types.js';
import { summariseRun } from '../harness/report/summary-fold.js';
import { createScorer } from '../harness/run/score-item.js';
import { loadSuite } from '../harness/suite/load.js';
import { createTarget } from '../harness/targets/registry.js';
import '../harness/builtin.js';
import { answerRecallToken, recallsAnswer } from '../harness/scoring/answer-recall.js';
import type { FamilyInput } from '../harness/scoring/metric-family.js';
import { Bm25Index } from '../harness/tools/search/bm25-index.js';
import { RateLimiter } from '../harness/net/rate-limiter.js';
import { startRetrieveServer } from '../harness/tools/search/retrieve-server.js';
import { WebSearchClient } from '../harness/tools/search/web-search-client.js';
import { createRetrieveHttpTarget } from '../harness/targets/real-retrieve-http.js';
import { createWebSearchTarget } from '../harness/targets/real-web-search.js';
import { createBm25Target } from '../harness/targets/real-bm25.js';
import type { CallContext, Target } from '../harness/targets/types.js';
import type { DatasetCall, LoadedSuite, ToolSpec } from '../harness/suite/types.js';
import { HARNESS_ROOT } from '../harness/records/manifest.js';
import { UserError } from '../harness/util/errors.js';
import { startJinaStandIn } from './support/jina-stand-in.js';

const FIX = join(import.meta.dirname, 'fixtures', 'search');
const tmp = mkdtempSync(join(tmpdir(), 'gtm-search-targets-'));
const corpusDir = mkdtempSync(join(tmp, 'corpus-'));
const corpus = join(corpusDir, 'corpus.jsonl');
copyFileSync(join(FIX, 'corpus-contents.jsonl'), corpus);
const fakeSuite = { file: join(corpusDir, 'suite.yaml') } as LoadedSuite;
const searchTool = { name: 'search' } as ToolSpec;
const ctxFor = (args: Record<string, unknown>): CallContext => ({
  tool: searchTool,
  call: { id: 'c', tool: 'search', arguments: args } as DatasetCall,
  repeat: 0,
  seed: 1,
});
const spec = (kind: string, options: Record<string, unknown>) => ({ name: kind, kind, concurrency: 4, options });

test('answer recall: a golden answer in the first top_k results; invalid or gold-less calls are left out', async () => {
  const out = {
    results: [
      { title: 'Lyon', text: 'A city.' },
      { title: 'Paris', text: 'The capital of France is Paris.' },
    ],
  };
  assert.is(recallsAnswer(out, ['Paris'], 2).value, 1);
  assert.is(recallsAnswer(out, ['Paris'], 1).value, 0, 'only the first k results count');
  assert.is(recallsAnswer(out, ['par'], 2, 'token').value, 0, 'token match: whole tokens, not substrings');
  assert.is(recallsAnswer(out, ['par'], 2).value, 1, 'substring match (the default): "par" is in "paris"');
  assert.is(recallsAnswer({ error: { code: 'X' } }, ['Paris'], 2).value, 0);
  const call = (extra: Partial<DatasetCall>) =>
    ({ id: 'c', tool: 'search', arguments: { query: 'q', top_k: 2 }, source: { dataset: 'd', line: 1 }, ...extra }) as DatasetCall;
  const score = async (c: DatasetCall, reference?: unknown) =>
    (await answerRecallToken.score({ call: c, parsed: { status: 'json', value: out }, reference } as FamilyInput, {})).map((s) => s.value);
  assert.equal(await score(call({ gold: { golden_answers: ['The Paris'] } }), { results: [] }), [1, 0]);
  assert.equal(await score(call({})), [null, null]);
  assert.equal(await score(call({ gold: { golden_answers: ['Paris'] }, expect_error: true })), [null, null]);
});

test('search-fidelity suite: the real retriever agrees with its references; schema-faker recalls nothing', async () => {
  // The engine's own stages (plan -> targets -> scorer -> records -> summary), without the run folder's reports.
  const suite = await loadSuite(join(HARNESS_ROOT, 'suites', 'search-fidelity.yaml'), { env: {} });
  const specs = suite.targets.filter((t) => t.name === 'real' || t.name === 'schema-faker');
  const targets = new Map<string, Target>();
  for (const t of specs) targets.set(t.name, await createTarget(t, { suite, env: {} }));
  const items = expandPlan(
    suite,
    specs.map((t) => ({ name: t.name, identity: { name: t.name } })),
    { limit: 60, limitMode: 'first' },
  ); // the first 60 calls: all valid searches, each with golden answers
  const records: RunRecord[] = [];
  await runItems(items, {
    targets,
    tools: new Map(suite.tools.map((t) => [t.name, t])),
    concurrency: () => 8,
    scoreItem: createScorer(suite),
    sink: { write: (r) => void records.push(r), close() {}, count: 0 },
  });
  for (const t of targets.values()) await t.close?.();
  const info = specs.map((s) => ({ name: s.name, kind: s.kind, backend: targets.get(s.name)!.backend, status: 'ran' as const }));
  const summary = summariseRun({ name: suite.name, hash: suite.hash }, info, records);
  const byName = Object.fromEntries(summary.targets.map((t) => [t.name, t]));
  const real = byName.real.metrics;
  const faker = byName['schema-faker'].metrics;
  assert.is(real['answer_recall.at_k'].n, 60);
  assert.is(real['answer_recall.at_k'].mean, real['answer_recall.reference_at_k'].mean);
  assert.ok(real['answer_recall.at_k'].mean! > 0.5, 'the real retriever recalls answers');
  assert.ok(faker['answer_recall.at_k'].mean! < 0.05, 'random schema-valid text recalls (almost) nothing');
  assert.is(faker['answer_recall.reference_at_k'].mean, real['answer_recall.reference_at_k'].mean, 'the real figure stands beside each target');
  assert.is(real['logic.invariants'].mean, 1);
  assert.is(real['semantic.reference'].mean, 1);
  assert.match(byName.real.backend, /^real:bm25 \(sqlite [\d.]+ fts5/);
});

test('real:bm25 refuses bad arguments the way the tool spec says, and rejects unknown options by name', async () => {
  const t = await createBm25Target(spec('real:bm25', { corpus: 'corpus.jsonl' }), { suite: fakeSuite, env: {} });
  const bad = await t.call(ctxFor({ query: 'x', top_k: 0 }));
  assert.equal(JSON.parse(bad.raw!).error.code, 'INVALID_ARGUMENT');
  const ok = JSON.parse((await t.call(ctxFor({ query: 'capital of Spain', top_k: 2 }))).raw!);
  assert.is(ok.results[0].id, 'd5');
  await t.close!();
  try {
    await createBm25Target(spec('real:bm25', { corpus: 'corpus.jsonl', topk: 3 }), { suite: fakeSuite, env: {} });
    assert.unreachable();
  } catch (err) {
    assert.instance(err, UserError);
    assert.match((err as Error).message, /option topk: unknown option; real:bm25 takes corpus, index_dir, default_top_k, on_bad_row/);
  }
});

test('serve-retriever speaks Search-R1 /retrieve; real:retrieve-http reads it back', async () => {
  const index = Bm25Index.open(corpus);
  const server = await startRetrieveServer({ search: (q, k) => index.search(q, k), default_topk: 2 });
  try {
    const post = async (body: unknown) => {
      const res = await request(`${server.url}/retrieve`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
      return { status: res.statusCode, json: (await res.body.json()) as any };
    };
    const scored = await post({ queries: ['capital of Germany', 'euro currency'], topk: 3, return_scores: true });
    assert.is(scored.status, 200);
    assert.is(scored.json.result.length, 2);
    assert.equal(scored.json.result[0][0].document, { id: 'd3', contents: 'Berlin\nBerlin is the capital of Germany.' });
    assert.type(scored.json.result[0][0].score, 'number');
    const plain = await post({ queries: ['capital of Germany'] });
    assert.is(plain.json.result[0].length, 2, 'no topk: the server default');
    assert.is(plain.json.result[0][0].id, 'd3', 'without return_scores the documents come bare');
    const bad = await post({ queries: 'not a list' });
    assert.is(bad.status, 422);
    assert.match(bad.json.detail, /queries/);

    const t = await createRetrieveHttpTarget(spec('real:retrieve-http', { url: `${server.url}/retrieve`, retries: 0 }), { suite: fakeSuite, env: {} });
    const local = await createBm25Target(spec('real:bm25', { corpus: 'corpus.jsonl' }), { suite: fakeSuite, env: {} });
    const args = { query: 'capital of France', top_k: 3 };
    const viaHttp = await t.call(ctxFor(args));
    assert.is(viaHttp.error, null);
    assert.equal(JSON.parse(viaHttp.raw!), JSON.parse((await local.call(ctxFor(args))).raw!), 'over HTTP or in-process: the same results');
    await t.close!();
    await local.close!();
  } finally {
    await server.close();
    index.close();
  }
  const down = await createRetrieveHttpTarget(spec('real:retrieve-http', { url: `${server.url}/retrieve`, retries: 0 }), { suite: fakeSuite, env: {} });
  const failed = await down.call(ctxFor({ query: 'x', top_k: 1 }));
  assert.is(failed.error?.class, 'connection');
  await down.close!();
});

test('web search: without the key the target is not configured and the client names the variable', async () => {
  const t = await createWebSearchTarget(spec('real:web-search', {}), { suite: fakeSuite, env: {} });
  assert.match(t.unavailable!, /environment variable JINA_API_KEY is not set/);
  assert.throws(
    () => new WebSearchClient({ env: { OTHER: 'x' }, api_key_env: 'MY_SEARCH_KEY', requests_per_minute: 60, timeout_ms: 1000, retries: 0 }),
    (e: Error) => e instanceof UserError && /MY_SEARCH_KEY is not set/.test(e.message),
  );
});

test('web search against a loopback Jina stand-in: results, bearer key, retries after 429/503, timeout, no key in messages', async () => {
  const key = 'jina_test_key_123456';
  const pages = [
    { url: 'https://example.org/paris', title: 'Paris', description: 'Paris is the capital of France.' },
    { url: 'https://example.org/lyon', title: 'Lyon', description: 'Lyon, France.', content: 'Lyon is the third city of France.' },
  ];
  const stand = await startJinaStandIn({ key, pages, queue: [{ status: 429, headers: { 'retry-after': '0' } }, { status: 503 }] });
  const sleeps: number[] = [];
  const client = new WebSearchClient({
    url: stand.url,
    env: { JINA_API_KEY: key },
    requests_per_minute: 6000,
    timeout_ms: 2000,
    retries: 3,
    retry: { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 },
  });
  try {
    const r = await client.search('capital France', 5);
    assert.ok(r.ok);
    if (!r.ok) return;
    assert.is(r.retries, 2, 'a 429 and a 503, then the answer');
    assert.is(sleeps.length, 2);
    assert.equal(
      r.hits.map((h) => h.id),
      ['https://example.org/paris', 'https://example.org/lyon'],
    );
    assert.equal(
      r.hits.map((h) => h.score),
      [undefined, undefined],
      'web results get no invented score',
    );
    assert.equal(
      r.hits.map((h) => h.position),
      [1, 2],
    );
    assert.is(r.hits[1].text, 'Lyon is the third city of France.', 'page content when sent, else the snippet');
    assert.is(stand.requests[2].authorization, `Bearer ${key}`);
    assert.match(stand.requests[2].path, /^\/\?q=capital\+France&num=5$/);
  } finally {
    await client.close();
    await stand.close();
  }
  const slow = await startJinaStandIn({ key, pages, queue: [{ delayMs: 1500 }, { status: 401, body: JSON.stringify({ message: `bad key ${key}` }) }] });
  const c2 = new WebSearchClient({ url: slow.url, env: { JINA_API_KEY: key }, requests_per_minute: 6000, timeout_ms: 300, retries: 0 });
  try {
    const timedOut = await c2.search('paris', 3);
    assert.is(timedOut.ok ? null : timedOut.error.class, 'timeout');
    const denied = await c2.search('paris', 3);
    assert.is(denied.ok ? null : denied.error.class, 'http_4xx');
    assert.not.match(denied.ok ? '' : denied.error.message, key, 'a key echoed by the server is redacted');
  } finally {
    await c2.close();
    await slow.close();
  }
});

test('the rate limiter hands out evenly spaced slots in call order', async () => {
  let now = 1000;
  const waits: number[] = [];
  const limiter = new RateLimiter({ per_minute: 120, now: () => now, sleep: async (ms) => void waits.push(ms) });
  const got = await Promise.all([limiter.acquire(), limiter.acquire(), limiter.acquire()]);
  assert.equal(got, [0, 500, 1000]);
  now += 5000;
  assert.is(await limiter.acquire(), 0, 'after a quiet spell no wait');
  assert.equal(waits, [500, 1000]);
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
