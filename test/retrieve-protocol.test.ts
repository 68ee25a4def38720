// serve-retriever as Search-R1's retrieval_server.py behaves (search_r1/search/retrieval_server.py):
// document.contents is the corpus line's `contents` byte for byte (wiki-18 titles in quotes included), and topk
// is taken as its `QueryRequest` takes it: missing, null or 0 -> the server default, no upper bound unless
// --max-topk is set. Loopback only.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { Bm25Index } from '../harness/tools/search/bm25-index.js';
import { readRetrieveRequest } from '../harness/tools/search/retrieve-protocol.js';
import { startRetrieveServer, type RetrieveServer } from '../harness/tools/search/retrieve-server.js';

const FIX = join(import.meta.dirname, 'fixtures', 'search');
const tmp = mkdtempSync(join(tmpdir(), 'gtm-retrieve-protocol-'));
const corpus = join(tmp, 'wiki18.jsonl');
copyFileSync(join(FIX, 'corpus-wiki18.jsonl'), corpus);
const lines = readFileSync(corpus, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as { id: string; contents: string });
const contentsById = new Map(lines.map((r) => [r.id, r.contents]));

async function post(server: RetrieveServer, body: unknown): Promise<{ status: number; json: any }> {
  const res = await request(`${server.url}/retrieve`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return { status: res.statusCode, json: await res.body.json() };
}

/** Search-R1's trainer turns a scored result list into its <information> text this way (generation.py). */
function passages2string(result: { document: { contents: string } }[]): string {
  return result
    .map((d, i) => {
      const parts = d.document.contents.split('\n');
      return `Doc ${i + 1}(Title: ${parts[0]}) ${parts.slice(1).join('\n')}\n`;
    })
    .join('');
}

test('document.contents is the corpus line byte for byte; a title in quotes is served in quotes', async () => {
  const index = Bm25Index.open(corpus);
  const server = await startRetrieveServer({ search: (q, k) => index.search(q, k), default_topk: 3 });
  try {
    const queries = ['Evan Morris lobbyist', 'Hotel Lux Moscow', 'leading spaces trailing newline', 'Morris surname Welsh'];
    const scored = await post(server, { queries, topk: 5, return_scores: true });
    assert.is(scored.status, 200);
    let served = 0;
    for (const list of scored.json.result) {
      for (const entry of list) {
        assert.is(entry.document.contents, contentsById.get(entry.document.id), `document ${entry.document.id}`);
        served++;
      }
    }
    assert.ok(served >= queries.length, 'every query found documents');
    assert.is(scored.json.result[0][0].document.id, '0');
    assert.ok(passages2string(scored.json.result[0]).startsWith('Doc 1(Title: "Evan Morris") Evan Morris Evan L. Morris'), 'the trainer sees the quoted title');
    const plain = await post(server, { queries: ['Hotel Lux'] });
    assert.equal(plain.json.result[0][0], { id: '2', contents: '"Hotel ""Lux"""\nThe Hotel Lux was a hotel in Moscow,\tused in the 1920s and 1930s.' });
    // The search tool (real:bm25) keeps its cleaned title field: Search-R1's own BM25 server strips the quotes there too.
    assert.is(index.search('Evan Morris', 1)[0].title, 'Evan Morris');
  } finally {
    await server.close();
    index.close();
  }
});

test('topk: none, null and 0 take the default; 100 is served (no cap by default); --max-topk refuses above it', async () => {
  const index = Bm25Index.open(corpus);
  const open = await startRetrieveServer({ search: (q, k) => index.search(q, k), default_topk: 2 });
  const capped = await startRetrieveServer({ search: (q, k) => index.search(q, k), default_topk: 2, max_topk: 10 });
  const q = ['Morris Genentech Moscow hotel spaces'];
  try {
    for (const topk of [undefined, null, 0]) {
      const r = await post(open, { queries: q, ...(topk === undefined ? {} : { topk }) });
      assert.is(r.status, 200, `topk ${topk}`);
      assert.is(r.json.result[0].length, 2, `topk ${topk}: the server default`);
    }
    const big = await post(open, { queries: q, topk: 100 });
    assert.is(big.status, 200, 'topk 100 with no cap');
    assert.is(big.json.result[0].length, 5, 'every matching document of the 5-document corpus');
    const refused = await post(capped, { queries: q, topk: 100 });
    assert.is(refused.status, 422);
    assert.match(refused.json.detail, /at most 10 .*--max-topk.* found 100/);
    assert.is((await post(capped, { queries: q, topk: 10 })).status, 200);
    assert.is((await post(open, { queries: q, topk: -1 })).status, 422, 'a negative topk is refused');
    assert.is((await post(open, { queries: q, topk: 2.5 })).status, 422, 'a fraction is refused, as pydantic does');
  } finally {
    await open.close();
    await capped.close();
    index.close();
  }
});

test('readRetrieveRequest: the default is marked 0, the cap is optional', () => {
  assert.equal(readRetrieveRequest({ queries: ['a'] }).request, { queries: ['a'], topk: 0, return_scores: false });
  assert.is(readRetrieveRequest({ queries: ['a'], topk: 1000 }).request?.topk, 1000);
  assert.is(readRetrieveRequest({ queries: ['a'], topk: '3' }).request?.topk, 3, 'a whole number as a string, as pydantic reads it');
  assert.match(readRetrieveRequest({ queries: ['a'], topk: 'three' }).error!, /topk: expected a whole number/);
  assert.match(readRetrieveRequest({ queries: ['a'], topk: 51 }, 50).error!, /at most 50/);
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
