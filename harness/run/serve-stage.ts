/**
 * The run's side of a `serve:` section: before the targets are built, pick the server's port and point the
 * targets the section names at it (base_url and model), so the plan and the manifest are written with the
 * address the server will have; once the run folder exists, start vLLM with its log in the folder.
 * The model servers a run watches through /metrics are found here too: every origin of every openai target.
 */
import { checkpointInfo } from '../serve/checkpoint-info.js';
import { freePort } from '../serve/free-port.js';
import { serverOrigin } from '../net/http-get.js';
import { join } from 'node:path';
import { readServerMetrics, SERVER_METRICS_FILE, watchServerMetrics, type MetricsWatch, type ServerToWatch } from '../serve/metrics/scraper.js';
import { clientHost, describeExit, resolveVllmExecutable, startServedModel, type ServedModel } from '../serve/served-model.js';
import type { ManifestServe } from '../records/manifest-serving.js';
import { isOpenAITarget, type LoadedSuite } from '../suite/types.js';
import { UserError } from '../util/errors.js';
import { writeRunFile } from '../records/write-error.js';
import { addInvocation } from '../serve/metrics/across-invocations.js';

export interface Serving {
  /** The suite with the served targets pointed at the server. */
  suite: LoadedSuite;
  /** The manifest's serve entry before the start (`starting` or `not configured`). */
  entry?: ManifestServe;
  /** The checkpoint's weights fingerprint, for the cache keys of the served targets. */
  fingerprint?: string;
  served: string[];
  start?(o: { log_file: string; log_name: string; signal?: AbortSignal }): Promise<ServedModel>;
}

export interface ServingOptions {
  vllm?: string;
  env: Record<string, string | undefined>;
  /** --base-url was given: it and a served checkpoint would both claim the targets. */
  baseUrlFlag?: boolean;
}

export async function prepareServing(suite: LoadedSuite, opts: ServingOptions): Promise<Serving> {
  const spec = suite.serve;
  if (!spec) {
    if (opts.vllm) throw new UserError(`--vllm ${opts.vllm}: the suite has no serve: section for it to start`);
    return { suite, served: [] };
  }
  const openai = suite.targets.filter(isOpenAITarget).map((t) => t.name);
  // With --target, only the selected targets are filled; a section naming none of them serves nothing.
  const names = (spec.targets ?? openai).filter((n) => openai.includes(n));
  if (spec.not_configured) {
    return { suite, served: [], entry: { status: 'not configured', reason: spec.not_configured, targets: names } };
  }
  if (names.length === 0) return { suite, served: [] };
  if (opts.baseUrlFlag) {
    throw new UserError(
      `--base-url: the suite's serve: section already gives ${names.join(', ')} the address of the checkpoint it serves; drop one of the two`,
    );
  }
  const port = spec.port ?? (await freePort(spec.host));
  const ready = { ...spec, port };
  const baseUrl = `http://${clientHost(spec.host)}:${port}/v1`;
  const model = spec.served_model_name ?? spec.checkpoint;
  const targets = suite.targets.map((t) => {
    if (!isOpenAITarget(t) || !names.includes(t.name)) return t;
    const { not_configured: _nc, replicas: _r, ...rest } = t;
    return { ...rest, base_url: baseUrl, model };
  });
  const executable = resolveVllmExecutable(opts.vllm, opts.env, spec);
  const info = checkpointInfo(spec.checkpoint);
  return {
    suite: { ...suite, targets },
    served: names,
    fingerprint: info.fingerprint ?? undefined,
    entry: { status: 'starting', executable, checkpoint: info, base_url: baseUrl, model, targets: names },
    start: (o) => startServedModel(ready, { executable, targets: names, log_file: o.log_file, log_name: o.log_name, signal: o.signal }),
  };
}

/** Every distinct server (origin) behind the suite's openai targets, with the targets it answers for. */
export function serversToWatch(suite: LoadedSuite, running: Set<string>, served?: ServedModel): ServerToWatch[] {
  const byOrigin = new Map<string, string[]>();
  for (const t of suite.targets) {
    if (!isOpenAITarget(t) || !running.has(t.name)) continue;
    for (const url of t.replicas ?? [t.base_url]) {
      let origin: string;
      try {
        origin = serverOrigin(url);
      } catch {
        continue;
      }
      byOrigin.set(origin, [...(byOrigin.get(origin) ?? []), t.name]);
    }
  }
  const servedOrigin = served ? serverOrigin(served.base_url) : undefined;
  return [...byOrigin].map(([url, targets]) => ({
    url,
    targets,
    ...(url === servedOrigin && served?.entry.vllm_version ? { server: `vllm --version: ${served.entry.vllm_version}` } : {}),
  }));
}

/**
 * The model-server side of a run while its items go: the /metrics watch of every server, and the served
 * checkpoint's process, whose death during the run aborts it (as Ctrl-C would: calls in flight finish and
 * are recorded as the connection errors they are, no new call is sent, and --resume continues later).
 */
export interface ServerSide {
  /** Aborted when the served server exits before the run stops it; undefined when nothing is served. */
  readonly down?: AbortSignal;
  /** Scrapes once more, writes server-metrics.json, stops the served server; says whether it had died. */
  finish(runDir: string): Promise<{ serverFailure?: string }>;
  /** Stops everything without writing anything (the run threw). */
  abandon(): Promise<void>;
}

export async function watchServerSide(suite: LoadedSuite, running: Set<string>, served: ServedModel | undefined, intervalMs?: number): Promise<ServerSide> {
  let watch: MetricsWatch | undefined = await watchServerMetrics(serversToWatch(suite, running, served), { interval_ms: intervalMs });
  let server = served;
  const down = server ? new AbortController() : undefined;
  let stopping = false;
  void server?.process.exited.then(() => {
    if (!stopping) down!.abort();
  });
  const stopServer = async () => {
    stopping = true;
    const s = server;
    server = undefined;
    await s?.stop();
  };
  return {
    down: down?.signal,
    async finish(runDir) {
      const scraped = (await watch?.stop()) ?? [];
      watch = undefined;
      // A resumed run's file already holds the earlier invocations: this one is added, never written over them.
      if (scraped.length) {
        const file = addInvocation(readServerMetrics(runDir), scraped);
        writeRunFile(join(runDir, SERVER_METRICS_FILE), JSON.stringify(file, null, 2) + '\n');
      }
      let serverFailure: string | undefined;
      const s = server;
      if (s && down!.signal.aborted && s.process.exit) {
        s.entry.exited_during_run = s.process.exit;
        serverFailure = `the vLLM server exited with ${describeExit(s.process.exit)} during the run; its last output:\n${s.process.tail(10)}`;
      }
      await stopServer();
      return serverFailure ? { serverFailure } : {};
    },
    async abandon() {
      await watch?.stop();
      watch = undefined;
      await stopServer();
    },
  };
}
