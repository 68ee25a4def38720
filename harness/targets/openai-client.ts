/**
 * A generic client for OpenAI-compatible completion servers (vLLM first), shared by the three roles of a model
 * endpoint (the openai target, the LLM judge, the agent policy; each gets it through endpoint/client.ts): requests straight onto undici Pools (one per replica, replica-set.ts), retries we
 * can count (net/retry.ts), and a deadline that covers the whole body, not just the headers.
 * The API key lives only in this object; it never reaches describe(), results or error messages.
 *
 * Why not the openai npm client on this path: its per-request work (header objects, eager debug-log
 * formatting, a fetch Response per call) capped it at about 6,000 calls/s at concurrency 64 on the
 * 2-core dev box, against about 17,000/s for Pool.request alone (harness/bench/openai-throughput.ts
 * prints all three). The harness must not be the bottleneck of a benchmark it runs, so requests are
 * built here (a JSON body, a bearer header) and the official client is kept as the conformance check
 * of the loopback stand-in that every test of this file runs against (test/stand-in-conformance.test.ts).
 */
import type { SamplingParams } from '../endpoint/model-endpoint.js';
import { stringifyWithSplice } from '../util/json-splice.js';
import { splitBaseUrls } from '../util/base-urls.js';
import { deadlineAttempt, statusFailure } from '../net/http-attempt.js';
import { excerpt } from '../net/openai-errors.js';
import { cappedChunks, CountingDecoder, DEFAULT_RESPONSE_BYTES, readCapped, tooLargeError } from '../net/capped-body.js';
import { assembleStream, readUsage, type Answer } from './openai-stream.js';
import { ReplicaSet, type Replica, type ReplicaHealthPolicy, type ReplicaStats } from './replica-set.js';
import { defaultRetryPolicy, withRetry, type AttemptResult, type RetryPolicy } from '../net/retry.js';
import type { CallError } from './types.js';
import type { TokenUsage } from '../records/types.js';
import type { ChatMessage } from '../prompts/template.js';
import { redactMessage } from '../util/redact.js';

export interface CompletionRequest {
  api: 'chat' | 'completions';
  model: string;
  messages?: ChatMessage[];
  prompt?: string;
  sampling: SamplingParams;
  /** Function definitions for function calling (chat, non-streamed); the answer's tool_calls carry the calls. */
  tools?: unknown[];
  /**
   * JSON.stringify of `messages` (chat) or `prompt` (completions) when the caller already made it: spliced into
   * the body instead of serialising the prompt again (the openai target also splices it into the record).
   */
  prompt_json?: string;
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
  /** Base URL of the replica that made the last attempt. */
  replica: string;
  /** Function calls of a non-streamed chat answer, when the request offered `tools`. */
  tool_calls?: Answer['tool_calls'];
  /** Invalid UTF-8 sequences in the answer's body, replaced by U+FFFD in `text`. */
  invalid_utf8?: number;
}

export interface OpenAICompatClientOptions {
  /** One base URL, or several replicas of the same model (balanced by least outstanding requests). */
  base_url: string | readonly string[];
  /** Name of the environment variable holding the key; when it is absent or unset the key is 'EMPTY' (vLLM accepts any). */
  api_key_env?: string;
  concurrency: number;
  retries: number;
  retry?: Partial<RetryPolicy>;
  /** Where to read the key from (tests); default process.env. */
  env?: Record<string, string | undefined>;
  /** Ejection of failing replicas (tests inject a clock). */
  health?: Partial<ReplicaHealthPolicy>;
  /** Bytes of an answer's body read at most (the suite's limits.response_bytes); past it, response_too_large. */
  max_response_bytes?: number;
}

export class OpenAICompatClient {
  /** The first replica's base URL (the only one, usually). */
  readonly base_url: string;
  readonly base_urls: readonly string[];
  readonly #key: string;
  readonly #headers: Record<string, string>;
  readonly #replicas: ReplicaSet;
  readonly #policy: RetryPolicy;
  readonly #opts: OpenAICompatClientOptions;

