/**
 * `real:retrieve-http`: the `search` tool answered by a retriever behind Search-R1's HTTP protocol
 * (POST /retrieve {queries, topk, return_scores}): a user's own e5/FAISS or BM25 server, or
 * `gtm-bench serve-retriever`. This is the route to a real-size corpus: Search-R1's own retrieval_server.py over
 * wiki-18 with e5 embeddings in FAISS (README, "Real-size corpora", has its launch command); the embedded
 * real:bm25 is measured up to 1,000,000 documents (npm run bench:search).
 * Options: `url` (the /retrieve endpoint), `timeout_ms` (30000), `retries` (2), `default_top_k` (3).
 */
import type { TargetSpec } from '../suite/types.js';
import { RetrieveClient } from '../tools/search/retrieve-client.js';
import type { TargetFactoryContext } from './registry.js';
import { createRemoteSearchTarget } from './remote-search-target.js';
import { TargetOptions } from './target-options.js';
import { RETRIEVE_HTTP_OPTIONS } from './search-target-options.js';
import type { Target } from './types.js';

export async function createRetrieveHttpTarget(spec: TargetSpec, ctx: TargetFactoryContext): Promise<Target> {
  const opts = new TargetOptions(spec, ctx.suite.file, RETRIEVE_HTTP_OPTIONS);
  const url = opts.url('url');
  const timeout_ms = opts.int('timeout_ms', 30_000, 1);
  const retries = opts.int('retries', 2, 0, 10);
  const client = new RetrieveClient({ url, timeout_ms, retries, connections: Math.max(1, spec.concurrency) });
  return createRemoteSearchTarget({
    name: spec.name,
    kind: spec.kind,
    backend: `real:retrieve-http ${url}`,
    describe: { url, timeout_ms, retries, protocol: 'Search-R1 POST /retrieve' },
    defaultTopK: opts.int('default_top_k', 3, 1, 50),
    search: (q, k, signal) => client.retrieve(q, k, signal),
    close: () => client.close(),
  });
}
