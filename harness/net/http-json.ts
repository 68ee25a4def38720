/**
 * One JSON request over an undici Pool with a deadline covering the whole body, and retries (retry.ts):
 * the transport shared by the Search-R1 retriever client and the web search client. Errors come back as
 * CallErrors classified the way the model client classifies them (openai-errors.ts), so records of a real
 * search tool and of a simulator read the same.
 */
import { Pool } from 'undici';
import { deadlineAttempt, statusFailure } from './http-attempt.js';
import { excerpt } from './openai-errors.js';
import { withRetry, type AttemptResult, type RetryPolicy } from './retry.js';
import { DEFAULT_RESPONSE_BYTES, readCapped, tooLargeError } from './capped-body.js';
import type { CallError } from './call-error.js';
import { redactMessage } from '../util/redact.js';

export interface JsonRequest {
  method: 'GET' | 'POST';
  /** Path and query string. */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  timeout_ms: number;
  signal?: AbortSignal;
}

export type JsonResult =
  { ok: true; value: unknown; retries: number; latency_ms: number } | { ok: false; error: CallError; retries: number; latency_ms: number };

export class JsonHttpClient {
  readonly origin: string;
  readonly #pool: Pool;
  readonly #policy: RetryPolicy;
  /** Texts never to show in messages (API keys a server might echo back). */
  readonly #secrets: string[];

  readonly #maxBytes: number;

  /** `maxResponseBytes`: a body is read no further (response_too_large); default DEFAULT_RESPONSE_BYTES. */
  constructor(origin: string, opts: { connections: number; policy: RetryPolicy; secrets?: string[]; maxResponseBytes?: number }) {
    this.origin = origin;
    this.#maxBytes = opts.maxResponseBytes ?? DEFAULT_RESPONSE_BYTES;
    this.#pool = new Pool(origin, { connections: opts.connections });
    this.#policy = opts.policy;
    this.#secrets = (opts.secrets ?? []).filter((s) => s.length >= 4);
  }

  async request(req: JsonRequest): Promise<JsonResult> {
    const start = performance.now();
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    const headers = { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...req.headers };
    const { result, attempts } = await withRetry(this.#policy, () => this.#attempt(req, headers, body), req.signal);
    const latency_ms = performance.now() - start;
    if (!result.ok) return { ok: false, error: { ...result.error, message: this.#redact(result.error.message) }, retries: attempts - 1, latency_ms };
    return { ok: true, value: result.value, retries: attempts - 1, latency_ms };
  }

  #attempt(req: JsonRequest, headers: Record<string, string>, body: string | undefined): Promise<AttemptResult<unknown>> {
    return deadlineAttempt<unknown>(req.timeout_ms, req.signal, async (signal) => {
      const res = await this.#pool.request({ path: req.path, method: req.method, headers, body, signal });
      const read = await readCapped(res.body, this.#maxBytes);
      if (res.statusCode >= 400) return statusFailure(res.statusCode, read.text, res.headers['retry-after']);
      if (read.over) return { ok: false, error: tooLargeError(this.#maxBytes, read.bytes) };
      try {
        return { ok: true, value: JSON.parse(read.text) as unknown };
      } catch {
        // Garbled: transient on real servers, so retried like a 5xx (retry.ts), then classified if it persists.
        return { ok: false, error: { class: 'bad_response', message: `HTTP ${res.statusCode} with a non-JSON body: ${excerpt(read.text)}` }, retry: true };
      }
    });
  }

  #redact(text: string): string {
    return redactMessage(text, this.#secrets);
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}
