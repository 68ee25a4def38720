/**
 * `gtm-bench run`: suite -> targets -> plan -> engine -> records -> summary -> reports. This file only wires
 * the stages together; each stage lives in its own module: the served checkpoint (serve-stage.ts), the
 * response cache (cache-stage.ts), the run folder and --resume (run-folder.ts, resume.ts), --shard
 * (plan/shard.ts), --replay (replay.ts), the scrape of the servers' /metrics (serve/metrics/), the end of
 * the run (finish-run.ts).
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expandPlan, type LimitMode } from '../plan/expand.js';
import { shardPlan, type Shard } from '../plan/shard.js';
import { targetIdentity } from '../plan/target-identity.js';
import { openRecordWriter } from '../records/writer.js';
import { TEXTS_FILE } from '../records/text-store.js';
import { writeManifest, type Manifest, type ManifestJudge, type ManifestTarget } from '../records/manifest.js';
import type { CacheMode } from '../records/cache/response-store.js';
import { runItems } from '../engine/run-items.js';
import type { Summary } from '../report/summary.js';
import { ServeError, type ServedModel } from '../serve/served-model.js';
import type { ManifestServe } from '../records/manifest-serving.js';
import { loadSuite } from '../suite/load.js';
import { createTarget, targetKindsForSuite } from '../targets/registry.js';
import '../builtin.js';
import type { Target } from '../targets/types.js';
import { UserError } from '../util/errors.js';
import { redactMessage, secretValues } from '../util/redact.js';
import type { LoadedSuite } from '../suite/types.js';
import { applyOverrides, type SuiteOverrides } from './apply-overrides.js';
import { openRunCache, type RunCache } from './cache-stage.js';
import { finishRun } from './finish-run.js';
import { replayRun } from './replay.js';
import { openRunFolder } from './run-folder.js';
import type { RunLock } from './run-lock.js';
import { draftManifest } from './manifest-draft.js';
import { createScorer } from './score-item.js';
import { createWorkerScorer, defaultScoreWorkers } from './score-workers.js';
import { checkGroupBy } from '../report/group-by.js';
import { responseFamilies } from '../scoring/metric-registry.js';
import { runEndpoints } from './preflight-stage.js';
import { preflight } from '../endpoint/preflight.js';
import { checkSomethingRuns } from './selection-check.js';
import { checkPromptSizes } from './prompt-size-check.js';
import { prepareServing, watchServerSide, type ServerSide } from './serve-stage.js';
import type { JudgeStage } from '../judge/judge-stage.js';
import type { Progress } from './progress.js';

export interface RunSuiteOptions extends SuiteOverrides {
  suiteFile: string;
  limit?: number;
  out?: string;
  argv: string[];
  progress: Progress;
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
  /** --shard I/N: only the calls dealt to shard I of N. */
  shard?: Shard;
  /** --cache; default off (see cache-stage.ts). */
  cache?: CacheMode;
  /** --resume RUN_DIR: continue that run in its folder. */
  resume?: string;
  /** With resume: also call again the items whose record is a failed call. */
  retryErrors?: boolean;
  /** --replay RUN_DIR: re-score that run's records into a new folder, calling nothing. */
  replay?: string;
  /** --vllm PATH: the vllm executable for a serve: section. */
  vllm?: string;
  /** Called once a served checkpoint answers, with its manifest entry (the CLI says where it is). */
  onServe?: (entry: ManifestServe) => void;
  /** How often the servers' gauges (KV-cache usage, queue) are sampled during the run. */
  scrapeIntervalMs?: number;
  /** false: skip the pre-flight GET /v1/models of the model endpoints (--no-preflight). */
  preflight?: boolean;
  /** --limit-mode: how --limit picks its calls (default stratified; plan/expand.ts). */
  limitMode?: LimitMode;
  /** --baseline-target: the target the report's paired differences are taken against. */
  baselineTarget?: string;
  /** --group-by: fields to break every metric down by (report/group-by.ts); kept in the manifest. */
  groupBy?: string[];
  /** --score-workers: worker threads that parse and score answers (score-workers.ts); default cores - 1, 0 on 2 cores. */
  scoreWorkers?: number;
}

