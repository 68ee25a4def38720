// The embedded retriever: corpus formats and bad rows by line, the FTS5 index built once per corpus hash and
// rebuilt when the corpus changes, BM25 ranking, top_k, and queries that would be FTS5 syntax.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFileSync, copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bm25Index } from '../harness/tools/search/bm25-index.js';
import { parseCorpusRow, readCorpus, splitContents } from '../harness/tools/search/corpus.js';
import { queryTerms, toMatchExpression } from '../harness/tools/search/fts-query.js';
import { UserError } from '../harness/util/errors.js';

const FIX = join(import.meta.dirname, 'fixtures', 'search');
const tmp = mkdtempSync(join(tmpdir(), 'gtm-search-index-'));
const indexFiles = (dir: string) => readdirSync(dir).filter((f) => f.includes('.bm25-'));

test('both corpus shapes are read; Search-R1 titles lose their quotes, contents keep them; ids may be integers', () => {
  assert.equal(splitContents('"Paris"\nParis is the capital.'), { title: 'Paris', text: 'Paris is the capital.' });
  assert.equal(parseCorpusRow('{"id": 7, "title": "T", "text": "x"}').doc, { id: '7', title: 'T', text: 'x', contents: 'T\nx' });
  assert.is(parseCorpusRow('{"id": "p", "contents": "\\"Paris\\"\\n Paris. "}').doc?.contents, '"Paris"\n Paris. ', 'contents unchanged');
  const docs: string[] = [];
  readCorpus(join(FIX, 'corpus-title-text.jsonl'), (d) => docs.push(`${d.id}:${d.title}`));
  assert.equal(docs, ['a:Nairobi', 'b:Mombasa']);
});

test('bad corpus rows are reported by line; skip leaves them out and goes on', () => {
  const file = join(FIX, 'corpus-bad.jsonl');
  try {
    readCorpus(file, () => {}, { display: 'corpus-bad.jsonl' });
    assert.unreachable('a bad corpus must fail');
  } catch (err) {
    assert.instance(err, UserError);
    const lines = (err as UserError).problems.map((p) => `${p.line}:${p.path}`);
    assert.equal(lines, ['2:', '3:id', '4:contents', '5:id']);
    assert.match((err as UserError).problems[3].message, /duplicate id "ok1"/);
  }
  const kept: string[] = [];
  const r = readCorpus(file, (d) => kept.push(d.id), { on_bad_row: 'skip' });
  assert.equal(kept, ['ok1', 'ok3']);
  assert.is(r.skipped.length, 4);
});

test('queries become quoted OR terms: FTS5 operators and quotes cannot break them; stop words dropped', () => {
  assert.equal(queryTerms('What is the capital of "France"?'), ['what', 'capital', 'france']);
  assert.is(toMatchExpression('NEAR(a b) OR -x* "unbalanced'), '"near" OR "b" OR "x" OR "unbalanced"');
  assert.is(toMatchExpression('?!'), null);
  assert.equal(queryTerms('The Who'), ['who']);
  assert.equal(queryTerms('the of'), ['the', 'of'], 'a query of stop words only keeps them');
});

test('the index is built once next to the corpus, reused, and rebuilt when the corpus changes', () => {
  const dir = mkdtempSync(join(tmp, 'c-'));
  const corpus = join(dir, 'corpus.jsonl');
  copyFileSync(join(FIX, 'corpus-contents.jsonl'), corpus);
  const builds: number[] = [];
  const a = Bm25Index.open(corpus, { onBuild: (b) => builds.push(b.docs) });
  assert.ok(a.info.built);
  assert.is(a.info.docs, 5);
  a.close();
  const b = Bm25Index.open(corpus, { onBuild: (x) => builds.push(x.docs) });
  assert.not.ok(b.info.built, 'the same corpus bytes reuse the index');
  const firstFile = b.info.index_file;
  b.close();
  appendFileSync(corpus, '{"id": "d6", "contents": "Rome\\nRome is the capital of Italy."}\n');
  const c = Bm25Index.open(corpus, { onBuild: (x) => builds.push(x.docs) });
  assert.ok(c.info.built);
  assert.is.not(c.info.index_file, firstFile);
  assert.equal(builds, [5, 6]);
  assert.equal(indexFiles(dir), [c.info.index_file.split('/').pop()], 'the stale index is removed');
  assert.is(c.search('capital of Italy', 1)[0].id, 'd6');
  c.close();
});

test('BM25 ranks the matching document first, scores descend, top_k is honoured', () => {
  const dir = mkdtempSync(join(tmp, 'r-'));
  copyFileSync(join(FIX, 'corpus-contents.jsonl'), join(dir, 'corpus.jsonl'));
  const index = Bm25Index.open(join(dir, 'corpus.jsonl'));
  const hits = index.search('capital of Germany', 3);
  assert.is(hits[0].id, 'd3');
  assert.is(hits[0].title, 'Berlin');
  assert.ok(hits.length <= 3);
  for (let i = 1; i < hits.length; i++) assert.ok(hits[i].score <= hits[i - 1].score);
  assert.is(index.search('currencies', 5)[0].id, '4', 'porter stemming: currencies finds currency');
  assert.equal(index.search('zzzz qqqq', 5), []);
  assert.equal(index.search('"', 5), []);
  assert.is(index.search('Rhone', 1)[0]?.id, 'd2', 'diacritics removed: Rhone finds Rhône');
  index.close();
});

test('a missing corpus is a clear error', () => {
  assert.throws(
    () => Bm25Index.open(join(tmp, 'nope.jsonl')),
    (e: Error) => e instanceof UserError && /no such file/.test(e.message),
  );
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
