/**
 * Two runs of one plan get the same answers but never the same wall-clock timings: latency and TTFT are
 * measurements. This replaces every timing block with a marker, so summaries can be compared in every
 * other figure (means, intervals, counts, errors, tokens). Tests that need byte-equality use the response
 * cache or --replay, where the timings are the recorded ones.
 */
const TIMING_KEYS = new Set(['latency_ms', 'ttft_ms']);

export function withoutTimings(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTimings);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, TIMING_KEYS.has(k) ? (v === null ? null : 'measured') : withoutTimings(v)]));
  }
  return value;
}
