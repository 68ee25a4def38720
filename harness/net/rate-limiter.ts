/**
 * Spaces requests to at most `per_minute` a minute: each caller reserves the next free slot (the later of now
 * and the previous slot plus the interval) and waits for it. Reservations are made synchronously, so
 * concurrent callers get distinct slots in call order; no burst beyond one request. The clock and sleep are
 * injectable, so tests check the slots asked for, never wall-clock time.
 */
import { defaultSleep } from './retry.js';
export interface RateLimiterOptions {
  per_minute: number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export class RateLimiter {
  readonly interval_ms: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  #next = -Infinity;

  constructor(opts: RateLimiterOptions) {
    if (!(opts.per_minute > 0)) throw new RangeError(`per_minute must be > 0, got ${opts.per_minute}`);
    this.interval_ms = 60_000 / opts.per_minute;
    this.#now = opts.now ?? (() => performance.now());
    this.#sleep = opts.sleep ?? defaultSleep;
  }

  /** Waits for this caller's slot; returns how long it waited (ms). */
  async acquire(signal?: AbortSignal): Promise<number> {
    const now = this.#now();
    const slot = Math.max(now, this.#next);
    this.#next = slot + this.interval_ms;
    const wait = slot - now;
    if (wait > 0) await this.#sleep(wait, signal);
    return wait;
  }
}