export interface RunSuiteResult {
  runDir: string;
  manifest: Manifest;
  summary: Summary;
  exitCode: number;
  /** Targets whose error rate exceeded the suite's max_error_rate. */
  overTolerance: string[];
  /** Set when the model server gtm-bench started died during the run (exit code 3). */
  serverFailure?: string;
}

/** The judge runs only when the suite asks for judge metrics and its endpoint is configured here. */
function judgeWanted(suite: LoadedSuite): boolean {
  return !!suite.judge && responseFamilies(suite.metrics).some((f) => f.needs.judge);
}

async function createJudge(
  suite: LoadedSuite,
  env: Record<string, string | undefined>,
  cache: RunCache,
): Promise<{ stage?: JudgeStage; entry?: ManifestJudge }> {
  if (!judgeWanted(suite) || !suite.judge) return {};
  if (suite.judge.not_configured) return { entry: { status: 'not configured', reason: suite.judge.not_configured } };
  // Imported here: the judge's endpoint client loads undici (~50 ms), which a run without a judge never needs.
  const { createJudgeStage } = await import('../judge/judge-stage.js');
  const stage = createJudgeStage(suite.judge, { env, cache: cache.forJudge(), maxResponseBytes: suite.limits.response_bytes });
  return { stage, entry: { status: 'ran', ...stage.describe() } };
}

function checkFlags(opts: RunSuiteOptions, suite: LoadedSuite): void {
  if (opts.limit !== undefined && (!Number.isInteger(opts.limit) || opts.limit < 1)) {
    throw new UserError(`--limit ${opts.limit}: expected an integer >= 1`);
  }
  // An existing file as --out used to surface as an internal error (mkdir's EEXIST with a stack trace).
  if (opts.out !== undefined && existsSync(opts.out) && !statSync(opts.out).isDirectory()) {
    throw new UserError(`--out ${opts.out}: that is a file, not a folder; give a folder for the run (it is created when missing)`);
  }
  if (opts.baselineTarget !== undefined && !suite.targets.some((t) => t.name === opts.baselineTarget)) {
    throw new UserError(
      `--baseline-target ${opts.baselineTarget}: no such target in ${suite.file}; its targets are ${suite.targets.map((t) => t.name).join(', ')}`,
    );
  }
  if (opts.replay !== undefined) {
    const planFlags = (
      [
        ['--limit', opts.limit],
        ['--shard', opts.shard],
        ['--target', opts.targets?.length ? opts.targets : undefined],
        ['--seed', opts.seed],
        ['--resume', opts.resume],
        ['--base-url', opts.baseUrl],
        ['--model', opts.model],
      ] as const
    )
      .filter(([, v]) => v !== undefined)
      .map(([f]) => f);
    if (planFlags.length) throw new UserError(`--replay takes its plan and targets from the run it replays; drop ${planFlags.join(', ')}`);
  }
}

type DraftInputs = Parameters<typeof draftManifest>[0];

/**
 * Expands and shards the plan, drafts the manifest and opens (or resumes) the run folder. A function of its own so
 * that the whole plan and the shard are garbage once it returns: only the items this invocation runs go on.
 */
function planRun(
  suite: LoadedSuite,
  targets: ManifestTarget[],
  created: ReadonlyMap<string, Target>,
  opts: RunSuiteOptions,
  entries: Pick<DraftInputs, 'judge' | 'serve' | 'cache'>,
): ReturnType<typeof openRunFolder> {
  const full = expandPlan(
    suite,
    targets.filter((t) => t.status === 'ran').map((t) => ({ name: t.name, identity: targetIdentity(t.config) })),
    { limit: opts.limit, limitMode: opts.limitMode },
  );
  const plan = shardPlan(full, opts.shard);
  checkPromptSizes(plan, created, suite.tools, suite.limits.prompt_bytes, opts.suiteFile);
  const draft = draftManifest({
    suite,
    targets,
    ...entries,
    argv: opts.argv,
    full,
    plan,
    limit: opts.limit,
    limitMode: opts.limitMode,
    shard: opts.shard,
  });
  if (opts.baselineTarget !== undefined) draft.baseline_target = opts.baselineTarget;
  return openRunFolder(opts, draft, plan);
}

