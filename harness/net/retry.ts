/**
 * Bounded retries with exponential backoff and full jitter (delay = random() * min(max, base * 2^n)),
 * so many workers hitting one overloaded server do not retry in lockstep. A server's Retry-After wins
 * over the computed delay, capped so a hostile or confused header cannot stall a run.
 * Randomness and sleeping are injectable: tests assert the delays asked for, never wall-clock time.
 */
import { onAbort } from './abort-fanout.js';
import type { CallError, ErrorClass } from './call-error.js';

/** Transient failures: the same request may well succeed later. Everything else is final. */
const RETRYABLE: ReadonlySet<ErrorClass> = new Set(['http_429', 'http_5xx', 'connection', 'timeout']);

export function isRetryable(error: CallError): boolean {
  return RETRYABLE.has(error.class);
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface RetryPolicy {
  /** Retries after the first attempt (0 = one attempt). */
  retries: number;
  base_ms: number;
  max_ms: number;
  /** Upper bound on a server-requested Retry-After wait. */
  retry_after_max_ms: number;
  random: () => number;
  sleep: Sleep;
}

/** Resolves after `ms`, or early (without throwing) when `signal` aborts; the caller checks the signal. */
export const defaultSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      unlisten();
      resolve();
    };
    const timer = setTimeout(done, ms);
    // Many backoffs wait on the run's one signal at once: one listener on it, not one each (abort-fanout.ts).
    const unlisten = onAbort(signal, done);
  });

export function defaultRetryPolicy(retries: number, overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  return { retries, base_ms: 250, max_ms: 8_000, retry_after_max_ms: 30_000, random: Math.random, sleep: defaultSleep, ...overrides };
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Delay before retry number `retry` (0-based): Retry-After when the server gave one, else full jitter. */
export function backoffDelay(policy: RetryPolicy, retry: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.retry_after_max_ms);
  return policy.random() * Math.min(policy.max_ms, policy.base_ms * 2 ** retry);
}

/**
 * What one attempt produced: a value, or an error (with the server's Retry-After when it sent one). `retry`
 * overrides the error class's own retryability: a 200 whose body is not JSON is `bad_response` like a body
 * without choices, but only the garbled one is transient on real servers (a proxy hiccup, a cut connection).
 * `partial`: what the failed attempt did get (the head of an answer over the size cap), for the record.
 */
export type AttemptResult<T> = { ok: true; value: T } | { ok: false; error: CallError; retryAfterMs?: number; retry?: boolean; partial?: T };

export interface RetryOutcome<T> {
  result: AttemptResult<T>;
  /** Attempts made, including the first; Observation.retries is attempts - 1. */
  attempts: number;
}

/**
 * Runs `attempt` until it succeeds, fails with a final error, or the retries are spent. An abort of
 * `signal` during a backoff ends the loop with an `aborted` error rather than another attempt.
 */
export async function withRetry<T>(policy: RetryPolicy, attempt: (n: number) => Promise<AttemptResult<T>>, signal?: AbortSignal): Promise<RetryOutcome<T>> {
  for (let n = 0; ; n++) {
    const result = await attempt(n);
    if (result.ok || !(result.retry ?? isRetryable(result.error)) || n >= policy.retries) return { result, attempts: n + 1 };
    await policy.sleep(backoffDelay(policy, n, result.retryAfterMs), signal);
    if (signal?.aborted) {
      return { result: { ok: false, error: { class: 'aborted', message: 'aborted while waiting to retry' } }, attempts: n + 1 };
    }
  }
}
