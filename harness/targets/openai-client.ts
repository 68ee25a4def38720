/**
 * A generic client for OpenAI-compatible completion servers (vLLM first), shared by the openai target
 * and the LLM judge. Built on the openai npm client for request building and auth, with three things
 * of our own: the pooled transport (http-pool.ts), retries we can count (retry.ts; the client's own are
 * off), and a deadline that covers the whole body, not just the headers as the client's timeout does.
 * The API key lives only in this object; it never reaches describe(), results or error messages.
 *
 * Cost: the openai client's own per-request work (header building, eager debug-log formatting, an
 * AbortController) is the ceiling on loopback: ~6,000 calls/s at concurrency 64 on the 2-core dev box,
 * the same as bare `openai.post` over the pool, against ~20,000/s for the pool's fetch alone
 * (harness/bench/openai-throughput.ts). A vLLM server generating real tokens is far below either.
 */
import OpenAI from 'openai';
import type { SamplingParams } from '../suite/types.js';
import { createHttpPool, type HttpPool } from './http-pool.js';
import { HttpStatusError, excerpt, httpCallError, transportCallError } from './openai-errors.js';
import { assembleStream, readUsage, type Answer } from './openai-stream.js';
import { defaultRetryPolicy, parseRetryAfter, withRetry, type AttemptResult, type RetryPolicy } from './retry.js';
import type { CallError, TokenUsage } from './types.js';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface CompletionRequest {
  api: 'chat' | 'completions';
  model: string;
  messages?: ChatMessage[];
  prompt?: string;
  sampling: SamplingParams;
  stream: boolean;
  /** Deadline for each attempt, from sending the request to the end of the body. */
  timeout_ms: number;
  signal?: AbortSignal;
}

export interface CompletionResult {
  text: string | null;
  usage?: TokenUsage;
  finish_reason?: string;
  /** Streams only: from the start of the attempt that answered to its first non-empty piece of text. */
  ttft_ms?: number;
  /** The whole call: every attempt and every backoff wait. */
  latency_ms: number;
  retries: number;
  error: CallError | null;
}

export interface OpenAICompatClientOptions {
  base_url: string;
  /** Name of the environment variable holding the key; when it is absent or unset the key is 'EMPTY' (vLLM accepts any). */
  api_key_env?: string;
  concurrency: number;
  retries: number;
  retry?: Partial<RetryPolicy>;
  /** Where to read the key from (tests); default process.env. */
  env?: Record<string, string | undefined>;
}

/** Keeps the error body the openai client would otherwise reduce to a message (it drops vLLM's flat shape). */
class KeepBodyOpenAI extends OpenAI {
  protected override makeStatusError(status: number, error: object, message: string | undefined, headers: Headers) {
    return new HttpStatusError(status, error, message, headers);
  }
}

export class OpenAICompatClient {
  readonly base_url: string;
  readonly #key: string;
  readonly #pool: HttpPool;
  readonly #client: OpenAI;
  readonly #policy: RetryPolicy;
  readonly #opts: OpenAICompatClientOptions;

