/**
 * `real:bm25`: the embedded retriever (harness/tools/search/bm25-index.ts) behind the `search` tool, called
 * in-process. Options: `corpus` (JSONL, {id, contents} or {id, title, text}; relative to the suite file),
 * `index_dir` (default: next to the corpus), `default_top_k` (3), `on_bad_row` (fail | skip).
 * The index is built on first use and reused while the corpus bytes stay the same.
 */
import { portablePath } from '../records/manifest.js';
import { Bm25Index } from '../tools/search/bm25-index.js';
import { checkSearchArgs, formatSearchResults } from '../tools/search/search-tool.js';
import type { TargetFactoryContext } from './registry.js';
import { createLocalTarget } from './local-target.js';
import { TargetOptions } from './target-options.js';
import { BM25_OPTIONS } from './search-target-options.js';
import type { Target } from './types.js';
import type { TargetSpec } from '../suite/types.js';

export async function createBm25Target(spec: TargetSpec, ctx: TargetFactoryContext): Promise<Target> {
  const opts = new TargetOptions(spec, ctx.suite.file, BM25_OPTIONS);
  const corpus = opts.path('corpus');
  const defaultTopK = opts.int('default_top_k', 3, 1, 50);
  const index = Bm25Index.open(corpus, {
    index_dir: opts.optionalPath('index_dir'),
    on_bad_row: opts.oneOf('on_bad_row', ['fail', 'skip'] as const, 'fail'),
    display: portablePath(corpus),
  });
  const info = index.info;
  const target = createLocalTarget({
    name: spec.name,
    kind: spec.kind,
    backend: `real:bm25 (${info.engine}, ${info.docs} docs, corpus sha256 ${info.corpus_sha256.slice(0, 16)})`,
    describe: {
      corpus: portablePath(corpus),
      corpus_sha256: info.corpus_sha256,
      docs: info.docs,
      index_format: info.format,
      engine: info.engine,
      default_top_k: defaultTopK,
      skipped_rows: info.skipped_rows,
    },
    answer: ({ tool, call }) => {
      if (tool.name !== 'search') throw new Error(`real:bm25 implements the search tool, not ${tool.name}`);
      const args = checkSearchArgs(call.arguments, defaultTopK);
      return 'error' in args ? args : formatSearchResults(index.search(args.query, args.top_k), args.top_k);
    },
  });
  return { ...target, close: async () => index.close() };
}
