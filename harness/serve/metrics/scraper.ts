/**
 * Watches the model servers of a run through their Prometheus /metrics: one scrape before the first call,
 * the gauges sampled every `interval_ms` while the run goes (KV-cache usage at the end of a run says
 * nothing: the server is idle by then), one scrape after the last call. A server whose /metrics does not
 * answer with vLLM metrics is left out, silently: the scrape is an extra and never fails a run.
 * Only vllm:* samples are kept; the run folder's server-metrics.json holds them and the figures.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { httpGet } from '../../net/http-get.js';
import { parsePrometheusText, type Exposition } from './prometheus-text.js';
import { serverFigures, VLLM_METRICS, type ServerFigures } from './server-figures.js';

export const SERVER_METRICS_FILE = 'server-metrics.json';
export const DEFAULT_SCRAPE_INTERVAL_MS = 1000;

export interface ServerToWatch {
  /** Origin (http://host:port), where /metrics and /version live. */
  url: string;
  targets: string[];
  /** What the server is, when known already (the version `vllm --version` printed for a served checkpoint). */
  server?: string;
}

export interface ServerMetricsEntry {
  url: string;
  targets: string[];
  /** What produced these figures: the server's /version answer (or `vllm --version`), never a guess. */
  server: string | null;
  before_at: string;
  after_at: string;
  figures: ServerFigures;
  /** Set by `gtm-bench merge`: the shard (I/N) whose server this was. */
  shard?: string;
  /** For figures summed over a resumed run's invocations: how many (their samples are under `invocations`). */
  invocations?: number;
  /** The vllm:* samples of the two scrapes, for recomputing or checking the figures (one invocation's entry). */
  before?: Exposition['samples'];
  after?: Exposition['samples'];
}

export interface ServerMetricsFile {
  version: 1;
  /** Per server, the figures of the whole run (summed over its invocations: across-invocations.ts). */
  servers: ServerMetricsEntry[];
  /** When the run was continued with --resume: each invocation's own scrapes, first to last. */
  invocations?: { servers: ServerMetricsEntry[] }[];
}

const GAUGE_NAMES = new Set<string>([...VLLM_METRICS.kv_cache, ...VLLM_METRICS.running, ...VLLM_METRICS.waiting]);

async function scrape(url: string): Promise<Exposition | undefined> {
  try {
    const res = await httpGet(`${url}/metrics`, 5000);
    if (res.status !== 200) return undefined;
    const e = parsePrometheusText(res.body);
    const vllm = e.samples.filter((s) => s.name.startsWith('vllm:'));
    return vllm.length ? { samples: vllm, types: e.types, malformed: e.malformed } : undefined;
  } catch {
    return undefined;
  }
}

async function serverVersion(url: string): Promise<string | null> {
  try {
    const res = await httpGet(`${url}/version`, 2000);
    const v = res.status === 200 ? (JSON.parse(res.body) as { version?: unknown }).version : undefined;
    // Said as the server said it: a server that answers /version like vLLM is not thereby vLLM.
    return typeof v === 'string' ? `/version: ${v}` : null;
  } catch {
    return null;
  }
}

export interface MetricsWatch {
  /** Servers that answered the first scrape. */
  readonly watching: string[];
  /** Scrapes once more and returns the figures of every watched server (empty when none answered). */
  stop(): Promise<ServerMetricsEntry[]>;
}

export async function watchServerMetrics(servers: ServerToWatch[], opts: { interval_ms?: number } = {}): Promise<MetricsWatch> {
  const active: { s: ServerToWatch; before: Exposition; beforeAt: string; t0: number; during: Exposition[]; server: string | null }[] = [];
  await Promise.all(
    servers.map(async (s) => {
      const before = await scrape(s.url);
      if (!before) return;
      const server = s.server ?? (await serverVersion(s.url));
      active.push({ s, before, beforeAt: new Date().toISOString(), t0: performance.now(), during: [], server });
    }),
  );
  active.sort((a, b) => (a.s.url < b.s.url ? -1 : 1));
  let inFlight: Promise<unknown> | undefined;
  const timer =
    active.length > 0
      ? setInterval(() => {
          if (inFlight) return; // a slow scrape is not stacked under the next one
          inFlight = Promise.all(
            active.map(async (a) => {
              const e = await scrape(a.s.url);
              if (e) a.during.push({ samples: e.samples.filter((x) => GAUGE_NAMES.has(x.name)), types: {}, malformed: 0 });
            }),
          ).finally(() => (inFlight = undefined));
        }, opts.interval_ms ?? DEFAULT_SCRAPE_INTERVAL_MS)
      : undefined;
  timer?.unref();
  return {
    watching: active.map((a) => a.s.url),
    async stop() {
      if (timer) clearInterval(timer);
      await inFlight;
      const out: ServerMetricsEntry[] = [];
      for (const a of active) {
        const after = await scrape(a.s.url);
        if (!after) continue; // it went away during the run: no after, no figures
        const windowS = (performance.now() - a.t0) / 1000;
        out.push({
          url: a.s.url,
          targets: a.s.targets,
          server: a.server,
          before_at: a.beforeAt,
          after_at: new Date().toISOString(),
          figures: serverFigures(a.before, after, a.during, windowS),
          before: a.before.samples,
          after: after.samples,
        });
      }
      return out;
    },
  };
}

/** The run folder's server-metrics.json as written above, or undefined when the run scraped no server. */
export function readServerMetrics(runDir: string): ServerMetricsFile | undefined {
  const path = join(runDir, SERVER_METRICS_FILE);
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as ServerMetricsFile;
}
