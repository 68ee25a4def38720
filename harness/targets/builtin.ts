/**
 * Registers every target kind that ships with gtm-bench. A new real tool adds one line here; a kind that takes
 * options declares them (last argument) so that `validate` checks them at their position in the suite.
 */
import { isOpenAITarget } from '../suite/types.js';
import { createReferenceBaseline } from './baseline-reference.js';
import { createSchemaFakerBaseline } from './baseline-schema-faker.js';
import { createOpenAITarget } from './openai.js';
import { createCountryFactsTool } from './real-country-facts.js';
import { createKernelEvalTool, KERNEL_EVAL_OPTIONS } from './real-kernel-eval.js';
import { BM25_OPTIONS, createBm25Target } from './real-bm25.js';
import { createRetrieveHttpTarget, RETRIEVE_HTTP_OPTIONS } from './real-retrieve-http.js';
import { createWebSearchTarget, WEB_SEARCH_OPTIONS } from './real-web-search.js';
import { createMcpTarget, MCP_OPTIONS } from './real-mcp.js';
import { registerTarget } from './registry.js';
import { createPredictionsTarget, PREDICTIONS_OPTIONS } from './predictions.js';

registerTarget('openai', 'any OpenAI-compatible server (vLLM serving a GTM checkpoint); prompt from a template file', (spec, ctx) => {
  if (!isOpenAITarget(spec)) throw new Error(`target ${spec.name} is not an openai target`);
  return createOpenAITarget(spec, { env: ctx.env });
});
registerTarget('baseline:reference', "replays the dataset's recorded real outputs (upper bound)", createReferenceBaseline);
registerTarget(
  'predictions',
  'answers produced elsewhere, read from a JSONL file of {id, output | raw} matched by call id',
  createPredictionsTarget,
  PREDICTIONS_OPTIONS,
);
registerTarget('baseline:schema-faker', 'seeded schema-valid values from the response schema (lower bound)', createSchemaFakerBaseline);
registerTarget('real:country-facts', 'the real country-facts tool over world-countries data', createCountryFactsTool);
registerTarget(
  'real:kernel-eval',
  'the real CUDA kernel evaluator: nvcc compile, GPU run and timing when a GPU exists',
  createKernelEvalTool,
  KERNEL_EVAL_OPTIONS,
);
registerTarget('real:bm25', 'the search tool over a local corpus: BM25 with SQLite FTS5, index kept next to the corpus', createBm25Target, BM25_OPTIONS);
registerTarget(
  'real:retrieve-http',
  "the search tool over a retriever speaking Search-R1's POST /retrieve protocol",
  createRetrieveHttpTarget,
  RETRIEVE_HTTP_OPTIONS,
);
registerTarget(
  'real:web-search',
  'the search tool over a Jina- or Serper-style web search API (provider:; key from an environment variable)',
  createWebSearchTarget,
  WEB_SEARCH_OPTIONS,
);
registerTarget(
  'real:mcp',
  'a real MCP server (stdio command or Streamable HTTP url) through the official SDK; fresh state per session',
  createMcpTarget,
  MCP_OPTIONS,
);
