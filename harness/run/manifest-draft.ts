/**
 * The manifest a run starts with (status `running`): the exact inputs by content hash, the targets without
 * secrets, the plan (with its shard and the sha256 of its item ids), the served checkpoint, the cache mode.
 * --resume compares it with the run's own manifest before continuing; the run rewrites it when it ends.
 */
import type { Shard } from '../plan/shard.js';
import { planHash } from '../plan/shard.js';
import type { Plan } from '../plan/plan.js';
import { harnessInfo, portablePath, runtimeInfo, type Manifest, type ManifestJudge, type ManifestTarget } from '../records/manifest.js';
import type { ManifestCache } from '../records/manifest-serving.js';
import type { ManifestServe } from '../records/manifest-serving.js';
import type { LoadedSuite } from '../suite/types.js';
import { compactTime } from '../util/time.js';

export interface DraftInputs {
  suite: LoadedSuite;
  targets: ManifestTarget[];
  judge?: ManifestJudge;
  argv: string[];
  /** The whole plan, and the part of it this run owns (the same list unless --shard). */
  full: Plan;
  plan: Plan;
  limit?: number;
  limitMode?: 'stratified' | 'first';
  shard?: Shard;
  serve?: ManifestServe;
  cache: ManifestCache;
}

export function draftManifest(d: DraftInputs): Manifest {
  const { suite } = d;
  const startedAt = new Date().toISOString();
  return {
    manifest_version: 1,
    kind: 'fidelity',
    run_id: `${suite.name}-${d.shard ? `shard${d.shard.index}of${d.shard.count}-` : ''}${compactTime(startedAt, { millis: true })}`,
    harness: harnessInfo(),
    runtime: runtimeInfo(),
    suite: { file: portablePath(suite.file), name: suite.name, version: suite.version, sha256: suite.hash, included_files: suite.included_files ?? {} },
    datasets: Object.fromEntries(
      suite.datasets.map((ds) => [
        ds.name,
        { path: portablePath(ds.path), sha256: suite.dataset_hashes[ds.name], rows: suite.calls.filter((c) => c.source.dataset === ds.name).length },
      ]),
    ),
    skipped_rows: suite.skipped_rows,
    targets: d.targets,
    metrics: suite.metrics,
    seed: suite.seed,
    repeats: suite.repeats,
    max_error_rate: suite.max_error_rate,
    ...(d.judge ? { judge: d.judge } : {}),
    argv: d.argv,
    plan: {
      items: d.plan.length,
      limit: d.limit ?? null,
      ...(d.limit !== undefined ? { limit_mode: d.limitMode ?? 'stratified' } : {}),
      ...(d.shard ? { shard: { ...d.shard }, total_items: d.full.length } : {}),
      ids_sha256: planHash(d.plan),
    },
    ...(d.serve ? { serve: d.serve } : {}),
    cache: d.cache,
    started_at: startedAt,
    ended_at: null,
    status: 'running',
    exit_code: null,
  };
}
