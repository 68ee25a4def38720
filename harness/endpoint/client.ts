/**
 * The client of a model endpoint, the same for every role: one undici Pool per replica balanced by least
 * outstanding requests with ejection of failing replicas (targets/replica-set.ts), counted retries and a
 * deadline over the whole body (targets/openai-client.ts), and the one response cache (records/cache/). The
 * target, the judge and the policy all get theirs here, so replicas, retries, concurrency and caching mean the
 * same for each.
 *
 * The cache is consulted with the request exactly as it is about to go on the wire (its path and body bytes):
 * a hit returns the stored answer whole, with the latency, usage, retries and backend of the call that produced
 * it, because those are figures of the backend, not of the disk. Only answers are stored, never failures: a
 * timeout or a 503 is a property of that moment, and caching it would make it permanent.
 */
import { OpenAICompatClient, wireRequest, type CompletionRequest, type CompletionResult } from '../targets/openai-client.js';
import type { ReplicaHealthPolicy, ReplicaStats } from '../targets/replica-set.js';
import type { RetryPolicy } from '../net/retry.js';
import { requestCacheKey } from '../records/cache/request-key.js';
import type { ResponseCacheView } from '../records/cache/response-store.js';
import { endpointBackend, endpointUrls, type ModelEndpoint } from './model-endpoint.js';

export interface EndpointClientOptions {
  /** Where the API key is read from (tests); default process.env. */
  env?: Record<string, string | undefined>;
  /** Backoff overrides (tests inject sleep and random). */
  retry?: Partial<RetryPolicy>;
  /** Replica ejection overrides (tests inject a clock). */
  health?: Partial<ReplicaHealthPolicy>;
  /** The suite's limits.response_bytes (net/capped-body.ts); default DEFAULT_RESPONSE_BYTES. */
  maxResponseBytes?: number;
  /** The response cache this role answers from; absent: every request is sent. */
  cache?: ResponseCacheView;
}

export interface EndpointResult extends CompletionResult {
  /** Answered from the cache, sent on a miss, or sent with no cache. */
  cache: 'hit' | 'miss' | 'off';
  /** A hit only: the backend that produced the answer (it may have been another server). */
  backend?: string;
}

export interface EndpointClient {
  complete(req: CompletionRequest): Promise<EndpointResult>;
  /** Manifest entry: base URL(s), key variable, concurrency, retries; never the key. */
  describe(): Record<string, unknown>;
  replicaStats(): ReplicaStats[];
  close(): Promise<void>;
}

export function createEndpointClient(e: ModelEndpoint, opts: EndpointClientOptions = {}): EndpointClient {
  const client = new OpenAICompatClient({
    base_url: endpointUrls(e),
    api_key_env: e.api_key_env,
    concurrency: e.concurrency,
    retries: e.retries,
    retry: opts.retry,
    health: opts.health,
    env: opts.env,
    ...(opts.maxResponseBytes !== undefined ? { max_response_bytes: opts.maxResponseBytes } : {}),
  });
  const cache = opts.cache;
  const backend = endpointBackend(e);
  return {
    async complete(req) {
      const wire = wireRequest(req);
      if (!cache) {
        // The result is this call's own object: marked in place, not copied.
        const r = (await client.complete(req, wire)) as EndpointResult;
        r.cache = 'off';
        return r;
      }
      const key = requestCacheKey(wire, req.model, cache.fingerprint);
      const stored = cache.store.get(key);
      if (stored) {
        cache.counts.hits++;
        return { ...stored, error: null, cache: 'hit' };
      }
      const r = await client.complete(req, wire);
      cache.counts.misses++;
      if (cache.writes && r.error === null && r.text !== null) {
        // The row names the backend that answered, so a later hit says who wrote the answer.
        cache.store.put(key, req.model, { ...withoutError(r), backend });
        cache.counts.stored++;
      }
      return { ...r, cache: 'miss' };
    },
    describe: () => client.describe(),
    replicaStats: () => client.replicaStats(),
    close: () => client.close(),
  };
}

function withoutError(r: CompletionResult): Omit<CompletionResult, 'error'> {
  const { error: _error, ...answer } = r;
  return answer;
}
