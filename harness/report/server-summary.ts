/**
 * The `server` block of summary.json: the figures of server-metrics.json (vLLM's own /metrics, scraped
 * before, during and after the run), one entry per server, with what produced them. Pure: the file is
 * read by serve/metrics/scraper.ts readServerMetrics, beside the code that writes it.
 */
import type { ServerMetricsFile } from '../serve/metrics/scraper.js';
import type { ServerFigures } from '../serve/metrics/server-figures.js';

export interface ServerSummary extends ServerFigures {
  /** The server's origin (http://host:port). */
  url: string;
  /** What the server said it is (its /version, or `vllm --version` when gtm-bench started it). */
  server: string | null;
  targets: string[];
  /** For a merged run: the shard whose server this was. */
  shard?: string;
}

export function serverSummaries(file: ServerMetricsFile | undefined): ServerSummary[] | undefined {
  if (!file?.servers.length) return undefined;
  return file.servers.map((s) => ({
    url: s.url,
    server: s.server,
    targets: s.targets,
    ...(s.shard !== undefined ? { shard: s.shard } : {}),
    ...s.figures,
  }));
}
