/**
 * `gtm-bench serve-mcp SUITE --backend gtm|real|hybrid [--http --port N]`: the suite's tools as an MCP
 * server, each call answered by the suite's model target (GTM, with the MCP session's history), its real
 * target, or hybrid (gtm until --switch-after N calls or --switch-at S seconds, then real), every call
 * scored (format, logic: there is no reference for a live call) and written as a record into a run
 * folder that `gtm-bench report` reads. An agent framework that speaks MCP trains against simulated tools
 * without code changes: this is to general tools what serve-retriever is to Search-R1.
 * Over stdio, stdout is the protocol: every message of ours goes to stderr.
 */
import { join } from 'node:path';
import { hostHttp, hostStdio, type Hosted } from '../mcp/serve/host.js';
import { ServeBackend, type Backend } from '../mcp/serve/serve-backend.js';
import { createToolServer } from '../mcp/serve/tool-server.js';
import { writeManifest, type ManifestTarget } from '../records/manifest.js';
import { openRecordWriter } from '../records/writer.js';
import { finishRun } from '../run/finish-run.js';
import { draftManifest } from '../run/manifest-draft.js';
import { createRunFolder } from '../run/run-folder.js';
import { createScorer } from '../run/score-item.js';
import { loadSuite } from '../suite/load.js';
import { isOpenAITarget, type TargetSpec } from '../suite/types.js';
import { createTarget, knownTargetKinds } from '../targets/registry.js';
import '../targets/builtin.js';
import type { Target } from '../targets/types.js';
import { UserError } from '../util/errors.js';
import { Plan } from '../plan/plan.js';

export interface ServeMcpOptions {
  backend: Backend;
  http?: boolean;
  port?: number;
  host?: string;
  gtmTarget?: string;
  realTarget?: string;
  switchAfter?: number;
  switchAt?: number;
  out?: string;
  /** Environment for ${VAR} in the suite and API keys (tests); default process.env. */
  env?: Record<string, string | undefined>;
  /** Resolves when the server should stop (tests); default: SIGINT/SIGTERM, or stdin closing for stdio. */
  until?: Promise<void>;
  /** Called once the server listens (tests read the URL). */
  onReady?: (info: { url?: string; runDir: string }) => void;
}

function pickSpec(specs: TargetSpec[], name: string | undefined, want: 'gtm' | 'real', flag: string): TargetSpec {
  const fits = (t: TargetSpec) => (want === 'gtm' ? isOpenAITarget(t) : t.kind.startsWith('real:'));
  const spec = name !== undefined ? specs.find((t) => t.name === name) : specs.find(fits);
  if (!spec) {
    throw new UserError(
      name !== undefined
        ? `${flag} ${name}: the suite has no such target; it has ${specs.map((t) => t.name).join(', ')}`
        : `--backend needs a ${want === 'gtm' ? 'model (kind openai)' : 'real:* '} target and the suite has none; name one with ${flag}`,
    );
  }
  if (spec.not_configured) throw new UserError(`target ${spec.name} is not configured here: ${spec.not_configured}`);
  return spec;
}

export async function serveMcpCommand(suiteFile: string, opts: ServeMcpOptions): Promise<void> {
  const log = (line: string) => process.stderr.write(`gtm-bench serve-mcp: ${line}\n`);
  if (!['gtm', 'real', 'hybrid'].includes(opts.backend)) throw new UserError(`--backend ${opts.backend}: expected gtm, real or hybrid`);
  if (opts.backend === 'hybrid' && opts.switchAfter === undefined && opts.switchAt === undefined)
    throw new UserError('--backend hybrid needs --switch-after N (calls) or --switch-at S (seconds)');
  const env = opts.env ?? process.env;
  const suite = await loadSuite(suiteFile, { env, knownTargetKinds: knownTargetKinds() });
  const targets: Target[] = [];
  const manifestTargets: ManifestTarget[] = [];
  const make = async (spec: TargetSpec) => {
    const t = await createTarget(spec, { suite, env });
    if (t.unavailable) throw new UserError(`target ${spec.name} cannot run here: ${t.unavailable}`);
    targets.push(t);
    manifestTargets.push({ name: spec.name, kind: spec.kind, backend: t.backend, status: 'ran', config: t.describe(), concurrency: spec.concurrency });
    return t;
  };
  const gtm = opts.backend !== 'real' ? await make(pickSpec(suite.targets, opts.gtmTarget, 'gtm', '--gtm-target')) : undefined;
  const real = opts.backend !== 'gtm' ? await make(pickSpec(suite.targets, opts.realTarget, 'real', '--real-target')) : undefined;
  const manifest = draftManifest({
    suite,
    targets: manifestTargets,
    argv: process.argv.slice(2),
    full: Plan.empty(),
    plan: Plan.empty(),
    cache: { mode: 'off', path: null, hits: 0, misses: 0, stored: 0 },
  });
  manifest.run_id = `${suite.name}-serve-mcp-${manifest.run_id.slice(suite.name.length + 1)}`;
  const { runDir, lock } = createRunFolder(opts.out, manifest.run_id);
  (manifest as unknown as Record<string, unknown>).serve_mcp = {
    backend: opts.backend,
    switch_after_calls: opts.switchAfter ?? null,
    switch_at_s: opts.switchAt ?? null,
    transport: opts.http ? 'http' : 'stdio',
  };
  writeManifest(runDir, manifest);
  const sink = openRecordWriter(join(runDir, 'records.jsonl'));
  const backend = new ServeBackend({
    backend: opts.backend,
    gtm,
    real,
    switch: { afterCalls: opts.switchAfter, afterSeconds: opts.switchAt },
    scoreItem: createScorer(suite),
    sink,
    seed: suite.seed,
  });
  const makeServer = () => createToolServer(`gtm-bench ${suite.name}`, '0.1.0', suite.tools, (sid, tool, args) => backend.call(sid, tool, args));
  const onEnd = (sid: string) => backend.endSession(sid);
  let hosted: Hosted;
  let stopped: Promise<void>;
  const signals = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  if (opts.http) {
    hosted = await hostHttp(makeServer, onEnd, { host: opts.host ?? '127.0.0.1', port: opts.port ?? 8765 });
    log(`${suite.tools.length} tools of ${suite.name} at ${hosted.url} (backend ${opts.backend}); records in ${runDir}; Ctrl-C stops`);
    stopped = opts.until ?? signals;
  } else {
    const h = await hostStdio(makeServer, onEnd);
    hosted = h;
    log(`${suite.tools.length} tools of ${suite.name} on stdio (backend ${opts.backend}); records in ${runDir}`);
    stopped = Promise.race([h.closed, opts.until ?? signals]);
  }
  opts.onReady?.({ url: hosted.url, runDir });
  await stopped;
  await hosted.close();
  await backend.close();
  sink.close();
  await Promise.all(targets.map((t) => t.close?.()));
  const finished = await finishRun(runDir, manifest, suite.max_error_rate, {}).finally(() => lock.release());
  log(
    `stopped; ${
      Object.entries(backend.counts)
        .map(([t, n]) => `${n} call(s) answered by ${t}`)
        .join(', ') || 'no calls'
    }; gtm-bench report ${runDir}`,
  );
  process.exitCode = finished.exitCode;
}
