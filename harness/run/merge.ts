/**
 * `gtm-bench merge RUN_DIR... --out DIR`: joins the shards of one plan (runs made with --shard I/N, on one
 * machine or many) into one run folder. The shards must be runs of the same suite and data with the same
 * targets, seed, repeats and --limit, split the same N ways, and may not share an item; a shard or item that
 * is missing is reported (by call, target and repeat when the suite file is at hand) and the merged run is
 * marked interrupted. The merged records are the shards' records, so its summary.json is the one an
 * unsharded run of the same plan gets from the same answers: the summary is a reduction over item ids.
 * Shards are streamed twice (once for their item ids, once to copy their lines), never held whole, so merged
 * folders of any size work; the merged folder is created and locked like any run folder (run-folder.ts).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expandPlan } from '../plan/expand.js';
import { planHash } from '../plan/shard.js';
import { targetIdentity } from '../plan/target-identity.js';
import type { Plan } from '../plan/plan.js';
import { planDifferences } from './manifest-compare.js';
import { compactTime } from '../util/time.js';
import { readServerMetrics, SERVER_METRICS_FILE, type ServerMetricsEntry } from '../serve/metrics/scraper.js';
import { loadSuite } from '../suite/load.js';
import { UserError, type Problem } from '../util/errors.js';
import { canonicalJson } from '../util/hash.js';
import { harnessInfo, HARNESS_ROOT, readManifest, runtimeInfo, writeManifest, type Manifest } from '../records/manifest.js';
import type { ManifestMergedShard } from '../records/manifest-serving.js';
import { forEachRecord } from '../records/reader.js';
import { forEachJsonl, openJsonlSink, type JsonlSink } from '../records/jsonl.js';
import { TEXTS_FILE, type StoredTextLine } from '../records/text-store.js';
import { createRunFolder } from './run-folder.js';
import { writeRunFile } from '../records/write-error.js';

/** What merge keeps of a record: enough to name it in a message. */
interface RecordKey {
  item_id: string;
  call_id: string;
  target: string;
  repeat: number;
}

export interface MergeResult {
  runDir: string;
  manifest: Manifest;
  /** Shard indexes of 0..N-1 not given. */
  missingShards: number[];
  /** Planned items no shard recorded (known when the suite file could be loaded). */
  missingItems: { call_id: string; target: string; repeat: number }[];
  /** Planned items minus recorded ones, from the shards' manifests (always known). */
  missingCount: number;
  warnings: string[];
}

interface Shard {
  dir: string;
  manifest: Manifest;
  records: RecordKey[];
  index: number;
  count: number;
}

const problem = (file: string, message: string): Problem => ({ file, line: 0, column: 0, path: '', message });
const shardLabel = (m: Manifest) => (m.plan.shard ? `${m.plan.shard.index}/${m.plan.shard.count}` : 'unsharded');

function readShard(dir: string, warnings: string[]): Shard {
  const abs = resolve(dir);
  if (!existsSync(join(abs, 'manifest.json')) || !existsSync(join(abs, 'records.jsonl'))) {
    throw new UserError(`merge: ${dir} is not a run folder (it needs manifest.json and records.jsonl)`);
  }
  const manifest = readManifest(abs);
  const records: RecordKey[] = [];
  const { torn_tail } = forEachRecord(join(abs, 'records.jsonl'), (r) =>
    records.push({ item_id: r.item_id, call_id: r.call_id, target: r.target, repeat: r.repeat }),
  );
  if (torn_tail) warnings.push(`${torn_tail} (resume that shard with --resume to complete it)`);
  const s = manifest.plan.shard ?? { index: 0, count: 1 };
  return { dir: abs, manifest, records, index: s.index, count: s.count };
}

