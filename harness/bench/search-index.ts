/**
 * `npm run bench:search [-- docs=1000000 queries=500]`: the embedded retriever at scale. A deterministic
 * generated corpus (Zipf-distributed words over a 60,000-word vocabulary whose 33 most frequent words are
 * Lucene's English stop words, as in English text, and the rest made-up syllable words; titles of 2-3 words,
 * 40-120 words of text; Search-R1's {id, contents} shape) is written to a temp folder, indexed with
 * SQLite FTS5 (harness/tools/search/bm25-index.ts, exactly as real:bm25 and serve-retriever do it) and queried.
 * Printed: corpus write time and size, index build time and size, reopen time (the hash check of a corpus whose
 * index exists), and query latency percentiles for two query sets, each query through Bm25Index.search (top 10):
 *   known-item   the 4 rarest words of one document, as a person looking for it would pick distinctive words
 *                (the recall@10 of that document is printed as a sanity check)
 *   zipf-3       3 words drawn from the corpus's word distribution (frequent words included: the slow case;
 *                stop words drawn are dropped by the query parser, as in real queries)
 * Not part of `npm run bench` (minutes on a 2-core box); numbers go to stdout and reports/bench/search-index.json.
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HARNESS_ROOT } from '../records/manifest.js';
import { Bm25Index } from '../tools/search/bm25-index.js';
import { mulberry32 } from '../util/prng.js';
import { percentile } from '../scoring/stats.js';

const arg = (name: string, fallback: number) => {
  const a = process.argv.find((x) => x.startsWith(`${name}=`));
  return a ? Number(a.slice(name.length + 1)) : fallback;
};
const DOCS = arg('docs', 1_000_000);
const QUERIES = arg('queries', 500);
const VOCAB = 60_000;
const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'to', 'vi', 'ze', 'por', 'lan', 'dor', 'mek', 'sil', 'tra', 'bel', 'gon', 'fi', 'ha', 'qu'];

/** Lucene's English stop words, the most frequent words of the generated language. */
const STOP = 'the of and to a in is it that for on was with as by at be this are or an but not no if into such then there these they their will'.split(' ');

/** Stop words first; then made-up words: base-20 digits of the rank spelled as syllables, each one distinct term. */
function word(rank: number): string {
  if (rank < STOP.length) return STOP[rank];
  let s = '';
  let n = rank + 20;
  while (n > 0) {
    s += SYLLABLES[n % 20];
    n = Math.floor(n / 20);
  }
  return s;
}

