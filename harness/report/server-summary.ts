/**
 * The `server` block of summary.json: the figures of server-metrics.json (vLLM's own /metrics, scraped
 * before, during and after the run), one entry per server, with what produced them. Pure: the file is
 * read by serve/metrics/scraper.ts readServerMetrics, beside the code that writes it.
 */
import type { ServerMetricsFile } from '../serve/metrics/scraper.js';
import type { ServerFigures } from '../serve/metrics/server-figures.js';
import { coverageNote } from '../serve/metrics/across-invocations.js';

export interface ServerSummary extends ServerFigures {
  /** The server's origin (http://host:port). */
  url: string;
  /** What the server said it is (its /version, or `vllm --version` when gtm-bench started it). */
  server: string | null;
  targets: string[];
  /** For a merged run: the shard whose server this was. */
  shard?: string;
}

/**
 * @param run the run's manifest, when known: a run continued with --resume whose earlier invocation left no
 *   closing scrape (killed) gets a note beside its figures saying they miss that invocation's calls.
 */
export function serverSummaries(file: ServerMetricsFile | undefined, run?: { resumed?: unknown[] }): ServerSummary[] | undefined {
  if (!file?.servers.length) return undefined;
  const missing = run ? coverageNote(file, 1 + (run.resumed?.length ?? 0)) : undefined;
  return file.servers.map((s) => ({
    url: s.url,
    server: s.server,
    targets: s.targets,
    ...(s.shard !== undefined ? { shard: s.shard } : {}),
    ...s.figures,
    notes: missing ? [...s.figures.notes, missing] : s.figures.notes,
  }));
}
