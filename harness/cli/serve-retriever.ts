/**
 * `gtm-bench serve-retriever CORPUS [--port N] [--host H] [--topk K] [--max-topk M]`: serves the embedded BM25 retriever over
 * Search-R1's retrieval protocol (POST /retrieve {queries, topk, return_scores}) until Ctrl-C, so an RL trainer
 * built on Search-R1 trains against gtm-bench's real retriever. The index is built on first use next to the
 * corpus (or in --index-dir) and reused while the corpus is unchanged. `document.contents` is each corpus
 * line's `contents`, byte for byte; topk is taken as Search-R1's server takes it (none or 0: --topk; no cap
 * unless --max-topk is given).
 */
import { Bm25Index } from '../tools/search/bm25-index.js';
import { startRetrieveServer } from '../tools/search/retrieve-server.js';
import { portablePath } from '../records/manifest.js';
import { resolve } from 'node:path';

export interface ServeRetrieverFlags {
  port?: number;
  host?: string;
  topk?: number;
  maxTopk?: number;
  indexDir?: string;
  skipBadRows?: boolean;
}

export async function serveRetrieverCommand(corpus: string, flags: ServeRetrieverFlags): Promise<void> {
  const index = Bm25Index.open(resolve(corpus), {
    index_dir: flags.indexDir,
    on_bad_row: flags.skipBadRows ? 'skip' : 'fail',
    display: portablePath(resolve(corpus)),
    onBuild: (b) => process.stderr.write(`built the BM25 index of ${b.docs} documents in ${(b.ms / 1000).toFixed(1)} s: ${portablePath(b.file)}\n`),
  });
  const server = await startRetrieveServer({
    search: (q, k) => index.search(q, k),
    default_topk: flags.topk ?? 3,
    max_topk: flags.maxTopk,
    host: flags.host,
    port: flags.port ?? 8000,
  });
  const i = index.info;
  process.stderr.write(
    `serving ${i.docs} documents (${i.engine}, corpus sha256 ${i.corpus_sha256.slice(0, 16)}) at ${server.url}/retrieve (Search-R1 protocol; default topk ${flags.topk ?? 3}, ${flags.maxTopk ? `at most ${flags.maxTopk}` : 'no topk cap'}); Ctrl-C stops\n`,
  );
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      const s = server.stats();
      process.stderr.write(`\nstopping: answered ${s.requests} requests, ${s.queries} queries\n`);
      server.close().then(done, done);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  index.close();
}
