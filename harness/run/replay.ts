/**
 * --replay RUN_DIR: re-score a run from what it recorded, with no server, tool or judge called. It is sugar
 * for a suite whose targets are `replay` targets (targets/replay.ts), one answering as each target the run
 * ran, run by the ordinary engine and scored by today's scorers into a new run folder. What it adds to such
 * a suite: the plan is the run's own (same suite bytes, data, seed, --limit and shard, checked here); the
 * manifest is the run's with `replay_of` added, so the summary names the original targets; and the LLM
 * judge's verdicts, being the judge model's answers, are carried over from the records, not asked again.
 * With the same scorers the new summary.json is byte-identical to the original's; after a scorer change it
 * shows exactly what the change did. A call found neither in the records nor (with --cache) in the response
 * cache is a failed call of its target, counted in replay_of.missing and in the error rate.
 */
import { copyFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runItems, type ScoreItem } from '../engine/run-items.js';
import { expandPlan } from '../plan/expand.js';
import { planHash, shardPlan } from '../plan/shard.js';
import { targetIdentity } from '../plan/target-identity.js';
import { harnessInfo, readManifest, runtimeInfo, writeManifest, type Manifest, type ManifestTarget } from '../records/manifest.js';
import type { ManifestReplay } from '../records/manifest-serving.js';
import { forEachRecord } from '../records/reader.js';
import type { RunRecord } from '../records/types.js';
import { openRecordWriter } from '../records/writer.js';
import { responseFamilies } from '../scoring/metric-registry.js';
import { SERVER_METRICS_FILE } from '../serve/metrics/scraper.js';
import type { LoadedSuite, RegisteredTargetSpec } from '../suite/types.js';
import { createTarget } from '../targets/registry.js';
import type { Target } from '../targets/types.js';
import { UserError } from '../util/errors.js';
import { compactTime } from '../util/time.js';
import type { RunCache } from './cache-stage.js';
import { finishRun, type FinishedRun } from './finish-run.js';
import { planDifferences } from './manifest-compare.js';
import { createRunFolder } from './run-folder.js';
import { createScorer } from './score-item.js';

export interface ReplayOptions {
  runDir: string;
  out?: string;
  argv: string[];
  cache?: RunCache;
  /** --group-by for the new run's summary; without it, the replayed run's own. */
  groupBy?: string[];
  env: Record<string, string | undefined>;
}

export async function replayRun(given: LoadedSuite, o: ReplayOptions): Promise<FinishedRun & { runDir: string; manifest: Manifest }> {
  const from = resolve(o.runDir);
  if (!existsSync(join(from, 'manifest.json'))) throw new UserError(`--replay ${o.runDir}: not a run folder (no manifest.json)`);
  const original = readManifest(from);
  // The seed is the run's, whether it came from the suite or from --seed (which replay does not take).
  const suite: LoadedSuite = { ...given, seed: original.seed };

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
  // Planned under the recorded targets' identities, so the items (and their ids) are the run's.
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

  const targets = new Map<string, Target>();
  for (const t of ran) targets.set(t.name, await replayTarget(t, from, suite, o));

  const startedAt = new Date().toISOString();
  const runId = `${suite.name}-replay-${compactTime(startedAt, { millis: true })}`;
  const { runDir, lock } = createRunFolder(o.out, runId);
  try {
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

    const sink = openRecordWriter(join(runDir, 'records.jsonl'));
    let runError: unknown;
    try {
      await runItems(plan, {
        targets,
        tools: new Map(suite.tools.map((t) => [t.name, t])),
        // One at a time per target, as the recorded answers take no time to give.
        concurrency: () => 1,
        scoreItem: withRecordedJudge(createScorer(suite), suite, from),
        sink,
        recordTextChars: suite.limits.record_text_chars,
      });
    } catch (err) {
      runError = err;
    } finally {
      sink.close();
    }
    manifest.replay_of = replayCounts(manifest.replay_of!, targets);
    if (o.cache) manifest.cache = o.cache.entry();
    const finished = await finishRun(runDir, manifest, suite.max_error_rate, { runError });
    if (runError) throw runError;
    return { ...finished, runDir, manifest };
  } finally {
    lock.release();
    await Promise.all([...targets.values()].map((t) => t.close?.()));
  }
}

/** A `replay` target answering as recorded target `t`, built through the registry like a suite's own. */
function replayTarget(t: ManifestTarget, from: string, suite: LoadedSuite, o: ReplayOptions): Promise<Target> {
  const spec: RegisteredTargetSpec = { name: t.name, kind: 'replay', concurrency: 1, options: { run: from, target: t.name } };
  return createTarget(spec, { suite, env: o.env, responseCache: o.cache?.forTarget() });
}

/** The replay targets' counts, summed: what replay_of reports. */
function replayCounts(entry: ManifestReplay, targets: Map<string, Target>): ManifestReplay {
  const sum = { ...entry };
  for (const t of targets.values()) {
    const c = t.runtimeStats?.() as Partial<ManifestReplay> | undefined;
    sum.from_records += c?.from_records ?? 0;
    sum.from_cache += c?.from_cache ?? 0;
    sum.missing += c?.missing ?? 0;
  }
  return sum;
}

/**
 * Scores that need a judge endpoint are the judge model's answers: they are carried over from the item's
 * old record (the scorer runs without a judge), since replay never calls a model.
 */
function withRecordedJudge(scoreItem: ScoreItem, suite: LoadedSuite, from: string): ScoreItem {
  const judged = new Set(
    responseFamilies(suite.metrics)
      .filter((f) => f.needs.judge)
      .flatMap((f) => Object.keys(f.metrics)),
  );
  if (!judged.size) return scoreItem;
  const verdicts = new Map<string, RunRecord['scores']>();
  forEachRecord(join(from, 'records.jsonl'), (r) => {
    const kept = Object.entries(r.scores).filter(([metric]) => judged.has(metric));
    if (kept.length) verdicts.set(r.item_id, Object.fromEntries(kept));
    else verdicts.delete(r.item_id);
  });
  return async (item, obs, earlier) => {
    const out = await scoreItem(item, obs, earlier);
    for (const [metric, s] of Object.entries(verdicts.get(item.id) ?? {})) out.scores.push({ metric, value: s.value, reasons: s.reasons });
    return out;
  };
}