  constructor(opts: OpenAICompatClientOptions) {
    this.#opts = opts;
    this.base_url = opts.base_url.replace(/\/+$/, '');
    const env = opts.env ?? process.env;
    // vLLM started without --api-key accepts any key, so an unset variable means "no key", not "cannot run";
    // a server that does want one answers 401, which the record classifies with the server's message.
    const key = (opts.api_key_env ? env[opts.api_key_env] : undefined) || 'EMPTY';
    this.#key = key;
    this.#pool = createHttpPool(this.base_url, { connections: opts.concurrency });
    this.#client = new KeepBodyOpenAI({
      baseURL: this.base_url,
      apiKey: key,
      maxRetries: 0,
      fetch: this.#pool.fetch,
      // Our own deadline (per attempt, body included) fires first; this one is only a backstop.
      timeout: 24 * 3600_000,
      // Nothing from the OPENAI_* environment: the client would otherwise pick up OPENAI_ADMIN_KEY (sent only
      // on admin endpoints today, but never wanted near a third-party server), org/project headers and log level.
      adminAPIKey: null,
      logLevel: 'off',
      organization: null,
      project: null,
    });
    this.#policy = defaultRetryPolicy(opts.retries, opts.retry);
  }

  describe(): Record<string, unknown> {
    const { base_url, api_key_env, concurrency, retries } = this.#opts;
    return { base_url, ...(api_key_env ? { api_key_env } : {}), concurrency, retries };
  }

  /** Removes the key from any text that could leave this object (a server may echo headers back). */
  redact(text: string): string {
    return this.#key.length >= 4 && this.#key !== 'EMPTY' ? text.split(this.#key).join('[redacted]') : text;
  }

  async complete(req: CompletionRequest): Promise<CompletionResult> {
    const start = performance.now();
    const body = requestBody(req);
    const path = req.api === 'chat' ? '/chat/completions' : '/completions';
    const { result, attempts } = await withRetry(this.#policy, () => this.#attempt(req, path, body), req.signal);
    const latency_ms = performance.now() - start;
    if (!result.ok) {
      const error = { ...result.error, message: this.redact(result.error.message) };
      return { text: null, latency_ms, retries: attempts - 1, error };
    }
    return { ...result.value, latency_ms, retries: attempts - 1, error: null };
  }

  async #attempt(req: CompletionRequest, path: string, body: Record<string, unknown>): Promise<AttemptResult<Answer>> {
    if (req.signal?.aborted) return { ok: false, error: { class: 'aborted', message: 'aborted by the caller' } };
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, req.timeout_ms);
    const onAbort = () => controller.abort();
    req.signal?.addEventListener('abort', onAbort, { once: true });
    const start = performance.now();
    let result: AttemptResult<Answer>;
    try {
      const res = await this.#client.post(path, { body, signal: controller.signal }).asResponse();
      result = req.stream && res.body ? await assembleStream(res.body, req.api, start) : parseBody(await res.text(), req.api);
    } catch (err) {
      if (req.signal?.aborted) result = { ok: false, error: { class: 'aborted', message: 'aborted by the caller' } };
      else if (timedOut) result = { ok: false, error: { class: 'timeout', message: `no complete response within ${req.timeout_ms} ms` } };
      else if (err instanceof HttpStatusError) {
        result = { ok: false, error: httpCallError(err), retryAfterMs: parseRetryAfter(err.headers?.get('retry-after')) };
      } else result = { ok: false, error: transportCallError(err) };
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
    }
    // A failed attempt may leave a body half read; aborting releases it instead of leaking the socket.
    if (!result.ok) controller.abort();
    return result;
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}

function requestBody(req: CompletionRequest): Record<string, unknown> {
  const body: Record<string, unknown> = { model: req.model };
  if (req.api === 'chat') body.messages = req.messages;
  else body.prompt = req.prompt;
  // Every sampling field set is passed on as is (vLLM takes extras such as top_k the same way).
  for (const [k, v] of Object.entries(req.sampling)) if (v !== undefined) body[k] = v;
  if (req.stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  return body;
}

function parseBody(text: string, api: 'chat' | 'completions'): AttemptResult<Answer> {
  const bad = (message: string): AttemptResult<Answer> => ({ ok: false, error: { class: 'bad_response', message } });
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    return bad(text ? `200 with a non-JSON body: ${excerpt(text)}` : '200 with an empty body');
  }
  const choice = Array.isArray(json?.choices) ? json.choices[0] : undefined;
  if (!choice) return bad(`200 response without choices: ${excerpt(text)}`);
  const content = api === 'chat' ? choice.message?.content : choice.text;
  if (content !== null && content !== undefined && typeof content !== 'string') return bad(`choice text is not a string: ${excerpt(text)}`);
  return { ok: true, value: { text: content ?? '', usage: readUsage(json.usage), finish_reason: choice.finish_reason ?? undefined } };
}
