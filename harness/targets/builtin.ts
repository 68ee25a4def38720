/** Registers every target kind that ships with gtm-bench. A new real tool adds one line here. */
import { isOpenAITarget } from '../suite/types.js';
import { createReferenceBaseline } from './baseline-reference.js';
import { createSchemaFakerBaseline } from './baseline-schema-faker.js';
import { createOpenAITarget } from './openai.js';
import { createCountryFactsTool } from './real-country-facts.js';
import { createKernelEvalTool } from './real-kernel-eval.js';
import { createBm25Target } from './real-bm25.js';
import { createRetrieveHttpTarget } from './real-retrieve-http.js';
import { createWebSearchTarget } from './real-web-search.js';
import { createMcpTarget } from './real-mcp.js';
import { registerTarget } from './registry.js';

registerTarget('openai', 'any OpenAI-compatible server (vLLM serving a GTM checkpoint); prompt from a template file', (spec, ctx) => {
  if (!isOpenAITarget(spec)) throw new Error(`target ${spec.name} is not an openai target`);
  return createOpenAITarget(spec, { env: ctx.env });
});
registerTarget('baseline:reference', "replays the dataset's recorded real outputs (upper bound)", createReferenceBaseline);
registerTarget('baseline:schema-faker', 'seeded schema-valid values from the response schema (lower bound)', createSchemaFakerBaseline);
registerTarget('real:country-facts', 'the real country-facts tool over world-countries data', createCountryFactsTool);
registerTarget('real:kernel-eval', 'the real CUDA kernel evaluator: nvcc compile, GPU run and timing when a GPU exists', createKernelEvalTool);
registerTarget('real:bm25', 'the search tool over a local corpus: BM25 with SQLite FTS5, index kept next to the corpus', createBm25Target);
registerTarget('real:retrieve-http', "the search tool over a retriever speaking Search-R1's POST /retrieve protocol", createRetrieveHttpTarget);
registerTarget('real:web-search', 'the search tool over a Jina-style web search API (key from an environment variable)', createWebSearchTarget);
registerTarget('real:mcp', 'a real MCP server (stdio command or Streamable HTTP url) through the official SDK; fresh state per session', createMcpTarget);
