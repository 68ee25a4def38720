/**
 * A loopback stand-in for vLLM's OpenAI-compatible server, for tests and throughput benchmarks only.
 * It is NOT a model: it answers with scripted text (or a fixed placeholder) so the harness's HTTP,
 * streaming, retry and error paths can be exercised without a GPU. Nothing it returns may be reported
 * as a model's output. It lives in dev/ (beside test/ and harness/bench/, which both import it), never in
 * harness/: it is no target kind and the compiled build never contains it.
 *
 * It speaks the wire shapes vLLM uses: `/health`, `/v1/models` (with `owned_by: "vllm"` and
 * `max_model_len`), chat and text completions with and without SSE streaming (`stream_options.include_usage`
 * adds a final chunk with empty `choices` and the usage, then `data: [DONE]`), and vLLM's flat error body
 * `{"object":"error","message","type","param","code"}`.
 *
 * Token counts are crude on purpose: whitespace-separated words, not a tokenizer. They only have to be
 * plausible non-zero integers for the usage plumbing to be tested.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StandInMetrics, STAND_IN_VERSION, type RequestTimer } from './vllm-stand-in-metrics.js';

/** One scripted answer. Fields combine: e.g. `{status: 503, headers: {'retry-after': '2'}}`. */
export interface ScriptedResponse {
  /** Completion text (default: a fixed placeholder JSON). */
  text?: string;
  /** Stream pieces; their concatenation is the text. Default: the text split after each space. */
  chunks?: string[];
  /** HTTP status; >= 400 sends a vLLM error body with `text` (or 'injected failure') as its message. */
  status?: number;
  /** Raw body sent as is (garbage, foreign error shapes), with `status` (default 200). */
  body?: string;
  /** Content type for a raw `body` (default application/json, so garbage claims to be JSON). */
  contentType?: string;
  headers?: Record<string, string>;
  /** Waits this long before answering (on top of the server's `latencyMs`). */
  delayMs?: number;
  /** Destroys the socket instead of answering. */
  dropConnection?: boolean;
  /** Streams only: ends the response after the content chunks, without the usage chunk or [DONE]. */
  truncateStream?: boolean;
  /** Streams only: waits this long between chunks. */
  chunkDelayMs?: number;
  finish_reason?: string;
  /** Chat, non-streamed only: function calls in `message.tool_calls` (finish_reason `tool_calls` unless given). */
  tool_calls?: { id?: string; name: string; arguments: string }[];
}

export interface StandInRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** The parsed JSON body of a POST (undefined when absent or not JSON). */
  body: any;
}

export interface StandInOptions {
  /** Model ids served (default `['stand-in']`); any other model gets vLLM's 404. */
  models?: string[];
  max_model_len?: number;
  /** Answers consumed in order before `respond` is asked. */
  queue?: ScriptedResponse[];
  respond?: (req: StandInRequest) => ScriptedResponse | Promise<ScriptedResponse>;
  /** Added latency for every completion request. */
  latencyMs?: number;
  /**
   * Completions served at once; more wait in a FIFO queue, the way vLLM's scheduler holds requests beyond
   * --max-num-seqs. With `latencyMs` this gives the stand-in a fixed capacity (maxConcurrent / latency), so a
   * benchmark can tell whether adding replicas adds throughput. Default: unlimited.
   */
  maxConcurrent?: number;
  /** Keep every request in `requests` (off by default so benchmarks do not grow memory). */
  log?: boolean;
  /** Serve vLLM's Prometheus /metrics and /version (vllm-stand-in-metrics.ts); off by default, so other tests see a plain server. */
  metrics?: boolean;
  /** Port to listen on (default: one the kernel picks), on 127.0.0.1. */
  port?: number;
}

export interface StandIn {
  url: string;
  port: number;
  requests: StandInRequest[];
  /** Most completions that were being answered at the same moment (at most `maxConcurrent` when set). */
  stats: { peakConcurrent: number };
  close(): Promise<void>;
}

