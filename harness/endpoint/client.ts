/**
 * The client of a model endpoint, the same for every role: one undici Pool per replica balanced by least
 * outstanding requests with ejection of failing replicas (targets/replica-set.ts), counted retries and a
 * deadline over the whole body (targets/openai-client.ts). The target, the judge and the policy all get theirs
 * here, so replicas, retries and concurrency mean the same for each.
 */
import { OpenAICompatClient } from '../targets/openai-client.js';
import type { ReplicaHealthPolicy } from '../targets/replica-set.js';
import type { RetryPolicy } from '../net/retry.js';
import { endpointUrls, type ModelEndpoint } from './model-endpoint.js';

export interface EndpointClientOptions {
  /** Where the API key is read from (tests); default process.env. */
  env?: Record<string, string | undefined>;
  /** Backoff overrides (tests inject sleep and random). */
  retry?: Partial<RetryPolicy>;
  /** Replica ejection overrides (tests inject a clock). */
  health?: Partial<ReplicaHealthPolicy>;
  /** The suite's limits.response_bytes (net/capped-body.ts); default DEFAULT_RESPONSE_BYTES. */
  maxResponseBytes?: number;
}

export function createEndpointClient(e: ModelEndpoint, opts: EndpointClientOptions = {}): OpenAICompatClient {
  return new OpenAICompatClient({
    base_url: endpointUrls(e),
    api_key_env: e.api_key_env,
    concurrency: e.concurrency,
    retries: e.retries,
    retry: opts.retry,
    health: opts.health,
    env: opts.env,
    ...(opts.maxResponseBytes !== undefined ? { max_response_bytes: opts.maxResponseBytes } : {}),
  });
}
