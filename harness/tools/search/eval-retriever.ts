/**
 * `npm run eval:retriever [-- CORPUS QA]`: prints the embedded BM25 retriever's recall@1/5 on a QA set
 * (default: datasets/search/corpus.jsonl and qa.jsonl). Nothing is written.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HARNESS_ROOT } from '../../records/manifest.js';
import { Bm25Index } from './bm25-index.js';
import { retrievalRecall, type QaForRecall } from './retrieval-quality.js';

const [corpus = join(HARNESS_ROOT, 'datasets/search/corpus.jsonl'), qa = join(HARNESS_ROOT, 'datasets/search/qa.jsonl')] = process.argv.slice(2);
const index = Bm25Index.open(corpus);
const rows = readFileSync(qa, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as QaForRecall);
const start = performance.now();
const table = retrievalRecall(rows, (q, k) => index.search(q, k));
const ms = performance.now() - start;
console.log(
  `embedded BM25 (${index.info.engine}, ${index.info.docs} documents, corpus sha256 ${index.info.corpus_sha256.slice(0, 16)}), ${rows.length} questions`,
);
console.log('what is retrieved                                  |    n | recall@1 | recall@5');
for (const [name, e] of Object.entries(table)) {
  console.log(`${name.padEnd(50)} | ${String(e.n).padStart(4)} | ${e.at[1].toFixed(3).padStart(8)} | ${e.at[5].toFixed(3).padStart(8)}`);
}
console.log(`(${ms.toFixed(0)} ms for all searches)`);
index.close();
