// The default search dataset: built from world-countries, the same bytes every time (and the same as the files
// checked in), questions with gold answers and hops, two-hop questions that one search does not answer; the
// QA loader for NQ / HotpotQA style files, bad rows by line.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSearchDataset, SEARCH_DATASET_DIR } from '../harness/datasets/search/build.js';
import type { QaRow } from '../harness/datasets/search/country-questions.js';
import { Bm25Index } from '../harness/tools/search/bm25-index.js';
import { retrievalRecall } from '../harness/tools/search/retrieval-quality.js';
import { loadQaTasks } from '../harness/agents/search/qa-tasks.js';
import { UserError } from '../harness/util/errors.js';

const tmp = mkdtempSync(join(tmpdir(), 'gtm-search-dataset-'));
const FIX = join(import.meta.dirname, 'fixtures', 'search');
type Meta = { files: Record<string, { sha256: string; rows: number }>; questions: { single_hop: number; two_hop: number; total: number } };
let meta: Meta;

test('the build is deterministic and matches the checked-in dataset', async () => {
  meta = (await buildSearchDataset(join(tmp, 'a'))) as unknown as Meta;
  const again = (await buildSearchDataset(join(tmp, 'b'))) as unknown as Meta;
  assert.equal(again.files, meta.files);
  const committed = JSON.parse(readFileSync(join(SEARCH_DATASET_DIR, 'meta.json'), 'utf8')) as Meta;
  assert.equal(meta.files, committed.files, 'datasets/search is what `npm run build:search-dataset` writes');
  assert.ok(meta.questions.total >= 300, 'a few hundred questions at least');
  assert.ok(meta.questions.two_hop >= 100 && meta.questions.single_hop >= 100);
});

test('questions carry golden answers, gold documents and one hop per search; two-hop ones need two', () => {
  const rows = readFileSync(join(tmp, 'a', 'qa.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as QaRow);
  const corpusIds = new Set(
    readFileSync(join(tmp, 'a', 'corpus.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).id as string),
  );
  for (const r of rows) {
    assert.ok(r.golden_answers.length > 0 && r.question.endsWith('?'), r.id);
    for (const d of r.metadata.gold_docs) assert.ok(corpusIds.has(d), `${r.id}: gold doc ${d} is in the corpus`);
    assert.is(r.metadata.hops.length, r.metadata.type === 'two-hop' ? 2 : 1);
  }
  const kabul = rows.find((r) => r.id === 'currency-by-capital-AFG')!;
  assert.equal(kabul.golden_answers, ['Afghan afghani']);
  assert.equal(kabul.metadata.gold_docs, ['country:AFG', 'currency:AFN']);

  const index = Bm25Index.open(join(tmp, 'a', 'corpus.jsonl'));
  // Every 4th question keeps the test fast; the full figures come from `npm run eval:retriever`.
  const table = retrievalRecall(
    rows.filter((_, i) => i % 4 === 0),
    (q, k) => index.search(q, k),
  );
  index.close();
  assert.ok(table['single-hop: gold doc'].at[5] > 0.95, "one search finds a single-hop question's document");
  assert.ok(table['two-hop: hop 1 doc (oracle hop query)'].at[5] > 0.95);
  assert.ok(table['two-hop: all gold docs (question as query)'].at[5] < 0.6, 'one search rarely finds both documents of a two-hop question');
});

test('QA files in FlashRAG, HotpotQA and NQ-open shapes load; bad rows are named by line', () => {
  const file = join(FIX, 'qa-mixed.jsonl');
  try {
    loadQaTasks({ file, on_bad_row: 'fail' });
    assert.unreachable('bad rows fail by default');
  } catch (err) {
    assert.instance(err, UserError);
    assert.equal(
      (err as UserError).problems.map((p) => `${p.line}:${p.path}`),
      ['4:question', '5:golden_answers', '6:'],
    );
  }
  const r = loadQaTasks({ file, on_bad_row: 'skip' });
  assert.equal(
    r.tasks.map((t) => t.id),
    ['q1', '5a8b57f25542995d1e6f1371', 'line-3'],
  );
  assert.equal(r.tasks[1].payload.golden_answers, ['Berlin']);
  assert.equal(r.tasks[2].payload.golden_answers, ['euro', 'EUR']);
  assert.is(r.skipped.length, 3);
  assert.match(r.skipped[0], /qa-mixed\.jsonl:4: question/);
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
