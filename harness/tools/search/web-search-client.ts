/**
 * A client for a Jina-style web search API (s.jina.ai): `GET {url}?q=QUERY&num=K` with a bearer key and
 * `Accept: application/json`, answered with `{code, status, data: [{title, url, description, content?}]}`.
 * The key comes from an environment variable (JINA_API_KEY by default) and never leaves this object; requests
 * are spaced by a rate limiter, bounded by a timeout, and retried on 429/5xx/transport errors with backoff
 * (Retry-After honoured). The URL is configurable, so another API with the same shape (or a loopback stand-in
 * in tests) plugs in.
 *
 * Web results have no retrieval score, so none is given: each result carries its `position` (1-based rank in
 * the API's answer). `text` is the page content when the API sent it, else the snippet.
 */
import { UserError } from '../../util/errors.js';
import { defaultRetryPolicy, type RetryPolicy } from '../../net/retry.js';
import type { CallError } from '../../net/call-error.js';
import type { SearchHit } from './bm25-index.js';
import { JsonHttpClient } from '../../net/http-json.js';
import { RateLimiter } from '../../net/rate-limiter.js';

export const DEFAULT_WEB_SEARCH_URL = 'https://s.jina.ai/';
export const DEFAULT_WEB_SEARCH_KEY_ENV = 'JINA_API_KEY';

export interface WebSearchOptions {
  url?: string;
  api_key_env?: string;
  env?: Record<string, string | undefined>;
  requests_per_minute: number;
  timeout_ms: number;
  retries: number;
  connections?: number;
  retry?: Partial<RetryPolicy>;
  /** Injected clock and sleep for the rate limiter (tests). */
  limiter?: { now?: () => number; sleep?: (ms: number, signal?: AbortSignal) => Promise<void> };
}

export type WebSearchOutcome =
  | { ok: true; hits: SearchHit[]; latency_ms: number; retries: number; waited_ms: number }
  | { ok: false; error: CallError; latency_ms: number; retries: number; waited_ms: number };

/** The reason a web search client cannot be made here, or undefined when it can. */
export function webSearchUnavailable(opts: Pick<WebSearchOptions, 'api_key_env' | 'env'>): string | undefined {
  const name = opts.api_key_env ?? DEFAULT_WEB_SEARCH_KEY_ENV;
  const env = opts.env ?? process.env;
  return env[name] ? undefined : `environment variable ${name} is not set; it must hold the web search API key (a Jina key: https://jina.ai/)`;
}

export class WebSearchClient {
  readonly url: string;
  readonly #http: JsonHttpClient;
  readonly #path: string;
  readonly #headers: Record<string, string>;
  readonly #limiter: RateLimiter;
  readonly #timeout: number;

  constructor(opts: WebSearchOptions) {
    const missing = webSearchUnavailable(opts);
    if (missing) throw new UserError(`web search: ${missing}`);
    const key = (opts.env ?? process.env)[opts.api_key_env ?? DEFAULT_WEB_SEARCH_KEY_ENV]!;
    const u = new URL(opts.url ?? DEFAULT_WEB_SEARCH_URL);
    this.url = u.origin + u.pathname;
    this.#path = u.pathname;
    this.#headers = { authorization: `Bearer ${key}`, 'x-respond-with': 'no-content' };
    this.#http = new JsonHttpClient(u.origin, { connections: opts.connections ?? 4, policy: defaultRetryPolicy(opts.retries, opts.retry), secrets: [key] });
    this.#limiter = new RateLimiter({ per_minute: opts.requests_per_minute, ...opts.limiter });
    this.#timeout = opts.timeout_ms;
  }

  async search(query: string, k: number, signal?: AbortSignal): Promise<WebSearchOutcome> {
    const waited_ms = await this.#limiter.acquire(signal);
    const qs = new URLSearchParams({ q: query, num: String(k) });
    const r = await this.#http.request({ method: 'GET', path: `${this.#path}?${qs}`, headers: this.#headers, timeout_ms: this.#timeout, signal });
    if (!r.ok) return { ...r, waited_ms };
    try {
      return { ok: true, hits: readJinaResults(r.value).slice(0, k), latency_ms: r.latency_ms, retries: r.retries, waited_ms };
    } catch (err) {
      return { ok: false, error: { class: 'bad_response', message: `not a search API response: ${(err as Error).message}` }, latency_ms: r.latency_ms, retries: r.retries, waited_ms };
    }
  }

  close(): Promise<void> {
    return this.#http.close();
  }
}

/** Reads `{data: [{title, url, description, content?, date?}]}` into hits, ranked by position (no score). */
export function readJinaResults(body: unknown): SearchHit[] {
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) throw new Error('expected {"data": [{title, url, description}, ...]}');
  return data.map((d, i) => {
    if (!d || typeof d !== 'object') throw new Error(`data[${i}]: expected an object`);
    const r = d as Record<string, unknown>;
    if (typeof r.url !== 'string' || !r.url) throw new Error(`data[${i}].url: expected a string`);
    const text = typeof r.content === 'string' && r.content ? r.content : typeof r.description === 'string' ? r.description : '';
    return { id: r.url, title: typeof r.title === 'string' ? r.title : '', text, position: i + 1, ...(typeof r.date === 'string' && r.date ? { date: r.date } : {}) };
  });
}