  constructor(opts: OpenAICompatClientOptions) {
    this.#opts = opts;
    this.base_urls = splitBaseUrls(opts.base_url);
    this.base_url = this.base_urls[0];
    const env = opts.env ?? process.env;
    // vLLM started without --api-key accepts any key, so an unset variable means "no key", not "cannot run";
    // a server that does want one answers 401, which the record classifies with the server's message.
    const key = (opts.api_key_env ? env[opts.api_key_env] : undefined) || 'EMPTY';
    this.#key = key;
    this.#headers = { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${key}` };
    this.#replicas = new ReplicaSet(this.base_urls, opts.concurrency, opts.health);
    this.#policy = defaultRetryPolicy(opts.retries, opts.retry);
  }

  describe(): Record<string, unknown> {
    const { api_key_env, concurrency, retries } = this.#opts;
    const base_url = this.base_urls.length === 1 ? this.base_url : this.base_urls;
    return { base_url, ...(api_key_env ? { api_key_env } : {}), concurrency, retries };
  }

  /** Attempts, failures and ejections per replica so far. */
  replicaStats(): ReplicaStats[] {
    return this.#replicas.stats();
  }

  /** Removes the key from any text that could leave this object (a server may echo headers back). */
  redact(text: string): string {
    return redactMessage(text, this.#key !== 'EMPTY' ? [this.#key] : []);
  }

  /** @param wire the request's path and body when the caller already made them (the response cache keys on them). */
  async complete(req: CompletionRequest, wire: WireRequest = wireRequest(req)): Promise<CompletionResult> {
    const start = performance.now();
    const { path, body } = wire;
    let last = this.#replicas.pick(undefined);
    // The first attempt is made here and the retry loop entered only when it failed: the answered call, nearly
    // every call, skips the loop's promise and closure (a few µs at thousands of calls per second).
    let result = await this.#attempt(req, last, path, body);
    let attempts = 1;
    if (!result.ok && this.#policy.retries > 0) {
      const first = result;
      const retried = await withRetry(
        this.#policy,
        (n) => {
          if (n === 0) return Promise.resolve(first);
          last = this.#replicas.pick(last);
          return this.#attempt(req, last, path, body);
        },
        req.signal,
      );
      result = retried.result;
      attempts = retried.attempts;
    }
    const latency_ms = performance.now() - start;
    const replica = last.url;
    if (!result.ok) {
      const error = { ...result.error, message: this.redact(result.error.message) };
      // An answer over the size cap keeps its head (as the server sent it: no redaction of model text here).
      const partial = result.partial
        ? { text: result.partial.text, ...(result.partial.invalid_utf8 ? { invalid_utf8: result.partial.invalid_utf8 } : {}) }
        : {};
      return { text: null, ...partial, latency_ms, retries: attempts - 1, error, replica };
    }
    // The answer object is this call's own (made by #attempt): completed in place rather than copied.
    const answer = result.value as CompletionResult;
    answer.latency_ms = latency_ms;
    answer.retries = attempts - 1;
    answer.error = null;
    answer.replica = replica;
    return answer;
  }

  async #attempt(req: CompletionRequest, replica: Replica, path: string, body: string): Promise<AttemptResult<Answer>> {
    const start = performance.now();
    this.#replicas.begin(replica);
    const cap = this.#opts.max_response_bytes ?? DEFAULT_RESPONSE_BYTES;
    const result = await deadlineAttempt<Answer>(req.timeout_ms, req.signal, async (signal) => {
      const res = await replica.pool.request({ path: replica.basePath + path, method: 'POST', headers: this.#headers, body, signal });
      if (res.statusCode >= 400) return statusFailure(res.statusCode, (await readCapped(res.body, cap)).text, res.headers['retry-after']);
      if (req.stream && String(res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
        const read = { bytes: 0, over: false };
        const decoder = new CountingDecoder();
        const r = await assembleStream(cappedChunks(res.body, cap, read), req.api, start, decoder);
        const invalid = decoder.replaced ? { invalid_utf8: decoder.replaced } : {};
        if (read.over)
          return { ok: false, error: tooLargeError(cap, read.bytes), partial: { text: r.ok ? r.value.text : (r.partial?.text ?? ''), ...invalid } };
        // A truncated stream's partial text is kept only for an answer over the cap (above), as for a body.
        return r.ok ? { ok: true, value: { ...r.value, ...invalid } } : { ok: false, error: r.error, ...(r.retry ? { retry: true } : {}) };
      }
      const read = await readCapped(res.body, cap);
      if (read.over) {
        return { ok: false, error: tooLargeError(cap, read.bytes), partial: { text: read.text, ...(read.replaced ? { invalid_utf8: read.replaced } : {}) } };
      }
      const r = parseBody(read.text, req.api);
      if (r.ok && read.replaced) r.value.invalid_utf8 = read.replaced;
      return r;
    });
    this.#replicas.end(replica, result.ok ? null : result.error.class);
    return result;
  }

  close(): Promise<void> {
    return this.#replicas.close();
  }
}

/** A request as it goes on the wire: the path under the base URL and the exact body bytes. */
export interface WireRequest {
  path: '/chat/completions' | '/completions';
  body: string;
}

export function wireRequest(req: CompletionRequest): WireRequest {
  const body =
    req.prompt_json === undefined
      ? JSON.stringify(requestBody(req))
      : stringifyWithSplice(requestBody(req), req.api === 'chat' ? 'messages' : 'prompt', req.prompt_json);
  return { path: req.api === 'chat' ? '/chat/completions' : '/completions', body };
}

function requestBody(req: CompletionRequest): Record<string, unknown> {
  const body: Record<string, unknown> = { model: req.model };
  if (req.api === 'chat') body.messages = req.messages;
  else body.prompt = req.prompt;
  // Every sampling field set is passed on as is (vLLM takes extras such as top_k the same way).
  for (const [k, v] of Object.entries(req.sampling)) if (v !== undefined) body[k] = v;
  if (req.tools?.length) body.tools = req.tools;
  if (req.stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  return body;
}

function parseBody(text: string, api: 'chat' | 'completions'): AttemptResult<Answer> {
  const bad = (message: string) => ({ ok: false as const, error: { class: 'bad_response' as const, message } });
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    // Garbled or empty: transient on real servers (a proxy hiccup, a cut connection), so retried like a 5xx.
    return { ...bad(text ? `200 with a non-JSON body: ${excerpt(text)}` : '200 with an empty body'), retry: true };
  }
  const choice = Array.isArray(json?.choices) ? json.choices[0] : undefined;
  if (!choice) return bad(`200 response without choices: ${excerpt(text)}`);
  const content = api === 'chat' ? choice.message?.content : choice.text;
  if (content !== null && content !== undefined && typeof content !== 'string') return bad(`choice text is not a string: ${excerpt(text)}`);
  const tool_calls = api === 'chat' ? readToolCalls(choice.message?.tool_calls) : undefined;
  return {
    ok: true,
    value: { text: content ?? '', usage: readUsage(json.usage), finish_reason: choice.finish_reason ?? undefined, ...(tool_calls ? { tool_calls } : {}) },
  };
}

/** OpenAI function calls of a chat answer (vLLM with a tool parser), arguments kept as the model wrote them. */
function readToolCalls(raw: unknown): Answer['tool_calls'] {
  if (!Array.isArray(raw) || raw.length === 0) return undefined;
  return raw
    .filter((c) => c && typeof c === 'object' && typeof c.function?.name === 'string')
    .map((c, i) => ({
      id: typeof c.id === 'string' ? c.id : `call_${i}`,
      name: c.function.name as string,
      arguments: typeof c.function.arguments === 'string' ? c.function.arguments : JSON.stringify(c.function.arguments ?? {}),
    }));
}
