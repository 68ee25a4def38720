/**
 * Turns whatever went wrong in one attempt into a CallError with a message a person can act on:
 * the server's own error text when it sent one (vLLM's flat `{"object":"error","message",...}`,
 * OpenAI's `{"error":{...}}`, FastAPI's `{"detail":...}`), or a quoted excerpt when it sent garbage.
 */
import type { CallError, ErrorClass } from './call-error.js';

export function classifyStatus(status: number): ErrorClass {
  if (status === 429) return 'http_429';
  if (status >= 500) return 'http_5xx';
  return 'http_4xx';
}

export function excerpt(text: string, max = 200): string {
  return JSON.stringify(text.length > max ? text.slice(0, max) + '…' : text);
}

/** The message and kind an error body carries, whichever of the known shapes it has. */
export function errorBodyMessage(body: unknown): { message: string; type?: string } | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Record<string, any>;
  const inner = b.error && typeof b.error === 'object' ? b.error : b;
  if (typeof inner.message === 'string') {
    return { message: inner.message, type: typeof inner.type === 'string' ? inner.type : undefined };
  }
  if (typeof b.error === 'string') return { message: b.error };
  if (typeof b.detail === 'string') return { message: b.detail };
  if (Array.isArray(b.detail)) {
    // FastAPI validation errors: [{loc: [...], msg: '...'}]
    return { message: b.detail.map((d: any) => `${(d?.loc ?? []).join('.')}: ${d?.msg ?? JSON.stringify(d)}`).join('; ') };
  }
  return undefined;
}

export function describeHttpError(status: number, body: unknown, text: string | undefined): string {
  const known = errorBodyMessage(body);
  if (known) return `HTTP ${status}${known.type ? ' ' + known.type : ''}: ${known.message}`;
  if (body !== undefined) return `HTTP ${status} with an unrecognised JSON error body: ${excerpt(JSON.stringify(body))}`;
  if (!text) return `HTTP ${status} with an empty body`;
  return `HTTP ${status} with a non-JSON body: ${excerpt(text)}`;
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

/** The innermost error with a `code` (undici and the OS put the useful one at the bottom of `cause`). */
function rootCause(err: unknown): { code?: string; message: string } {
  let found: { code?: string; message: string } = { message: err instanceof Error ? err.message : String(err) };
  for (let e: any = err, depth = 0; e && depth < 6; e = e.cause, depth++) {
    if (typeof e.code === 'string') found = { code: e.code, message: String(e.message ?? e) };
  }
  return found;
}

/** A thrown transport error (no HTTP status): refused, reset, closed mid-body, or a transport timeout. */
export function transportCallError(err: unknown): CallError {
  const root = rootCause(err);
  const detail = root.code && !root.message.includes(root.code) ? `${root.code}: ${root.message}` : root.message;
  if (root.code && TIMEOUT_CODES.has(root.code)) {
    return { class: 'timeout', message: `transport timeout: ${detail}` };
  }
  return { class: 'connection', message: `connection failed: ${detail}` };
}
