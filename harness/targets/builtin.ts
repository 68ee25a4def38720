/**
 * Registers every target kind that ships with gtm-bench. A new real tool adds one line here; a kind that takes
 * options declares them (last argument) so that `validate` checks them at their position in the suite.
 */
import { isOpenAITarget } from '../suite/types.js';
import { createReferenceBaseline } from './baseline-reference.js';
import { KERNEL_EVAL_OPTIONS } from './real-kernel-eval-options.js';
import { BM25_OPTIONS, RETRIEVE_HTTP_OPTIONS, WEB_SEARCH_OPTIONS } from './search-target-options.js';
import { MCP_OPTIONS } from './real-mcp-options.js';
import { registerTarget, type TargetFactory } from './registry.js';
import { PREDICTIONS_OPTIONS } from './predictions.js';
import { REPLAY_OPTIONS } from './replay-options.js';

/**
 * A kind's factory that imports the kind's module when a suite first creates such a target: every command loads
 * this file, and loading every kind's code (the MCP SDK, the kernel evaluator, SQLite, undici, json-schema-faker)
 * was a large part of a one-call run's start-up.
 */
function lazy<M>(load: () => Promise<M>, pick: (m: M) => TargetFactory): TargetFactory {
  return async (spec, ctx) => pick(await load())(spec, ctx);
}

registerTarget('openai', 'any OpenAI-compatible server (vLLM serving a GTM checkpoint); prompt from a template file', async (spec, ctx) => {
  if (!isOpenAITarget(spec)) throw new Error(`target ${spec.name} is not an openai target`);
  const { createOpenAITarget } = await import('./openai.js');
  return createOpenAITarget(spec, { env: ctx.env, maxResponseBytes: ctx.suite.limits?.response_bytes, cache: ctx.responseCache });
});
registerTarget('baseline:reference', "replays the dataset's recorded real outputs (upper bound)", createReferenceBaseline);
registerTarget(
  'predictions',
  'answers produced elsewhere, read from a JSONL file of {id, output | raw} matched by call id',
  lazy(
    () => import('./predictions.js'),
    (m) => m.createPredictionsTarget,
  ),
  PREDICTIONS_OPTIONS,
);
registerTarget(
  'replay',
  "answers as a target of an earlier run, from that run folder's records (and the response cache); calls nothing",
  lazy(
    () => import('./replay.js'),
    (m) => m.createReplayTarget,
  ),
  REPLAY_OPTIONS,
);
registerTarget(
  'baseline:schema-faker',
  'seeded schema-valid values from the response schema (lower bound)',
  lazy(
    () => import('./baseline-schema-faker.js'),
    (m) => m.createSchemaFakerBaseline,
  ),
);
registerTarget(
  'real:country-facts',
  'the real country-facts tool over world-countries data',
  lazy(
    () => import('./real-country-facts.js'),
    (m) => m.createCountryFactsTool,
  ),
);
registerTarget(
  'real:kernel-eval',
  'the real CUDA kernel evaluator: nvcc compile, GPU run and timing when a GPU exists',
  lazy(
    () => import('./real-kernel-eval.js'),
    (m) => m.createKernelEvalTool,
  ),
  KERNEL_EVAL_OPTIONS,
);
registerTarget(
  'real:bm25',
  'the search tool over a local corpus: BM25 with SQLite FTS5, index kept next to the corpus',
  lazy(
    () => import('./real-bm25.js'),
    (m) => m.createBm25Target,
  ),
  BM25_OPTIONS,
);
registerTarget(
  'real:retrieve-http',
  "the search tool over a retriever speaking Search-R1's POST /retrieve protocol",
  lazy(
    () => import('./real-retrieve-http.js'),
    (m) => m.createRetrieveHttpTarget,
  ),
  RETRIEVE_HTTP_OPTIONS,
);
registerTarget(
  'real:web-search',
  'the search tool over a Jina- or Serper-style web search API (provider:; key from an environment variable)',
  lazy(
    () => import('./real-web-search.js'),
    (m) => m.createWebSearchTarget,
  ),
  WEB_SEARCH_OPTIONS,
);
registerTarget(
  'real:mcp',
  'a real MCP server (stdio command or Streamable HTTP url) through the official SDK; fresh state per session',
  lazy(
    () => import('./real-mcp.js'),
    (m) => m.createMcpTarget,
  ),
  MCP_OPTIONS,
);
