/**
 * `real:web-search`: the `search` tool answered by a web search API (harness/tools/search/web-search-client.ts).
 * Options: `provider` (jina | serper, default jina), `url` (the provider's: https://s.jina.ai/ or
 * https://google.serper.dev/search), `api_key_env` (the provider's: JINA_API_KEY or SERPER_API_KEY; the key itself
 * never enters the suite), `gl` and `hl` (Serper's country and language), `requests_per_minute` (60),
 * `timeout_ms` (30000), `retries` (3), `default_top_k` (5). Without the key the target is reported as not
 * configured, with the variable's name; nothing is sent.
 */
import type { TargetSpec } from '../suite/types.js';
import { WebSearchClient, webSearchProvider, webSearchUnavailable } from '../tools/search/web-search-client.js';
import type { TargetFactoryContext } from './registry.js';
import { createRemoteSearchTarget } from './remote-search-target.js';
import { TargetOptions } from './target-options.js';
import { WEB_SEARCH_OPTIONS } from './search-target-options.js';
import type { Target } from './types.js';

export async function createWebSearchTarget(spec: TargetSpec, ctx: TargetFactoryContext): Promise<Target> {
  const opts = new TargetOptions(spec, ctx.suite.file, WEB_SEARCH_OPTIONS);
  const provider = opts.oneOf('provider', ['jina', 'serper'] as const, 'jina');
  const p = webSearchProvider(provider);
  const url = opts.url('url', p.default_url);
  const api_key_env = opts.string('api_key_env', p.default_key_env);
  const gl = opts.optionalString('gl');
  const hl = opts.optionalString('hl');
  const requests_per_minute = opts.number('requests_per_minute', 60, 0.001);
  const timeout_ms = opts.int('timeout_ms', 30_000, 1);
  const retries = opts.int('retries', 3, 0, 10);
  const defaultTopK = opts.int('default_top_k', 5, 1, 50);
  const config = {
    provider,
    url,
    api_key_env,
    ...(gl ? { gl } : {}),
    ...(hl ? { hl } : {}),
    requests_per_minute,
    timeout_ms,
    retries,
    score: 'none (web results carry a position, not a score)',
  };
  const unavailable = webSearchUnavailable({ provider, api_key_env, env: ctx.env });
  const client = unavailable
    ? undefined
    : new WebSearchClient({
        provider,
        url,
        api_key_env,
        env: ctx.env,
        gl,
        hl,
        requests_per_minute,
        timeout_ms,
        retries,
        connections: Math.max(1, spec.concurrency),
      });
  return createRemoteSearchTarget({
    name: spec.name,
    kind: spec.kind,
    backend: `real:web-search ${provider} ${url}`,
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
