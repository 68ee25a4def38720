/**
 * A client for a web search API, in the dialect of its `provider` (web-search-providers.ts: Jina-style
 * `GET ?q=&num=` with a bearer key, or Serper-style `POST {q, num, gl, hl}` with `X-API-KEY`). The key comes
 * from an environment variable (the provider's default: JINA_API_KEY, SERPER_API_KEY) and never leaves this
 * object; requests are spaced by a rate limiter, bounded by a timeout, and retried on 429/5xx/transport errors
 * with backoff (Retry-After honoured). The URL is configurable, so another API with the same shape (or a
 * loopback stand-in in tests) plugs in.
 *
 * Web results have no retrieval score, so none is given: each result carries its `position` (and `date` when
 * the engine sent one); Serper's answer box comes back beside the results.
 */
import { UserError } from '../../util/errors.js';
import { defaultRetryPolicy, type RetryPolicy } from '../../net/retry.js';
import type { CallError } from '../../net/call-error.js';
import type { SearchHit } from './bm25-index.js';
import type { AnswerBox } from './search-tool.js';
import { JsonHttpClient } from '../../net/http-json.js';
import { RateLimiter } from '../../net/rate-limiter.js';
import { WEB_SEARCH_PROVIDERS, type WebSearchProvider, type WebSearchProviderName } from './web-search-providers.js';

export const DEFAULT_WEB_SEARCH_PROVIDER: WebSearchProviderName = 'jina';

export interface WebSearchOptions {
  provider?: WebSearchProviderName;
  url?: string;
  api_key_env?: string;
  env?: Record<string, string | undefined>;
  /** Serper's country and language (gl, hl); not sent when unset. */
  gl?: string;
  hl?: string;
  requests_per_minute: number;
  timeout_ms: number;
  retries: number;
  connections?: number;
  retry?: Partial<RetryPolicy>;
  /** Injected clock and sleep for the rate limiter (tests). */
  limiter?: { now?: () => number; sleep?: (ms: number, signal?: AbortSignal) => Promise<void> };
}

export type WebSearchOutcome =
  | { ok: true; hits: SearchHit[]; answer_box?: AnswerBox; latency_ms: number; retries: number; waited_ms: number }
  | { ok: false; error: CallError; latency_ms: number; retries: number; waited_ms: number };

/** The provider's defaults (URL, key variable) filled in. */
export function webSearchProvider(name: WebSearchProviderName = DEFAULT_WEB_SEARCH_PROVIDER): WebSearchProvider {
  return WEB_SEARCH_PROVIDERS[name];
}

/** The reason a web search client cannot be made here, or undefined when it can. */
export function webSearchUnavailable(opts: Pick<WebSearchOptions, 'provider' | 'api_key_env' | 'env'>): string | undefined {
  const p = webSearchProvider(opts.provider);
  const name = opts.api_key_env ?? p.default_key_env;
  const env = opts.env ?? process.env;
  return env[name] ? undefined : `environment variable ${name} is not set; it must hold the web search API key (${p.key_hint})`;
}

export class WebSearchClient {
  readonly url: string;
  readonly provider: WebSearchProvider;
  readonly #http: JsonHttpClient;
  readonly #path: string;
  readonly #key: string;
  readonly #opts: WebSearchOptions;
  readonly #limiter: RateLimiter;

  constructor(opts: WebSearchOptions) {
    const missing = webSearchUnavailable(opts);
    if (missing) throw new UserError(`web search: ${missing}`);
    this.provider = webSearchProvider(opts.provider);
    this.#key = (opts.env ?? process.env)[opts.api_key_env ?? this.provider.default_key_env]!;
    const u = new URL(opts.url ?? this.provider.default_url);
    this.url = u.origin + u.pathname;
    this.#path = u.pathname;
    this.#opts = opts;
    this.#http = new JsonHttpClient(u.origin, {
      connections: opts.connections ?? 4,
      policy: defaultRetryPolicy(opts.retries, opts.retry),
      secrets: [this.#key],
    });
    this.#limiter = new RateLimiter({ per_minute: opts.requests_per_minute, ...opts.limiter });
  }

  async search(query: string, k: number, signal?: AbortSignal): Promise<WebSearchOutcome> {
    const waited_ms = await this.#limiter.acquire(signal);
    const req = this.provider.request({ path: this.#path, key: this.#key, query, k, gl: this.#opts.gl, hl: this.#opts.hl });
    const r = await this.#http.request({ ...req, timeout_ms: this.#opts.timeout_ms, signal });
    if (!r.ok) return { ...r, waited_ms };
    try {
      const found = this.provider.read(r.value);
      return {
        ok: true,
        hits: found.hits.slice(0, k),
        ...(found.answer_box ? { answer_box: found.answer_box } : {}),
        latency_ms: r.latency_ms,
        retries: r.retries,
        waited_ms,
      };
    } catch (err) {
      const message = `not a ${this.provider.name} search response: ${(err as Error).message}`;
      return { ok: false, error: { class: 'bad_response', message }, latency_ms: r.latency_ms, retries: r.retries, waited_ms };
    }
  }

  close(): Promise<void> {
    return this.#http.close();
  }
}
