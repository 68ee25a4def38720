/**
 * Assembles an OpenAI-style SSE completion stream (chat deltas or text pieces) into one answer.
 * We parse the stream ourselves rather than through the openai client's Stream, because that one
 * ends silently when the body ends without `data: [DONE]` (a truncated answer would look complete)
 * and swallows aborts (a timeout would look like a short answer).
 */
import type { CallError } from './types.js';
import type { TokenUsage } from '../records/types.js';
import { errorBodyMessage, excerpt } from '../net/openai-errors.js';
import { CountingDecoder } from '../net/capped-body.js';

export interface Answer {
  text: string;
  usage?: TokenUsage;
  finish_reason?: string;
  ttft_ms?: number;
  /** Function calls of a non-streamed chat answer (streamed tool-call deltas are not assembled). */
  tool_calls?: { id: string; name: string; arguments: string }[];
  /** Invalid UTF-8 sequences in the body, replaced by U+FFFD in `text` (net/capped-body.ts counts them). */
  invalid_utf8?: number;
}

/** The `data:` payload of each SSE event; other fields (event, id, retry, comments) are not used by these streams. */
export async function* sseData(
  body: AsyncIterable<Uint8Array>,
  decoder: { decode(chunk: Uint8Array): string } = new CountingDecoder(),
): AsyncGenerator<string> {
  let buf = '';
  let data: string[] = [];
  for await (const chunk of body) {
    buf += decoder.decode(chunk);
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.charCodeAt(nl - 1) === 13 ? buf.slice(0, nl - 1) : buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line === '') {
        if (data.length > 0) yield data.join('\n');
        data = [];
      } else if (line.startsWith('data:')) {
        data.push(line.slice(line.charCodeAt(5) === 32 ? 6 : 5));
      }
    }
  }
  if (data.length > 0) yield data.join('\n');
}

export function readUsage(u: any): TokenUsage | undefined {
  if (!u || typeof u.prompt_tokens !== 'number' || typeof u.completion_tokens !== 'number') return undefined;
  const total = typeof u.total_tokens === 'number' ? u.total_tokens : u.prompt_tokens + u.completion_tokens;
  return { prompt_tokens: u.prompt_tokens, completion_tokens: u.completion_tokens, total_tokens: total };
}

/** An error object sent inside a 200 stream (vLLM does this when generation fails mid-way). */
function streamError(chunk: any): CallError | undefined {
  const known = chunk && (chunk.object === 'error' || chunk.error) ? errorBodyMessage(chunk) : undefined;
  if (!known) return undefined;
  const code = Number(chunk.error?.code ?? chunk.code);
  const cls = code === 429 ? 'http_429' : code >= 400 && code < 500 ? 'http_4xx' : 'http_5xx';
  return { class: cls, message: `error inside the stream: ${known.type ? known.type + ': ' : ''}${known.message}` };
}

/** Reads the whole stream; `start` is the attempt's start (performance.now()) for the time to first token. */
export async function assembleStream(
  body: AsyncIterable<Uint8Array>,
  api: 'chat' | 'completions',
  start: number,
  decoder?: CountingDecoder,
): Promise<{ ok: true; value: Answer } | { ok: false; error: CallError; retry?: boolean; partial?: Answer }> {
  const answer: Answer = { text: '' };
  let done = false;
  let sawChoice = false;
  // Read to the end even after [DONE]: leaving the body unread would cost the pooled connection.
  for await (const data of sseData(body, decoder)) {
    if (done) continue;
    if (data === '[DONE]') {
      done = true;
      continue;
    }
    let chunk: any;
    try {
      chunk = JSON.parse(data);
    } catch {
      // Garbled like a non-JSON body: retried (openai-client.ts), then classified if it persists.
      return { ok: false, error: { class: 'bad_response', message: `stream event is not JSON: ${excerpt(data)}` }, retry: true };
    }
    const error = streamError(chunk);
    if (error) return { ok: false, error };
    answer.usage = readUsage(chunk.usage) ?? answer.usage;
    const choice = Array.isArray(chunk.choices) ? chunk.choices.find((c: any) => (c?.index ?? 0) === 0) : undefined;
    if (!choice) continue;
    sawChoice = true;
    const piece = api === 'chat' ? choice.delta?.content : choice.text;
    if (typeof piece === 'string' && piece.length > 0) {
      answer.ttft_ms ??= performance.now() - start;
      answer.text += piece;
    }
    if (choice.finish_reason) answer.finish_reason = choice.finish_reason;
  }
  if (!done) return { ok: false, error: { class: 'bad_response', message: 'stream ended without data: [DONE] (truncated answer)' }, partial: answer };
  if (!sawChoice) return { ok: false, error: { class: 'bad_response', message: 'stream carried no choices' } };
  return { ok: true, value: answer };
}
