/**
 * Server-side figures of a run from vLLM's Prometheus metrics: counters and histograms as the difference
 * between a scrape before the run and one after it (so calls made by anyone before the run do not count),
 * gauges (KV-cache usage, running and waiting requests) from samples taken during the run. Pure.
 *
 * Metric names follow vLLM's /metrics; where vLLM renamed one between versions both names are accepted,
 * the newer first: vllm:kv_cache_usage_perc (V1) or vllm:gpu_cache_usage_perc (V0);
 * vllm:request_time_per_output_token_seconds (V1, per request) or vllm:time_per_output_token_seconds (V0).
 * Quantiles are estimated from histogram buckets by linear interpolation inside the bucket, as Prometheus's
 * histogram_quantile() does, so they are as coarse as vLLM's bucket bounds.
 */
import { firstPresent, histogramOf, sumOf, type Exposition, type Histogram } from './prometheus-text.js';

export const VLLM_METRICS = {
  prompt_tokens: ['vllm:prompt_tokens_total'],
  generation_tokens: ['vllm:generation_tokens_total'],
  requests: ['vllm:request_success_total'],
  ttft: ['vllm:time_to_first_token_seconds'],
  tpot: ['vllm:request_time_per_output_token_seconds', 'vllm:time_per_output_token_seconds'],
  itl: ['vllm:inter_token_latency_seconds'],
  queue: ['vllm:request_queue_time_seconds'],
  e2e: ['vllm:e2e_request_latency_seconds'],
  kv_cache: ['vllm:kv_cache_usage_perc', 'vllm:gpu_cache_usage_perc'],
  running: ['vllm:num_requests_running'],
  waiting: ['vllm:num_requests_waiting'],
} as const;

export interface HistogramFigures {
  /** The vLLM metric these come from. */
  metric: string;
  count: number;
  mean: number | null;
  p50: number | null;
  p90: number | null;
  p99: number | null;
}

export interface GaugeFigures {
  metric: string;
  mean: number;
  max: number;
  samples: number;
}

export interface ServerFigures {
  window_s: number;
  requests: number | null;
  prompt_tokens: number | null;
  generation_tokens: number | null;
  prompt_throughput_tok_s: number | null;
  generation_throughput_tok_s: number | null;
  ttft_s: HistogramFigures | null;
  tpot_s: HistogramFigures | null;
  itl_s: HistogramFigures | null;
  queue_time_s: HistogramFigures | null;
  e2e_latency_s: HistogramFigures | null;
  /** Fraction of KV-cache blocks in use, 0..1. */
  kv_cache_usage: GaugeFigures | null;
  requests_running: GaugeFigures | null;
  requests_waiting: GaugeFigures | null;
  notes: string[];
}

const round = (x: number, places: number) => {
  const f = 10 ** places;
  return Math.round(x * f) / f;
};

/** One stretch of time the figures cover: an invocation of the run, between its before and after scrapes. */
export interface MetricsWindow {
  before: Exposition;
  after: Exposition;
}

/** A counter's growth summed over the windows; null (with a note) when absent or when it went down in one. */
function counterDelta(windows: MetricsWindow[], names: readonly string[], notes: string[]): number | null {
  const name = windows.map((w) => firstPresent(w.after, names)).find((n) => n !== undefined);
  if (!name) return null;
  let total = 0;
  for (const { before, after } of windows) {
    const delta = (sumOf(after, name) ?? 0) - (sumOf(before, name) ?? 0);
    if (delta < 0) {
      notes.push(`${name} went down between the scrapes (the server restarted?); not reported`);
      return null;
    }
    total += delta;
  }
  return total;
}

/** Prometheus's histogram_quantile over cumulative buckets. */
export function bucketQuantile(q: number, buckets: { le: number; count: number }[]): number | null {
  const total = buckets.length ? buckets[buckets.length - 1].count : 0;
  if (total <= 0) return null;
  const rank = q * total;
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i];
    if (b.count < rank) continue;
    if (b.le === Infinity) return i > 0 ? buckets[i - 1].le : null;
    const lower = i > 0 ? buckets[i - 1].le : 0;
    const below = i > 0 ? buckets[i - 1].count : 0;
    const inBucket = b.count - below;
    return inBucket > 0 ? lower + (b.le - lower) * ((rank - below) / inBucket) : b.le;
  }
  return null;
}

/** A histogram's growth, bucket by bucket, summed over the windows (deltas of cumulative buckets add up). */
function histogramDelta(windows: MetricsWindow[], names: readonly string[], notes: string[]): HistogramFigures | null {
  const name = windows.map((w) => firstPresent(w.after, names, '_count')).find((n) => n !== undefined);
  if (!name) return null;
  let count = 0;
  let sum = 0;
  const byLe = new Map<number, number>();
  for (const { before, after } of windows) {
    const a = histogramOf(after, name);
    if (!a) continue;
    const b: Histogram = histogramOf(before, name) ?? { buckets: [], sum: 0, count: 0 };
    if (a.count - b.count < 0) {
      notes.push(`${name} went down between the scrapes (the server restarted?); not reported`);
      return null;
    }
    count += a.count - b.count;
    sum += a.sum - b.sum;
    const beforeAt = new Map(b.buckets.map((x) => [x.le, x.count]));
    for (const x of a.buckets) byLe.set(x.le, (byLe.get(x.le) ?? 0) + x.count - (beforeAt.get(x.le) ?? 0));
  }
  const buckets = [...byLe].sort((x, y) => x[0] - y[0]).map(([le, c]) => ({ le, count: c }));
  const q = (p: number) => {
    const v = bucketQuantile(p, buckets);
    return v === null ? null : round(v, 6);
  };
  return { metric: name, count, mean: count > 0 ? round(sum / count, 6) : null, p50: q(0.5), p90: q(0.9), p99: q(0.99) };
}

