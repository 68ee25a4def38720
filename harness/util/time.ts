/**
 * `2026-06-01T02:00:00.123Z` -> `20260601T020000Z` (or `20260601T020000.123Z` with millis): a timestamp for
 * folder names and run ids. Run ids keep the milliseconds: two runs started in the same second (a test
 * suite, shards on one machine) must not share an id, a default folder or a history entry.
 */
export function compactTime(iso: string, opts: { millis?: boolean } = {}): string {
  const compact = iso.replace(/[-:]/g, '');
  return opts.millis ? compact : compact.replace(/\.\d+Z$/, 'Z');
}

let lastMs = NaN;
let lastIso = '';

/**
 * `new Date().toISOString()`, formatted once per millisecond: every call of a run stamps its record, and at
 * thousands of calls per second most stamps fall in a millisecond already formatted.
 */
export function isoNow(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}
