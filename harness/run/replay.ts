/**
 * --replay RUN_DIR: re-score a run from what it recorded, with no server, tool or judge called. Every item
 * of the run's plan gets the observation its record holds (the text, and the latency, usage and retries the
 * backend had), or, if the records lack it, the response cache's answer; it is scored again by today's
 * scorers into a new run folder. The LLM judge's verdicts are the judge model's answers: they are carried
 * over from the records, not asked again. With the same scorers the new summary.json is byte-identical to
 * the original's; after a scorer change it shows exactly what the change did.
 */
import { copyFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expandPlan } from '../plan/expand.js';
import { planHash, shardPlan } from '../plan/shard.js';
import { targetIdentity } from '../plan/target-identity.js';
import type { WorkItem } from '../plan/types.js';
import { buildRecord } from '../engine/build-record.js';
import { modelCacheKeyer, type CacheKeyer } from '../records/cache/cache-key.js';
import { harnessInfo, readManifest, runtimeInfo, writeManifest, type Manifest } from '../records/manifest.js';
import { readRecords } from '../records/reader.js';
import type { RunRecord } from '../records/types.js';
import { openRecordWriter } from '../records/writer.js';
import { SERVER_METRICS_FILE } from '../serve/metrics/scraper.js';
import type { LoadedSuite } from '../suite/types.js';
import type { Observation } from '../targets/types.js';
import { UserError } from '../util/errors.js';
import type { RunCache } from './cache-stage.js';
import { finishRun, type FinishedRun } from './finish-run.js';
import { planDifferences } from './manifest-compare.js';
import { createRunFolder } from './run-folder.js';
import { compactTime } from '../util/time.js';
import { createScorer } from './score-item.js';
import { responseFamilies } from '../scoring/metric-registry.js';

export interface ReplayOptions {
  runDir: string;
  out?: string;
  argv: string[];
  cache?: RunCache;
  /** --group-by for the new run's summary; without it, the replayed run's own. */
  groupBy?: string[];
}

function observationOf(r: RunRecord): Observation {
  return {
    raw: r.raw,
    request: r.request,
    latency_ms: r.latency_ms,
    ...(r.ttft_ms !== undefined ? { ttft_ms: r.ttft_ms } : {}),
    ...(r.usage ? { usage: r.usage } : {}),
    retries: r.retries,
    error: r.error,
    ...(r.finish_reason ? { finish_reason: r.finish_reason } : {}),
    ...(r.replica ? { replica: r.replica } : {}),
    ...(r.cache ? { cache: r.cache } : {}),
  };
}

export async function replayRun(given: LoadedSuite, o: ReplayOptions): Promise<FinishedRun & { runDir: string; manifest: Manifest }> {
  const from = resolve(o.runDir);
  if (!existsSync(join(from, 'manifest.json'))) throw new UserError(`--replay ${o.runDir}: not a run folder (no manifest.json)`);
  const original = readManifest(from);
  // The seed is the run's, whether it came from the suite or from --seed (which replay does not take).
  const suite: LoadedSuite = { ...given, seed: original.seed };
  const { records } = readRecords(join(from, 'records.jsonl'));

  // The suite must be the run's: same file bytes, same data. The plan is then the run's own.
  const now: Manifest = {
    ...original,
    seed: suite.seed,
    repeats: suite.repeats,
    suite: { ...original.suite, sha256: suite.hash },
    datasets: Object.fromEntries(suite.datasets.map((d) => [d.name, { ...original.datasets[d.name], sha256: suite.dataset_hashes[d.name] }])),
  };
  const diffs = planDifferences(original, now);
  if (diffs.length) {
    throw new UserError(
      `--replay ${o.runDir}: the suite differs from the run's`,
      diffs.map((d) => ({ file: suite.file, line: 0, column: 0, path: '', message: d })),
    );
  }
  const ran = original.targets.filter((t) => t.status === 'ran');
  const full = expandPlan(
    suite,
    ran.map((t) => ({ name: t.name, identity: targetIdentity(t.config) })),
    { limit: original.plan.limit ?? undefined, limitMode: original.plan.limit_mode ?? 'first' },
  );
  const plan = shardPlan(full, original.plan.shard);
  if (original.plan.ids_sha256 && planHash(plan) !== original.plan.ids_sha256) {
    throw new UserError(
      `--replay ${o.runDir}: this harness plans the suite differently from the one that ran it (plan sha256 differs); replay it with that version`,
    );
  }

  const byItem = new Map(records.map((r) => [r.item_id, r]));
  const keyers = new Map<string, CacheKeyer | undefined>();
  const fingerprint = original.serve?.checkpoint?.fingerprint ?? undefined;
  const fromCache = (item: WorkItem): Observation | undefined => {
    const store = o.cache?.store;
    if (!store) return undefined;
    if (!keyers.has(item.target))
      keyers.set(
        item.target,
        modelCacheKeyer(ran.find((t) => t.name === item.target)!.config, (original.serve?.targets ?? []).includes(item.target) ? fingerprint : undefined),
      );
    const keyer = keyers.get(item.target);
    const tool = suite.tools.find((t) => t.name === item.call.tool)!;
    if (!keyer) return undefined;
    const { key, request } = keyer.key({ tool, call: item.call, repeat: item.repeat, seed: item.seed });
    const stored = store.get(key);
    return stored ? { ...stored, request, cache: 'hit' } : undefined;
  };

  const startedAt = new Date().toISOString();
  const runId = `${suite.name}-replay-${compactTime(startedAt, { millis: true })}`;
  const { runDir, lock } = createRunFolder(o.out, runId);
  try {
    return await replayInto(runDir, { suite, o, original, from, plan, byItem, fromCache, startedAt, runId });
  } finally {
    lock.release();
  }
}