function gauge(snapshots: Exposition[], names: readonly string[]): GaugeFigures | null {
  const name = snapshots.map((s) => firstPresent(s, names)).find((n) => n !== undefined);
  if (!name) return null;
  const values = snapshots.map((s) => sumOf(s, name)).filter((v): v is number => v !== undefined && Number.isFinite(v));
  if (!values.length) return null;
  return { metric: name, mean: round(values.reduce((x, y) => x + y, 0) / values.length, 4), max: round(Math.max(...values), 4), samples: values.length };
}

/**
 * @param during snapshots taken while the run was going (the before and after scrapes are added to them).
 * @param windowS seconds between the before and after scrapes.
 */
export function serverFigures(before: Exposition, after: Exposition, during: Exposition[], windowS: number): ServerFigures {
  const { counted, notes } = countedFigures([{ before, after }], windowS);
  const gauges = [before, ...during, after];
  return {
    ...counted,
    kv_cache_usage: gauge(gauges, VLLM_METRICS.kv_cache),
    requests_running: gauge(gauges, VLLM_METRICS.running),
    requests_waiting: gauge(gauges, VLLM_METRICS.waiting),
    notes,
  };
}

/**
 * The figures of several invocations of one run against one server (a run continued with --resume): counters
 * and histograms are the sums of each invocation's before/after differences, which is exact (traffic between
 * invocations, from anyone, is not counted); rates are over the summed windows (the time between invocations
 * is not run time); gauges are the mean of every invocation's samples, weighted by their number, and the max.
 */
export function serverFiguresAcross(invocations: { before: Exposition; after: Exposition; figures: ServerFigures }[]): ServerFigures {
  if (invocations.length === 1) return invocations[0].figures;
  const windowS = invocations.reduce((t, i) => t + i.figures.window_s, 0);
  const gauges = (key: 'kv_cache_usage' | 'requests_running' | 'requests_waiting') => combineGauges(invocations.map((i) => i.figures[key]));
  const { counted, notes } = countedFigures(invocations, windowS);
  return {
    ...counted,
    kv_cache_usage: gauges('kv_cache_usage'),
    requests_running: gauges('requests_running'),
    requests_waiting: gauges('requests_waiting'),
    notes: [
      ...new Set([...notes, ...invocations.flatMap((i) => i.figures.notes)]),
      `summed over ${invocations.length} invocations of this run (it was continued with --resume): counts and latency histograms add up each invocation's own before/after difference; rates are over the ${round(windowS, 1)} s the invocations ran, not the time between them`,
    ],
  };
}

type Counted = Omit<ServerFigures, 'kv_cache_usage' | 'requests_running' | 'requests_waiting' | 'notes'>;

function countedFigures(windows: MetricsWindow[], windowS: number): { counted: Counted; notes: string[] } {
  const notes: string[] = [];
  const prompt = counterDelta(windows, VLLM_METRICS.prompt_tokens, notes);
  const generation = counterDelta(windows, VLLM_METRICS.generation_tokens, notes);
  const rate = (n: number | null) => (n === null || windowS <= 0 ? null : round(n / windowS, 2));
  const counted = {
    window_s: round(windowS, 3),
    requests: counterDelta(windows, VLLM_METRICS.requests, notes),
    prompt_tokens: prompt,
    generation_tokens: generation,
    prompt_throughput_tok_s: rate(prompt),
    generation_throughput_tok_s: rate(generation),
    ttft_s: histogramDelta(windows, VLLM_METRICS.ttft, notes),
    tpot_s: histogramDelta(windows, VLLM_METRICS.tpot, notes),
    itl_s: histogramDelta(windows, VLLM_METRICS.itl, notes),
    queue_time_s: histogramDelta(windows, VLLM_METRICS.queue, notes),
    e2e_latency_s: histogramDelta(windows, VLLM_METRICS.e2e, notes),
  };
  return { counted, notes };
}

function combineGauges(list: (GaugeFigures | null)[]): GaugeFigures | null {
  const present = list.filter((g): g is GaugeFigures => g !== null && g.samples > 0);
  if (!present.length) return null;
  const samples = present.reduce((t, g) => t + g.samples, 0);
  return {
    metric: present[0].metric,
    mean: round(present.reduce((t, g) => t + g.mean * g.samples, 0) / samples, 4),
    max: Math.max(...present.map((g) => g.max)),
    samples,
  };
}
