/**
 * `gtm-bench run`: suite -> targets -> plan -> engine -> records -> summary -> reports. This file only wires
 * the stages together and owns the run folder; each stage lives in its own module.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expandPlan } from '../plan/expand.js';
import { readRecords } from '../records/reader.js';
import { openRecordWriter } from '../records/writer.js';
import {
  harnessInfo,
  portablePath,
  runtimeInfo,
  writeManifest,
  HARNESS_ROOT,
  type Manifest,
  type ManifestJudge,
  type ManifestTarget,
} from '../records/manifest.js';
import { runItems } from '../engine/run-items.js';
import { summariseRun, type Summary } from '../report/summary.js';
import { writeReports } from '../report/write-reports.js';
import { loadSuite } from '../suite/load.js';
import { createTarget, knownTargetKinds } from '../targets/registry.js';
import '../targets/builtin.js';
import type { Target } from '../targets/types.js';
import { UserError } from '../util/errors.js';
import type { LoadedSuite } from '../suite/types.js';
import { applyOverrides, type SuiteOverrides } from './apply-overrides.js';
import { createScorer } from './score-item.js';
import { createJudgeStage, type JudgeStage } from '../judge/judge-stage.js';
import type { Progress } from '../cli/progress.js';

export interface RunSuiteOptions extends SuiteOverrides {
  suiteFile: string;
  limit?: number;
  out?: string;
  argv: string[];
  progress: Progress;
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
}

export interface RunSuiteResult {
  runDir: string;
  manifest: Manifest;
  summary: Summary;
  exitCode: number;
  /** Targets whose error rate exceeded the suite's max_error_rate. */
  overTolerance: string[];
}

/**
 * What of a target's config defines its results: everything but how hard it is driven and where it was
 * written, so re-running with another --concurrency keeps every work item's id.
 */
function targetIdentity(config: Record<string, unknown>): Record<string, unknown> {
  const { concurrency: _c, at: _at, timeout_ms: _t, retries: _r, ...identity } = config;
  return identity;
}

/** The judge runs only when the suite asks for judge metrics and its endpoint is configured here. */
function createJudge(suite: LoadedSuite, env: Record<string, string | undefined>): { stage?: JudgeStage; entry?: ManifestJudge } {
  if (!suite.metrics.includes('judge') || !suite.judge) return {};
  if (suite.judge.not_configured) return { entry: { status: 'not configured', reason: suite.judge.not_configured } };
  const cacheDir = env.GTM_BENCH_CACHE_DIR || join(HARNESS_ROOT, '.gtm-cache');
  const stage = createJudgeStage(suite.judge, { env, cacheDir });
  return { stage, entry: { status: 'ran', ...stage.describe() } };
}

function compactTime(iso: string): string {
  return iso.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

function prepareRunDir(out: string | undefined, runId: string): string {
  const dir = resolve(out ?? join(HARNESS_ROOT, 'reports', 'runs', runId));
  if (existsSync(join(dir, 'records.jsonl'))) {
    throw new UserError(`run folder ${dir} already holds records.jsonl; give a new --out folder`);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

export async function runSuite(opts: RunSuiteOptions): Promise<RunSuiteResult> {
  const loaded = await loadSuite(opts.suiteFile, { env: opts.env, knownTargetKinds: knownTargetKinds() });
  const suite = applyOverrides(loaded, opts);
  if (opts.limit !== undefined && (!Number.isInteger(opts.limit) || opts.limit < 1)) {
    throw new UserError(`--limit ${opts.limit}: expected an integer >= 1`);
  }
  const judge = createJudge(suite, opts.env ?? process.env);
  const scoreItem = createScorer(suite, judge.stage);

  const targets = new Map<string, Target>();
  const manifestTargets: ManifestTarget[] = [];
  try {
    for (const spec of suite.targets) {
      if (spec.not_configured) {
        manifestTargets.push({ name: spec.name, kind: spec.kind, backend: 'none', status: 'not configured', reason: spec.not_configured, config: {}, concurrency: spec.concurrency });
        continue;
      }
      const target = await createTarget(spec, { suite, env: opts.env ?? process.env });
      targets.set(spec.name, target);
      manifestTargets.push({ name: spec.name, kind: spec.kind, backend: target.backend, status: 'ran', config: target.describe(), concurrency: spec.concurrency });
    }
    const plan = expandPlan(
      suite,
      manifestTargets.filter((t) => t.status === 'ran').map((t) => ({ name: t.name, identity: targetIdentity(t.config) })),
      { limit: opts.limit },
    );

    const startedAt = new Date().toISOString();
    const runId = `${suite.name}-${compactTime(startedAt)}`;
    const runDir = prepareRunDir(opts.out, runId);
    const manifest: Manifest = {
      manifest_version: 1,
      run_id: runId,
      harness: harnessInfo(),
      runtime: runtimeInfo(),
      suite: { file: portablePath(suite.file), name: suite.name, version: suite.version, sha256: suite.hash, included_files: suite.included_files ?? {} },
      datasets: Object.fromEntries(
        suite.datasets.map((d) => [
          d.name,
          { path: portablePath(d.path), sha256: suite.dataset_hashes[d.name], rows: suite.calls.filter((c) => c.source.dataset === d.name).length },
        ]),
      ),
      skipped_rows: suite.skipped_rows,
      targets: manifestTargets,
      metrics: suite.metrics,
      seed: suite.seed,
      repeats: suite.repeats,
      max_error_rate: suite.max_error_rate,
      ...(judge.entry ? { judge: judge.entry } : {}),
      argv: opts.argv,
      plan: { items: plan.length, limit: opts.limit ?? null },
      started_at: startedAt,
      ended_at: null,
      status: 'running',
      exit_code: null,
    };
    writeManifest(runDir, manifest);

    const sink = openRecordWriter(join(runDir, 'records.jsonl'));
    const concurrency = new Map(suite.targets.map((t) => [t.name, t.concurrency]));
    opts.progress.start(plan.length);
    let runError: unknown;
    try {
      await runItems(plan, {
        targets,
        tools: new Map(suite.tools.map((t) => [t.name, t])),
        concurrency: (name) => concurrency.get(name) ?? 1,
        scoreItem,
        sink,
        onRecord: (r) => opts.progress.tick(r),
        signal: opts.signal,
      });
    } catch (err) {
      runError = err;
    } finally {
      opts.progress.stop();
      sink.close();
    }

    // The summary is computed from the records file, not from memory: what the report says is what the file holds.
    const { records } = readRecords(join(runDir, 'records.jsonl'));
    const summary = summariseRun({ name: suite.name, hash: suite.hash }, manifestTargets, records);
    const overTolerance = summary.targets
      .filter((t) => t.status === 'ran' && (t.error_rate ?? 0) > suite.max_error_rate)
      .map((t) => t.name);
    const interrupted = opts.signal?.aborted === true;
    if (judge.stage && manifest.judge) manifest.judge.counts = { ...judge.stage.counts };
    manifest.ended_at = new Date().toISOString();
    manifest.status = runError ? 'failed' : interrupted ? 'interrupted' : 'completed';
    manifest.exit_code = runError ? 70 : interrupted ? 130 : overTolerance.length ? 1 : 0;
    writeManifest(runDir, manifest);
    writeReports(runDir, manifest, summary);
    if (runError) throw runError;
    return { runDir, manifest, summary, exitCode: manifest.exit_code, overTolerance };
  } finally {
    await Promise.all([...targets.values()].map((t) => t.close?.()));
    await judge.stage?.close();
  }
}