/** Zipf(1.0) sampler by inverse CDF over precomputed cumulative weights. */
function zipfSampler(next: () => number): () => number {
  const cdf = new Float64Array(VOCAB);
  let sum = 0;
  for (let i = 0; i < VOCAB; i++) cdf[i] = sum += 1 / (i + 1);
  return () => {
    const u = next() * sum;
    let lo = 0;
    let hi = VOCAB - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

async function main(): Promise<void> {
  const words = Array.from({ length: VOCAB }, (_, i) => word(i));
  const next = mulberry32(20251204);
  const zipf = zipfSampler(next);
  const dir = mkdtempSync(join(tmpdir(), 'gtm-bench-search-'));
  const corpus = join(dir, 'corpus.jsonl');
  const knownItems: { doc: string; query: string }[] = [];
  const knownEvery = Math.max(1, Math.floor(DOCS / QUERIES));
  try {
    console.log(`search index bench: ${DOCS.toLocaleString('en')} generated documents, node ${process.version}`);
    let t0 = performance.now();
    const fd = openSync(corpus, 'w');
    let buf = '';
    for (let d = 0; d < DOCS; d++) {
      const title = Array.from({ length: 2 + (d % 2) }, () => words[zipf()]).join(' ');
      const len = 40 + Math.floor(next() * 81);
      const ranks = Array.from({ length: len }, () => zipf());
      if (d % knownEvery === 0 && knownItems.length < QUERIES) {
        const rarest = [...new Set(ranks)].sort((a, b) => b - a).slice(0, 4);
        knownItems.push({ doc: `doc${d}`, query: rarest.map((r) => words[r]).join(' ') });
      }
      buf += JSON.stringify({ id: `doc${d}`, contents: `${title}\n${ranks.map((r) => words[r]).join(' ')}.` }) + '\n';
      if (buf.length > 1 << 22) {
        writeSync(fd, buf);
        buf = '';
      }
    }
    writeSync(fd, buf);
    closeSync(fd);
    const writeS = (performance.now() - t0) / 1000;
    const corpusMb = statSync(corpus).size / 2 ** 20;
    console.log(`corpus written in ${writeS.toFixed(1)} s: ${corpusMb.toFixed(0)} MiB`);

    let built: { docs: number; ms: number; file: string } | undefined;
    t0 = performance.now();
    const index = Bm25Index.open(corpus, { onBuild: (b) => (built = b) });
    const openS = (performance.now() - t0) / 1000;
    const indexMb = statSync(index.info.index_file).size / 2 ** 20;
    console.log(
      `index built in ${(built!.ms / 1000).toFixed(1)} s (open incl. corpus hash: ${openS.toFixed(1)} s): ${indexMb.toFixed(0)} MiB, ${index.info.engine}`,
    );
    index.close();
    t0 = performance.now();
    const reopened = Bm25Index.open(corpus);
    const reopenS = (performance.now() - t0) / 1000;
    if (reopened.info.built) throw new Error('the index was rebuilt for an unchanged corpus');
    console.log(`reopen of the existing index (sha256 of the corpus, meta check): ${reopenS.toFixed(2)} s`);

    const zipfQueries = Array.from({ length: QUERIES }, () => [0, 1, 2].map(() => words[zipf()]).join(' '));
    const sets: Record<string, string[]> = { 'known-item': knownItems.map((k) => k.query), 'zipf-3': zipfQueries };
    const latency: Record<string, Record<string, number>> = {};
    let found = 0;
    for (const q of sets['known-item'].slice(0, 50)) reopened.search(q, 10); // warm the page cache
    for (const [name, queries] of Object.entries(sets)) {
      const ms: number[] = [];
      queries.forEach((q, i) => {
        const s = performance.now();
        const hits = reopened.search(q, 10);
        ms.push(performance.now() - s);
        if (name === 'known-item' && hits.some((h) => h.id === knownItems[i].doc)) found++;
      });
      ms.sort((a, b) => a - b);
      const mean = ms.reduce((a, b) => a + b, 0) / ms.length;
      latency[name] = {
        queries: ms.length,
        mean_ms: round(mean),
        p50_ms: round(percentile(ms, 50)),
        p90_ms: round(percentile(ms, 90)),
        p99_ms: round(percentile(ms, 99)),
        max_ms: round(ms[ms.length - 1]),
      };
      console.log(
        `query latency, ${name.padEnd(10)} (${ms.length} queries, top 10): mean ${mean.toFixed(2)} ms, p50 ${percentile(ms, 50).toFixed(2)}, p90 ${percentile(ms, 90).toFixed(2)}, p99 ${percentile(ms, 99).toFixed(2)} ms`,
      );
    }
    const recall = found / knownItems.length;
    console.log(`known-item recall@10 (the document the 4 words came from): ${recall.toFixed(3)}`);
    reopened.close();
    const results = {
      node: process.version,
      docs: DOCS,
      engine: reopened.info.engine,
      corpus_mib: round(corpusMb, 1),
      corpus_write_s: round(writeS, 1),
      index_build_s: round(built!.ms / 1000, 1),
      index_mib: round(indexMb, 1),
      reopen_s: round(reopenS, 2),
      latency,
      known_item_recall_at_10: round(recall, 3),
    };
    mkdirSync(join(HARNESS_ROOT, 'reports', 'bench'), { recursive: true });
    writeFileSync(join(HARNESS_ROOT, 'reports', 'bench', 'search-index.json'), JSON.stringify(results, null, 2) + '\n');
    console.log('written to reports/bench/search-index.json');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