const PLACEHOLDER_TEXT = '{"stand_in":"scripted placeholder, not a model output"}';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Words separated by `\s` (the same count as `s.split(/\s+/).filter(Boolean).length`), without building the array. */
function countTokens(s: string): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const space = c < 128 ? c === 32 || (c >= 9 && c <= 13) : /\s/.test(s[i]);
    if (!space && !inWord) n++;
    inWord = !space;
  }
  return n;
}
const splitAfterSpaces = (s: string) => s.match(/\S*\s*/g)!.filter(Boolean);

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** vLLM's error body (the flat shape of its `ErrorResponse`). */
function sendError(res: ServerResponse, status: number, message: string, type: string, headers?: Record<string, string>): void {
  sendJson(res, status, { object: 'error', message, type, param: null, code: status }, headers);
}

function errorType(status: number): string {
  if (status === 400) return 'BadRequestError';
  if (status === 404) return 'NotFoundError';
  if (status === 429) return 'RateLimitError';
  return status >= 500 ? 'InternalServerError' : 'Error';
}

/** The completion requests a stand-in logged (`log: true`), without the pre-flight's GET /v1/models. */
export function completionRequests(s: StandIn): StandInRequest[] {
  return s.requests.filter((r) => r.method === 'POST');
}

export async function startStandIn(opts: StandInOptions = {}): Promise<StandIn> {
  const models = opts.models ?? ['stand-in'];
  const queue = [...(opts.queue ?? [])];
  const requests: StandInRequest[] = [];
  let seq = 0;
  const metrics = opts.metrics ? new StandInMetrics(models[0]) : undefined;

  async function handleCompletion(req: StandInRequest, res: ServerResponse, chat: boolean): Promise<void> {
    const b = req.body;
    if (!b || typeof b !== 'object') return sendError(res, 400, 'request body must be a JSON object', 'BadRequestError');
    if (!models.includes(b.model)) return sendError(res, 404, `The model \`${b.model}\` does not exist.`, 'NotFoundError');
    if (chat && (!Array.isArray(b.messages) || b.messages.length === 0)) {
      return sendError(res, 400, 'messages: field required (a non-empty list)', 'BadRequestError');
    }
    if (!chat && typeof b.prompt !== 'string' && !Array.isArray(b.prompt)) {
      return sendError(res, 400, 'prompt: field required', 'BadRequestError');
    }
    const timer = metrics?.begin();
    if (opts.maxConcurrent !== undefined) await acquireSlot();
    timer?.scheduled();
    answering++;
    stats.peakConcurrent = Math.max(stats.peakConcurrent, answering);
    try {
      await answerCompletion(req, res, chat, b, timer);
    } finally {
      timer?.end();
      answering--;
      if (opts.maxConcurrent !== undefined) releaseSlot();
    }
  }

  let answering = 0;
  const stats = { peakConcurrent: 0 };

  let busy = 0;
  const waiting: (() => void)[] = [];
  async function acquireSlot(): Promise<void> {
    if (busy < opts.maxConcurrent!) {
      busy++;
      return;
    }
    // The slot is handed over by releaseSlot, so `busy` stays counted for the waiter.
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
  function releaseSlot(): void {
    const next = waiting.shift();
    if (next) next();
    else busy--;
  }

  async function answerCompletion(req: StandInRequest, res: ServerResponse, chat: boolean, b: any, timer?: RequestTimer): Promise<void> {
    const script: ScriptedResponse = queue.length > 0 ? queue.shift()! : ((await opts.respond?.(req)) ?? {});
    const delay = (opts.latencyMs ?? 0) + (script.delayMs ?? 0);
    if (delay > 0) await sleep(delay);
    if (script.dropConnection) return void res.socket?.destroy();
    if (script.body !== undefined) {
      res.writeHead(script.status ?? 200, { 'content-type': script.contentType ?? 'application/json', ...script.headers });
      return void res.end(script.body);
    }
    if (script.status && script.status >= 400) {
      return sendError(res, script.status, script.text ?? 'injected failure', errorType(script.status), script.headers);
    }

    const pieces = script.chunks ?? splitAfterSpaces(script.text ?? PLACEHOLDER_TEXT);
    const text = pieces.join('');
    const promptText = chat ? b.messages.map((m: any) => String(m.content ?? '')).join(' ') : String(b.prompt);
    const usage = { prompt_tokens: countTokens(promptText), completion_tokens: countTokens(text), total_tokens: 0 };
    usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
    const finish_reason = script.finish_reason ?? (script.tool_calls?.length ? 'tool_calls' : 'stop');
    const tool_calls = (script.tool_calls ?? []).map((c, i) => ({
      id: c.id ?? `chatcmpl-tool-${seq}-${i}`,
      type: 'function',
      function: { name: c.name, arguments: c.arguments },
    }));
    const id = `${chat ? 'chatcmpl' : 'cmpl'}-standin${++seq}`;
    const created = Math.floor(Date.now() / 1000);
    const object = chat ? 'chat.completion' : 'text_completion';

    if (!b.stream) {
      const choice = chat
        ? {
            index: 0,
            message: { role: 'assistant', content: tool_calls.length && !script.text ? null : text, tool_calls },
            logprobs: null,
            finish_reason,
            stop_reason: null,
          }
        : { index: 0, text, logprobs: null, finish_reason, stop_reason: null };
      timer?.firstToken();
      timer?.done(usage.prompt_tokens, usage.completion_tokens, finish_reason);
      return sendJson(res, 200, { id, object, created, model: b.model, choices: [choice], usage }, script.headers);
    }

    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...script.headers });
    const chunkObject = chat ? 'chat.completion.chunk' : 'text_completion';
    const send = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      res.write(`data: ${JSON.stringify({ id, object: chunkObject, created, model: b.model, choices, ...extra })}\n\n`);
    // vLLM opens a chat stream with a role-only delta.
    if (chat) send([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]);
    for (let i = 0; i < pieces.length; i++) {
      if (script.chunkDelayMs && i > 0) await sleep(script.chunkDelayMs);
      const last = i === pieces.length - 1;
      const fr = last && !script.truncateStream ? finish_reason : null;
      if (i === 0) timer?.firstToken();
      send([
        chat
          ? { index: 0, delta: { content: pieces[i] }, logprobs: null, finish_reason: fr }
          : { index: 0, text: pieces[i], logprobs: null, finish_reason: fr, stop_reason: null },
      ]);
    }
    if (script.truncateStream) return void res.end();
    timer?.done(usage.prompt_tokens, usage.completion_tokens, finish_reason);
    if (b.stream_options?.include_usage) send([], { usage });
    res.end('data: [DONE]\n\n');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    let body: any;
    if (req.method === 'POST') {
      const parts: Buffer[] = [];
      for await (const c of req) parts.push(c as Buffer);
      try {
        body = JSON.parse(Buffer.concat(parts).toString('utf8'));
      } catch {
        body = undefined;
      }
    }
    const entry: StandInRequest = { method: req.method ?? 'GET', path, headers: req.headers, body };
    if (opts.log) requests.push(entry);

    if (req.method === 'GET' && path === '/health') return void res.writeHead(200, { 'content-length': 0 }).end();
    if (metrics && req.method === 'GET' && path === '/metrics') {
      const text = metrics.render();
      return void res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'content-length': Buffer.byteLength(text) }).end(text);
    }
    if (metrics && req.method === 'GET' && path === '/version') return sendJson(res, 200, { version: STAND_IN_VERSION });
    if (req.method === 'GET' && path === '/v1/models') {
      const created = Math.floor(Date.now() / 1000);
      const data = models.map((id) => ({
        id,
        object: 'model',
        created,
        owned_by: 'vllm',
        root: id,
        parent: null,
        max_model_len: opts.max_model_len ?? 32768,
        permission: [],
      }));
      return sendJson(res, 200, { object: 'list', data });
    }
    if (req.method === 'POST' && path === '/v1/chat/completions') return handleCompletion(entry, res, true);
    if (req.method === 'POST' && path === '/v1/completions') return handleCompletion(entry, res, false);
    // FastAPI's default for unknown routes, which is what vLLM answers there.
    sendJson(res, 404, { detail: 'Not Found' });
  }

  const server = createServer({ keepAlive: true, keepAliveTimeout: 60_000 }, (req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) sendError(res, 500, String(err), 'InternalServerError');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
