/**
 * manifest.json: what a person needs to reproduce a run: the exact inputs (content hashes), the harness
 * and runtime, every target's config without secrets, and when it ran. Written when the run starts (so a
 * crash still leaves it) and rewritten when it ends.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, ftruncateSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { hostname, cpus, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import type { ManifestServe } from './manifest-serving.js';
import { RunFolderWriteError } from './write-error.js';
import { redactJsonText } from '../util/redact.js';
import type { ManifestCache, ManifestMergedShard, ManifestReplay, ManifestResume } from './manifest-serving.js';

import { PACKAGE_ROOT } from '../util/package-root.js';
import { jsonErrorWithoutText } from '../util/foreign-file.js';
import { UserError } from '../util/errors.js';

export const HARNESS_ROOT = PACKAGE_ROOT;

export interface ManifestTarget {
  name: string;
  kind: string;
  backend: string;
  status: 'ran' | 'not configured';
  reason?: string;
  /** Target.describe(): config without secrets. */
  config: Record<string, unknown>;
  concurrency: number;
  /** What the backend itself counted during the run (Target.runtimeStats), e.g. per-replica ejections. */
  runtime?: Record<string, unknown>;
}

/** The LLM judge, when the suite asks for judge metrics. */
export interface ManifestJudge {
  status: 'ran' | 'not configured';
  reason?: string;
  backend?: string;
  counts?: { cached: number; requested: number; failed: number };
  /** The first failed judge request's reason (secrets redacted), when one failed. */
  error_example?: string;
  [key: string]: unknown;
}

export interface Manifest {
  manifest_version: 1;
  /** What the folder holds (run/run-folder.ts); absent in manifests written before it existed: a fidelity run. */
  kind?: 'fidelity';
  run_id: string;
  harness: { name: string; version: string; git_commit: string | null; git_dirty: boolean | null };
  runtime: { node: string; platform: string; arch: string; host: string; cpus: number; memory_gib: number };
  suite: { file: string; name: string; version: string; sha256: string; included_files: Record<string, string> };
  datasets: Record<string, { path: string; sha256: string; rows: number }>;
  skipped_rows: string[];
  targets: ManifestTarget[];
  metrics: string[];
  seed: number;
  repeats: number;
  max_error_rate: number;
  judge?: ManifestJudge;
  /** --baseline-target: the target the report's paired differences are taken against (default: see report/paired-differences.ts). */
  baseline_target?: string;
  /** The command line, as given (flags carry no secrets: keys only ever come from environment variables). */
  argv: string[];
  plan: {
    items: number;
    limit: number | null;
    /** How --limit chose its calls; absent in runs made before the stratified sample (they took the first N). */
    limit_mode?: 'stratified' | 'first';
    /** --shard I/N: this run holds the calls dealt to shard I of N (see plan/shard.ts). */
    shard?: { index: number; count: number };
    /** Items of the whole (unsharded) plan. */
    total_items?: number;
    /** sha256 of this run's ordered item ids: --resume and merge check it. */
    ids_sha256?: string;
  };
  /** gtm-bench served the checkpoint for this run (the suite's serve: section). */
  serve?: ManifestServe;
  /** The response cache: its mode and how many calls it answered. */
  cache?: ManifestCache;
  /** Every time the run was continued with --resume. */
  resumed?: ManifestResume[];
  /** Set by `gtm-bench merge`: the shard runs this folder joins. */
  merged_from?: ManifestMergedShard[];
  /** Set by --replay: the run whose records were re-scored. */
  replay_of?: ManifestReplay;
  /** --group-by: the fields summary.json and the reports break every metric down by. */
  group_by?: string[];
  started_at: string;
  ended_at: string | null;
  status: 'running' | 'completed' | 'failed' | 'interrupted';
  /** Why a failed run failed, when it is not a harness bug (`disk full`, a server that died). */
  failure?: string;
  exit_code: number | null;
}

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: HARNESS_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

export function harnessInfo(): Manifest['harness'] {
  const pkg = JSON.parse(readFileSync(join(HARNESS_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  const commit = git(['rev-parse', 'HEAD']);
  const status = commit === null ? null : git(['status', '--porcelain', '--untracked-files=no']);
  return { name: pkg.name, version: pkg.version, git_commit: commit, git_dirty: status === null ? null : status !== '' };
}

export function runtimeInfo(): Manifest['runtime'] {
  return {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    host: hostname(),
    cpus: cpus().length,
    memory_gib: Math.round((totalmem() / 2 ** 30) * 10) / 10,
  };
}

/** Paths in the manifest are relative to the harness root when inside it, so manifests compare across machines. */
export function portablePath(path: string): string {
  const rel = relative(HARNESS_ROOT, path);
  return rel.startsWith('..') ? path : rel;
}

/**
 * Atomic write (temp file + rename), so a reader never sees half a manifest. On a full disk the temp file
 * cannot be written; the manifest is then overwritten in place (its blocks are already allocated, so a
 * manifest of about the same size still fits), because a manifest that says `failed: disk full` is worth
 * more than an atomic one that still says `running`. Throws RunFolderWriteError when neither works.
 */
export function writeManifest(runDir: string, manifest: Manifest): void {
  const path = join(runDir, 'manifest.json');
  const text = redactJsonText(JSON.stringify(manifest, null, 2) + '\n');
  try {
    writeFileSync(path + '.tmp', text);
    renameSync(path + '.tmp', path);
  } catch (err) {
    rmSync(path + '.tmp', { force: true });
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOSPC' && code !== 'EDQUOT') throw new RunFolderWriteError(path, err);
    try {
      const fd = openSync(path, 'r+');
      try {
        const buf = Buffer.from(text);
        let done = 0;
        while (done < buf.length) done += writeSync(fd, buf, done, buf.length - done, done);
        ftruncateSync(fd, buf.length);
      } finally {
        closeSync(fd);
      }
    } catch {
      throw new RunFolderWriteError(path, err);
    }
  }
}

/** The manifest as written; a file that is not JSON is a UserError that quotes none of it (util/foreign-file.ts). */
export function readManifest(runDir: string): Manifest {
  const path = join(runDir, 'manifest.json');
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text) as Manifest;
  } catch (err) {
    throw new UserError(`${path}: not a readable manifest: ${jsonErrorWithoutText((err as Error).message)}`);
  }
}