/** Problems that make the shards not parts of one plan; empty when they are. */
function mismatches(shards: Shard[]): Problem[] {
  const first = shards[0];
  const out: Problem[] = [];
  for (const s of shards.slice(1)) {
    for (const d of planDifferences(first.manifest, { ...s.manifest, plan: { ...s.manifest.plan, shard: first.manifest.plan.shard } })) {
      out.push(problem(s.dir, `${d} (compared with ${first.dir})`));
    }
    if (s.count !== first.count)
      out.push(problem(s.dir, `is shard ${shardLabel(s.manifest)}, ${first.dir} is shard ${shardLabel(first.manifest)}: shards of one plan share N`));
    if (canonicalJson(s.manifest.metrics) !== canonicalJson(first.manifest.metrics))
      out.push(problem(s.dir, `metrics ${s.manifest.metrics.join(', ')} differ from ${first.manifest.metrics.join(', ')}`));
  }
  const seen = new Map<number, string>();
  for (const s of shards) {
    const other = seen.get(s.index);
    if (other) out.push(problem(s.dir, `is shard ${shardLabel(s.manifest)} like ${other}: each shard once`));
    seen.set(s.index, s.dir);
  }
  return out;
}

/** The whole plan, from the suite file the shards ran, when it is here unchanged. */
async function fullPlan(m: Manifest, warnings: string[]): Promise<Plan | undefined> {
  const file = resolve(HARNESS_ROOT, m.suite.file);
  if (!existsSync(file)) {
    warnings.push(`suite file ${m.suite.file} is not here: missing items are counted, not listed`);
    return undefined;
  }
  try {
    const suite = await loadSuite(file, { env: {} });
    if (suite.hash !== m.suite.sha256) {
      warnings.push(`suite file ${m.suite.file} changed since the shards ran: missing items are counted, not listed`);
      return undefined;
    }
    const ran = m.targets.filter((t) => t.status === 'ran');
    return expandPlan(
      suite,
      ran.map((t) => ({ name: t.name, identity: targetIdentity(t.config) })),
      { limit: m.plan.limit ?? undefined, limitMode: m.plan.limit_mode ?? 'first' },
    );
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    warnings.push(`suite file ${m.suite.file} could not be loaded (${err.message}): missing items are counted, not listed`);
    return undefined;
  }
}

function worstStatus(statuses: Manifest['status'][]): Manifest['status'] {
  for (const s of ['failed', 'running', 'interrupted'] as const) if (statuses.includes(s)) return s === 'running' ? 'interrupted' : s;
  return 'completed';
}

/** Writes the merged folder's manifest, records and server metrics; the caller computes the summary. */
export async function mergeRuns(dirs: string[], out: string, argv: string[]): Promise<MergeResult> {
  if (dirs.length === 0) throw new UserError('merge: give the run folders of the shards to join');
  const warnings: string[] = [];
  const shards = dirs.map((d) => readShard(d, warnings)).sort((a, b) => a.index - b.index);
  const problems = mismatches(shards);
  if (problems.length)
    throw new UserError(`merge: these runs are not shards of one plan (${problems.length} problem${problems.length === 1 ? '' : 's'})`, problems);

  // No item may be in two shards: a record twice would count a call twice.
  const owner = new Map<string, string>();
  const overlap: Problem[] = [];
  for (const s of shards) {
    for (const r of s.records) {
      const other = owner.get(r.item_id);
      if (other && overlap.length < 10)
        overlap.push(problem(s.dir, `item ${r.item_id} (call ${r.call_id}, target ${r.target}, repeat ${r.repeat}) is also in ${other}`));
      if (other) continue;
      owner.set(r.item_id, s.dir);
    }
  }
  if (overlap.length) throw new UserError('merge: the shards overlap; each call belongs to one shard', overlap);

  const count = shards[0].count;
  const given = new Set(shards.map((s) => s.index));
  const missingShards = Array.from({ length: count }, (_, i) => i).filter((i) => !given.has(i));
  const planned = shards.reduce((n, s) => n + s.manifest.plan.items, 0);
  const recorded = shards.reduce((n, s) => n + s.records.length, 0);
  const first = shards[0].manifest;
  const total = first.plan.total_items ?? planned;
  const plan = await fullPlan(first, warnings);
  const missingItems: MergeResult['missingItems'] = [];
  for (let i = 0; plan && i < plan.length; i++) {
    if (!owner.has(plan.id(i))) missingItems.push({ call_id: plan.call(i).id, target: plan.target(i), repeat: plan.repeat(i) });
  }
  const missingCount = plan ? missingItems.length : total - recorded;

  const runId = `${shards[0].manifest.suite.name}-merged-${compactTime(new Date().toISOString(), { millis: true })}`;
  const { runDir, lock } = createRunFolder(out, runId);
  try {
    return finishMerge(runDir, { shards, argv, runId, plan, total, missingShards, missingItems, missingCount, warnings });
  } finally {
    lock.release();
  }
}