interface ReplayState {
  suite: LoadedSuite;
  o: ReplayOptions;
  original: Manifest;
  from: string;
  plan: WorkItem[];
  byItem: Map<string, RunRecord>;
  fromCache: (item: WorkItem) => Observation | undefined;
  startedAt: string;
  runId: string;
}

async function replayInto(
  runDir: string,
  { suite, o, original, from, plan, byItem, fromCache, startedAt, runId }: ReplayState,
): Promise<FinishedRun & { runDir: string; manifest: Manifest }> {
  const ran = original.targets.filter((t) => t.status === 'ran');
  const manifest: Manifest = {
    ...original,
    run_id: runId,
    harness: harnessInfo(),
    runtime: runtimeInfo(),
    argv: o.argv,
    started_at: startedAt,
    ended_at: null,
    status: 'running',
    exit_code: null,
    ...(o.cache ? { cache: o.cache.entry() } : {}),
    replay_of: { run_id: original.run_id, dir: from, from_records: 0, from_cache: 0, missing: 0 },
  };
  delete manifest.resumed;
  if (o.groupBy?.length) manifest.group_by = [...o.groupBy];
  writeManifest(runDir, manifest);
  if (existsSync(join(from, SERVER_METRICS_FILE))) copyFileSync(join(from, SERVER_METRICS_FILE), join(runDir, SERVER_METRICS_FILE));

  const scoreItem = createScorer(suite);
  // Scores that need a judge endpoint are carried over from the old records: replay never calls a model.
  const judged = new Set(
    responseFamilies(suite.metrics)
      .filter((f) => f.needs.judge)
      .flatMap((f) => Object.keys(f.metrics)),
  );
  const backends = new Map(ran.map((t) => [t.name, t.backend]));
  const sink = openRecordWriter(join(runDir, 'records.jsonl'));
  const replay = manifest.replay_of!;
  let runError: unknown;
  try {
    for (const item of plan) {
      const old = byItem.get(item.id);
      const obs = old ? observationOf(old) : fromCache(item);
      if (!obs) {
        replay.missing++;
        continue;
      }
      if (old) replay.from_records++;
      else replay.from_cache++;
      const { parsed, scores } = await scoreItem(item, obs);
      if (judged.size && old) {
        for (const [metric, s] of Object.entries(old.scores)) if (judged.has(metric)) scores.push({ metric, value: s.value, reasons: s.reasons });
      }
      sink.write(buildRecord(item, old?.backend ?? backends.get(item.target)!, old?.started_at ?? startedAt, obs, parsed, scores));
    }
  } catch (err) {
    runError = err;
  } finally {
    sink.close();
  }
  if (o.cache) manifest.cache = o.cache.entry();
  const finished = await finishRun(runDir, manifest, suite.max_error_rate, { runError });
  if (runError) throw runError;
  return { ...finished, runDir, manifest };
}
