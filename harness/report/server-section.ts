/**
 * report.md's "Server-side figures" section: for every model server that exposed vLLM's /metrics during
 * the run, its own figures beside the harness's client-side ones for the same calls. The two measure
 * different spans (vLLM times a request from its arrival in the engine; the harness from sending it to the
 * last byte, network and queueing in the client included), so they are shown side by side, not merged.
 */
import type { HistogramFigures } from '../serve/metrics/server-figures.js';
import { fmt } from './format-number.js';
import type { ServerSummary } from './server-summary.js';
import type { LatencySummary, Summary, TargetSummary } from './summary.js';

const ms = (s: number | null) => (s === null ? '–' : fmt(s * 1000, 2));
const hist = (h: HistogramFigures | null) => (h && h.count > 0 ? `${ms(h.mean)} / ${ms(h.p50)} / ${ms(h.p90)} / ${ms(h.p99)} (n=${h.count})` : '–');
const lat = (l: LatencySummary | null | undefined) => (l ? `${fmt(l.mean, 2)} / ${fmt(l.p50, 2)} / ${fmt(l.p90, 2)} / ${fmt(l.p99, 2)}` : '–');
const num = (x: number | null | undefined) => (x === null || x === undefined ? '–' : String(x));
const pct = (x: number) => `${fmt(x * 100, 1)}%`;

function serverTable(s: ServerSummary, client: TargetSummary | undefined): string[] {
  const rows: [string, string, string][] = [
    ['requests / calls', num(s.requests), client ? `${client.calls} (${client.errors} failed)` : '–'],
    ['prompt tokens', num(s.prompt_tokens), num(client?.tokens?.prompt)],
    ['generation tokens', num(s.generation_tokens), num(client?.tokens?.completion)],
    ['prompt throughput, tok/s', num(s.prompt_throughput_tok_s), '–'],
    ['generation throughput, tok/s', num(s.generation_throughput_tok_s), '–'],
    ['time to first token, ms (mean / p50 / p90 / p99)', hist(s.ttft_s), client?.ttft_ms ? lat(client.ttft_ms) : '– (not streamed)'],
    ['time per output token, ms', hist(s.tpot_s), '–'],
    ['inter-token latency, ms', hist(s.itl_s), '–'],
    ['queue time, ms', hist(s.queue_time_s), '–'],
    ['end-to-end latency, ms', hist(s.e2e_latency_s), lat(client?.latency_ms)],
    [
      'KV-cache usage (mean / max)',
      s.kv_cache_usage ? `${pct(s.kv_cache_usage.mean)} / ${pct(s.kv_cache_usage.max)} (${s.kv_cache_usage.samples} samples)` : '–',
      '–',
    ],
    [
      'requests running / waiting (max)',
      `${s.requests_running ? fmt(s.requests_running.max, 0) : '–'} / ${s.requests_waiting ? fmt(s.requests_waiting.max, 0) : '–'}`,
      '–',
    ],
  ];
  return ['| figure | server (vLLM /metrics) | client (gtm-bench records) |', '| --- | --- | --- |', ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

export function renderServerSection(summary: Summary): string[] {
  if (!summary.server?.length) return [];
  const out = ['', '## Server-side figures', ''];
  out.push(
    "From each model server's Prometheus `/metrics`: counters and histograms are the difference between a scrape before the run and one after it, gauges are sampled during the run. Quantiles are interpolated inside vLLM's histogram buckets. The client column is the same calls as the harness timed them (send to last byte).",
  );
  for (const s of summary.server) {
    const client = s.targets.length === 1 ? summary.targets.find((t) => t.name === s.targets[0]) : undefined;
    out.push('');
    out.push(
      `### \`${s.url}\`${s.shard ? ` (shard ${s.shard})` : ''}: ${s.server ?? 'server did not say what it is'}; targets ${s.targets.join(', ')}; ${fmt(s.window_s, 1)} s window`,
    );
    out.push('');
    out.push(...serverTable(s, client));
    for (const note of s.notes) out.push('', `Note: ${note}.`);
  }
  return out;
}
