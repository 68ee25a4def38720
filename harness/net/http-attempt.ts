/**
 * One HTTP attempt's bookkeeping, shared by every JSON-over-HTTP client (model servers, retrievers, web
 * search): a deadline that covers the whole body (undici's own timeouts cover only headers or gaps), the
 * caller's abort, the three ways an attempt ends without an answer (aborted, timeout, transport error),
 * and the status failure a non-2xx answer becomes, with the server's own message and Retry-After.
 */
import { EventEmitter } from 'node:events';
import { onAbort } from './abort-fanout.js';
import { classifyStatus, describeHttpError, transportCallError } from './openai-errors.js';
import { parseRetryAfter, type AttemptResult } from './retry.js';

const ABORTED = { ok: false, error: { class: 'aborted', message: 'aborted by the caller' } } as const;

/**
 * The signal an attempt hands to undici, which takes an EventEmitter with `aborted` as well as an AbortSignal.
 * Why not an AbortController: in Node 20 making one and adding and removing undici's listener costs about
 * 2-6 µs per request (an EventTarget and its listener bookkeeping), this about 0.2 µs, and every call of a run
 * pays it (harness/bench: the "HTTP" and "retry + deadline wrapper" stages).
 */
export class AttemptSignal extends EventEmitter {
  aborted = false;

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.emit('abort');
  }
}

/**
 * Runs `send` with a signal that fires at `timeout_ms` or when `caller` aborts, and classifies a throw.
 * A failed attempt's request is aborted too, which releases a half-read body instead of leaking its socket.
 */
export async function deadlineAttempt<T>(
  timeout_ms: number,
  caller: AbortSignal | undefined,
  send: (signal: AttemptSignal) => Promise<AttemptResult<T>>,
): Promise<AttemptResult<T>> {
  if (caller?.aborted) return ABORTED;
  const controller = new AttemptSignal();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeout_ms);
  const unlisten = onAbort(caller, () => controller.abort());
  let result: AttemptResult<T>;
  try {
    result = await send(controller);
  } catch (err) {
    if (caller?.aborted) result = ABORTED;
    else if (timedOut) result = { ok: false, error: { class: 'timeout', message: `no complete response within ${timeout_ms} ms` } };
    else result = { ok: false, error: transportCallError(err) };
  } finally {
    clearTimeout(timer);
    unlisten();
  }
  if (!result.ok) controller.abort();
  return result;
}

/** A non-2xx answer as a failed attempt: the message from whatever error body shape it has, and its Retry-After. */
export function statusFailure(status: number, text: string, retryAfter: string | string[] | undefined): AttemptResult<never> {
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return {
    ok: false,
    error: { class: classifyStatus(status), message: describeHttpError(status, body, text || undefined), status },
    retryAfterMs: parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter),
  };
}