/** Every text of the shards' texts.jsonl, each sha256 once, into `out` (not written when no shard has texts). */
function copyTexts(dirs: string[], out: string): void {
  const seen = new Set<string>();
  let sink: JsonlSink<string> | undefined;
  try {
    for (const dir of dirs) {
      forEachJsonl<StoredTextLine>(join(dir, TEXTS_FILE), (t, line) => {
        if (seen.has(t.sha256)) return;
        seen.add(t.sha256);
        (sink ??= openJsonlSink<string>(out, (l) => l)).write(line.text);
      });
    }
  } finally {
    sink?.close();
  }
}

interface MergeState {
  shards: Shard[];
  argv: string[];
  runId: string;
  plan: Plan | undefined;
  total: number;
  missingShards: number[];
  missingItems: MergeResult['missingItems'];
  missingCount: number;
  warnings: string[];
}

function finishMerge(runDir: string, { shards, argv, runId, plan, total, missingShards, missingItems, missingCount, warnings }: MergeState): MergeResult {
  const first = shards[0].manifest;
  // The shards' shared request texts first, each once (their records refer to them by sha256), then the records.
  copyTexts(
    shards.map((s) => s.dir),
    join(runDir, TEXTS_FILE),
  );
  const sink = openJsonlSink<string>(join(runDir, 'records.jsonl'), (line) => line);
  try {
    // Lines are copied as they are (a torn last line of a shard was warned about and is left out).
    for (const s of shards) forEachRecord(join(s.dir, 'records.jsonl'), (_r, line) => sink.write(line.text));
  } finally {
    sink.close();
  }

  const servers: ServerMetricsEntry[] = shards.flatMap((s) => (readServerMetrics(s.dir)?.servers ?? []).map((e) => ({ ...e, shard: shardLabel(s.manifest) })));
  if (servers.length) writeRunFile(join(runDir, SERVER_METRICS_FILE), JSON.stringify({ version: 1, servers }, null, 2) + '\n');

  const startedAt = shards.map((s) => s.manifest.started_at).sort()[0];
  const merged_from: ManifestMergedShard[] = shards.map((s) => ({
    run_id: s.manifest.run_id,
    dir: s.dir,
    shard: shardLabel(s.manifest),
    status: s.manifest.status,
    items: s.manifest.plan.items,
    records: s.records.length,
  }));
  const { shard: _shard, ...planRest } = first.plan;
  const manifest: Manifest = {
    ...first,
    run_id: runId,
    harness: harnessInfo(),
    runtime: runtimeInfo(),
    argv,
    plan: { ...planRest, items: total, total_items: total, ...(plan ? { ids_sha256: planHash(plan) } : {}) },
    started_at: startedAt,
    ended_at:
      shards
        .map((s) => s.manifest.ended_at ?? '')
        .sort()
        .pop() || null,
    status: missingShards.length || missingCount > 0 ? 'interrupted' : worstStatus(shards.map((s) => s.manifest.status)),
    exit_code: null,
    merged_from,
  };
  delete manifest.serve;
  delete manifest.resumed;
  delete manifest.cache;
  writeManifest(runDir, manifest);
  return { runDir, manifest, missingShards, missingItems, missingCount, warnings };
}
