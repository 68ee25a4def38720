/**
 * A client for a retriever behind Search-R1's HTTP protocol (retrieve-protocol.ts): the user's own e5/FAISS
 * or BM25 server, or `gtm-bench serve-retriever`. One query per request here (an agent asks one at a time);
 * the server may batch several trainers' requests itself.
 */
import { defaultRetryPolicy, type RetryPolicy } from '../../net/retry.js';
import type { CallError } from '../../net/call-error.js';
import type { SearchHit } from './bm25-index.js';
import { JsonHttpClient } from '../../net/http-json.js';
import { readRetrieveResults } from './retrieve-protocol.js';

export interface RetrieveClientOptions {
  /** The endpoint, e.g. http://127.0.0.1:8000/retrieve. */
  url: string;
  timeout_ms: number;
  retries: number;
  connections: number;
  retry?: Partial<RetryPolicy>;
}

export type RetrieveOutcome =
  { ok: true; hits: SearchHit[]; latency_ms: number; retries: number } | { ok: false; error: CallError; latency_ms: number; retries: number };

export class RetrieveClient {
  readonly url: string;
  readonly #http: JsonHttpClient;
  readonly #path: string;
  readonly #opts: RetrieveClientOptions;

  constructor(opts: RetrieveClientOptions) {
    const u = new URL(opts.url);
    this.url = opts.url;
    this.#path = u.pathname + u.search;
    this.#opts = opts;
    this.#http = new JsonHttpClient(u.origin, { connections: opts.connections, policy: defaultRetryPolicy(opts.retries, opts.retry) });
  }

  async retrieve(query: string, topk: number, signal?: AbortSignal): Promise<RetrieveOutcome> {
    const r = await this.#http.request({
      method: 'POST',
      path: this.#path,
      body: { queries: [query], topk, return_scores: true },
      timeout_ms: this.#opts.timeout_ms,
      signal,
    });
    if (!r.ok) return r;
    try {
      const [hits] = readRetrieveResults(r.value, 1);
      return { ok: true, hits, latency_ms: r.latency_ms, retries: r.retries };
    } catch (err) {
      return {
        ok: false,
        error: { class: 'bad_response', message: `not a Search-R1 retrieve response: ${(err as Error).message}` },
        latency_ms: r.latency_ms,
        retries: r.retries,
      };
    }
  }

  close(): Promise<void> {
    return this.#http.close();
  }
}