/** Aborted by the user (Ctrl-C) or by the served model server's death, whichever comes first. */
function eitherSignal(a: AbortSignal | undefined, b: AbortSignal | undefined): AbortSignal | undefined {
  if (!a || !b) return a ?? b;
  // Calls in flight wait on it through net/abort-fanout.ts: one listener, whatever the concurrency.
  return AbortSignal.any([a, b]);
}

export async function runSuite(opts: RunSuiteOptions): Promise<RunSuiteResult> {
  const env = opts.env ?? process.env;
  const loaded = await loadSuite(opts.suiteFile, { env: opts.env, ...targetKindsForSuite() });
  let suite = applyOverrides(loaded, opts);
  checkFlags(opts, suite);
  // A --group-by field no call carries is a typo: say so before any call is made.
  if (opts.groupBy?.length)
    checkGroupBy(
      opts.groupBy,
      suite.calls.map((c) => ({ ...c, dataset: c.source.dataset })),
    );
  if (opts.replay !== undefined) {
    const cache = opts.cache && opts.cache !== 'off' ? openRunCache('read-only', env) : undefined;
    try {
      return await replayRun(suite, { runDir: opts.replay, out: opts.out, argv: opts.argv, cache, groupBy: opts.groupBy, env });
    } finally {
      cache?.close();
    }
  }
  const serving = await prepareServing(suite, { vllm: opts.vllm, env, baseUrlFlag: opts.baseUrl !== undefined });
  suite = serving.suite;
  // Before the judge, the cache and the run folder: an endpoint that cannot answer stops the run in seconds.
  if (opts.preflight !== false) await preflight(runEndpoints(suite, serving.served), env);
  // One response cache for the model targets and the judge (the judge uses it even with --cache off).
  const cache = openRunCache(opts.cache ?? 'off', env, { judge: judgeWanted(suite) && !suite.judge?.not_configured });
  let judge: Awaited<ReturnType<typeof createJudge>>;
  try {
    judge = await createJudge(suite, env, cache);
  } catch (err) {
    cache.close();
    throw err;
  }
  // A judge makes network calls from its scorer: a suite that has one scores in-thread (score-workers.ts).
  const scoreWorkers = judge.stage ? 0 : (opts.scoreWorkers ?? defaultScoreWorkers());
  const workerScorer = scoreWorkers > 0 ? createWorkerScorer(suite, scoreWorkers, { signal: opts.signal }) : undefined;
  const scoreItem = workerScorer?.scoreItem ?? createScorer(suite, judge.stage, { signal: opts.signal });

  const targets = new Map<string, Target>();
  /** The targets before the cache wraps them, for the plan-time prompt size check. */
  const unwrapped = new Map<string, Target>();
  const manifestTargets: ManifestTarget[] = [];
  let server: ServedModel | undefined;
  let serverSide: ServerSide | undefined;
  let lock: RunLock | undefined;
  try {
    for (const spec of suite.targets) {
      if (spec.not_configured) {
        manifestTargets.push({
          name: spec.name,
          kind: spec.kind,
          backend: 'none',
          status: 'not configured',
          reason: spec.not_configured,
          config: {},
          concurrency: spec.concurrency,
        });
        continue;
      }
      const fingerprint = serving.served.includes(spec.name) ? serving.fingerprint : undefined;
      const target = await createTarget(spec, { suite, env, responseCache: cache.forTarget(fingerprint) });
      if (target.unavailable) {
        manifestTargets.push({
          name: spec.name,
          kind: spec.kind,
          backend: target.backend,
          status: 'not configured',
          reason: target.unavailable,
          config: target.describe(),
          concurrency: spec.concurrency,
        });
        await target.close?.();
        continue;
      }
      unwrapped.set(spec.name, target);
      targets.set(spec.name, cache.markUncached(target));
      manifestTargets.push({
        name: spec.name,
        kind: spec.kind,
        backend: target.backend,
        status: 'ran',
        config: target.describe(),
        concurrency: spec.concurrency,
      });
    }
    checkSomethingRuns(manifestTargets, opts.targets, opts.suiteFile);
    // The plan is compact (plan/plan.ts: ~12 MB for a million items, off the JS heap); the full plan and its
    // id index stay inside planRun, and only the items this invocation runs go on.
    const {
      runDir,
      manifest,
      remaining: work,
      lock: runLock,
    } = planRun(suite, manifestTargets, unwrapped, opts, {
      judge: judge.entry,
      serve: serving.entry,
      cache: cache.entry(),
    });
    lock = runLock;
    if (opts.groupBy?.length) manifest.group_by = [...opts.groupBy];
    writeManifest(runDir, manifest);
    const sink = openRecordWriter(join(runDir, 'records.jsonl'), { batch: true, texts: join(runDir, TEXTS_FILE) });

    // A resumed run with nothing left to do does not start a server for it.
    if (serving.start && work.length > 0) {
      try {
        server = await serving.start({ log_file: join(runDir, 'vllm.log'), log_name: 'vllm.log', signal: opts.signal });
      } catch (err) {
        sink.close();
        if (!(err instanceof ServeError)) throw err;
        manifest.serve = { ...manifest.serve!, status: 'failed', reason: err.message };
        // Ctrl-C while vLLM was loading is an interruption (130), not a server failure (3).
        if (opts.signal?.aborted) {
          return { runDir, manifest, ...(await finishRun(runDir, manifest, suite.max_error_rate, { interrupted: true })) };
        }
        await finishRun(runDir, manifest, suite.max_error_rate, { serverFailure: err.message });
        throw err;
      }
      manifest.serve = server.entry;
      writeManifest(runDir, manifest);
      opts.onServe?.(server.entry);
    } else if (serving.start) manifest.serve = { ...manifest.serve!, status: 'skipped', reason: 'a resumed run with nothing left to call' };
    serverSide = await watchServerSide(suite, new Set(targets.keys()), server, opts.scrapeIntervalMs);
    const concurrency = new Map(suite.targets.map((t) => [t.name, t.concurrency]));
    opts.progress.start(work.length);
    let runError: unknown;
    try {
      await runItems(work, {
        targets,
        tools: new Map(suite.tools.map((t) => [t.name, t])),
        concurrency: (name) => concurrency.get(name) ?? 1,
        scoreItem,
        sink,
        onRecord: (r) => opts.progress.tick(r),
        signal: eitherSignal(opts.signal, serverSide.down),
        recordTextChars: suite.limits.record_text_chars,
      });
      // The last batch of records, inside the try: a failed write is the run's error (exit 4), and the manifest says so.
      sink.flush?.();
    } catch (err) {
      runError = err;
    } finally {
      opts.progress.stop();
      sink.close();
    }
    const { serverFailure } = await serverSide.finish(runDir);
    serverSide = undefined;
    if (server) manifest.serve = server.entry;
    if (judge.stage && manifest.judge) {
      manifest.judge.counts = { ...judge.stage.counts };
      if (judge.stage.firstError) manifest.judge.error_example = redactMessage(judge.stage.firstError, secretValues(env));
    }
    for (const entry of manifestTargets) {
      const runtime = targets.get(entry.name)?.runtimeStats?.();
      if (runtime) entry.runtime = runtime;
    }
    manifest.cache = cache.entry();
    const finished = await finishRun(runDir, manifest, suite.max_error_rate, {
      runError,
      serverFailure,
      interrupted: opts.signal?.aborted === true,
    });
    if (runError) throw runError;
    return { runDir, manifest, ...finished, ...(serverFailure ? { serverFailure } : {}) };
  } finally {
    // Reached with a server or a watch still up only when something above threw: the server never outlives the run.
    if (serverSide) await serverSide.abandon();
    else if (server && !server.entry.stopped) await server.stop();
    await Promise.all([...targets.values()].map((t) => t.close?.()));
    await judge.stage?.close();
    await workerScorer?.close();
    cache.close();
    lock?.release();
  }
}
