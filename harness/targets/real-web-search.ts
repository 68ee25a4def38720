/**
 * `real:web-search`: the `search` tool answered by a Jina-style web search API
 * (harness/tools/search/web-search-client.ts). Options: `url` (https://s.jina.ai/), `api_key_env`
 * (JINA_API_KEY; the key itself never enters the suite), `requests_per_minute` (60), `timeout_ms` (30000),
 * `retries` (3), `default_top_k` (5). Without the key the target is reported as not configured, with the
 * variable's name; nothing is sent.
 */
import type { TargetSpec } from '../suite/types.js';
import { DEFAULT_WEB_SEARCH_KEY_ENV, DEFAULT_WEB_SEARCH_URL, WebSearchClient, webSearchUnavailable } from '../tools/search/web-search-client.js';
import type { TargetFactoryContext, TargetOptionsSpec } from './registry.js';
import { createRemoteSearchTarget } from './remote-search-target.js';
import { optionSchema as o, TargetOptions } from './target-options.js';
import type { Target } from './types.js';

export const WEB_SEARCH_OPTIONS: TargetOptionsSpec = {
  properties: {
    url: o.url('the search API endpoint'),
    api_key_env: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'environment variable holding the API key' },
    requests_per_minute: o.number(0, 'client-side rate limit'),
    timeout_ms: o.int(1, undefined, 'per request'),
    retries: o.int(0, 10, 'after a transport failure, 429 or 5xx'),
    default_top_k: o.int(1, 50, 'results when a call gives no top_k'),
  },
};

export async function createWebSearchTarget(spec: TargetSpec, ctx: TargetFactoryContext): Promise<Target> {
  const opts = new TargetOptions(spec, ctx.suite.file, WEB_SEARCH_OPTIONS);
  const url = opts.url('url', DEFAULT_WEB_SEARCH_URL);
  const api_key_env = opts.string('api_key_env', DEFAULT_WEB_SEARCH_KEY_ENV);
  const requests_per_minute = opts.number('requests_per_minute', 60, 0.001);
  const timeout_ms = opts.int('timeout_ms', 30_000, 1);
  const retries = opts.int('retries', 3, 0, 10);
  const defaultTopK = opts.int('default_top_k', 5, 1, 50);
  const config = { url, api_key_env, requests_per_minute, timeout_ms, retries, score: 'none (web results carry a position, not a score)' };
  const unavailable = webSearchUnavailable({ api_key_env, env: ctx.env });
  const client = unavailable
    ? undefined
    : new WebSearchClient({ url, api_key_env, env: ctx.env, requests_per_minute, timeout_ms, retries, connections: Math.max(1, spec.concurrency) });
  return createRemoteSearchTarget({
    name: spec.name,
    kind: spec.kind,
    backend: `real:web-search ${url}`,
    describe: config,
    defaultTopK,
    ...(unavailable ? { unavailable } : {}),
    search: async (q, k, signal) => {
      if (!client) return { ok: false, error: { class: 'not_configured', message: unavailable! }, latency_ms: 0, retries: 0 };
      return client.search(q, k, signal);
    },
    close: async () => client?.close(),
  });
}
