/**
 * The options of the search tool's target kinds (real:bm25, real:retrieve-http, real:web-search), apart from the
 * targets themselves so that the composition root (targets/builtin.ts) can declare them for `validate` without
 * loading SQLite or the HTTP client (undici), which only a suite with such a target needs.
 */
import type { TargetOptionsSpec } from './registry.js';
import { optionSchema as o } from './target-options.js';

export const BM25_OPTIONS: TargetOptionsSpec = {
  properties: {
    corpus: o.text('corpus JSONL ({id, contents} or {id, title, text}), relative to the suite file'),
    index_dir: o.text('where the SQLite index is kept (default: next to the corpus)'),
    default_top_k: o.int(1, 50, 'results when a call gives no top_k'),
    on_bad_row: o.oneOf(['fail', 'skip'], 'a malformed corpus line fails the index build, or is skipped with a warning'),
  },
  required: ['corpus'],
};

export const RETRIEVE_HTTP_OPTIONS: TargetOptionsSpec = {
  properties: {
    url: o.url("the retriever's POST /retrieve URL"),
    timeout_ms: o.int(1, undefined, 'per request'),
    retries: o.int(0, 10, 'after a transport failure or 5xx'),
    default_top_k: o.int(1, 50, 'results when a call gives no top_k'),
  },
  required: ['url'],
};

export const WEB_SEARCH_OPTIONS: TargetOptionsSpec = {
  properties: {
    provider: o.oneOf(['jina', 'serper'], "the API's dialect: jina (GET ?q=&num=, bearer key) or serper (POST {q, num, gl, hl}, X-API-KEY); default jina"),
    url: o.url("the search API endpoint (default: the provider's)"),
    api_key_env: {
      type: 'string',
      pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
      description: "environment variable holding the API key (default: the provider's, JINA_API_KEY or SERPER_API_KEY)",
    },
    gl: o.text("Serper's country code (e.g. us); not sent when unset"),
    hl: o.text("Serper's language code (e.g. en); not sent when unset"),
    requests_per_minute: o.number(0, 'client-side rate limit'),
    timeout_ms: o.int(1, undefined, 'per request'),
    retries: o.int(0, 10, 'after a transport failure, 429 or 5xx'),
    default_top_k: o.int(1, 50, 'results when a call gives no top_k'),
  },
};
