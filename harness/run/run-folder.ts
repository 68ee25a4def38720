/**
 * The run folder's lifecycle, one home for every command that writes or reads one:
 *   create     a new folder for a run, replay, merge or agent run (refusing one that already holds a run,
 *              which would mix two), locked for writing (run-lock.ts);
 *   resume     --resume: the folder of the run being continued, locked, its records made sound (resume.ts);
 *   read-only  report, compare, trend, baseline, merge's inputs: no lock, user-facing errors for a folder
 *              that is not a run folder or whose manifest does not read;
 *   finish     finish-run.ts: summary from the records, status and exit code in the manifest, reports.
 * The manifest is written atomically (records/manifest.ts); records and agent files go through one JSONL
 * utility (records/jsonl.ts). A folder's `kind` (manifest and summary) says which reports fit it.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Plan } from '../plan/plan.js';
import { readManifest, type Manifest } from '../records/manifest.js';
import { UserError } from '../util/errors.js';
import { defaultOutput } from '../util/default-output.js';
import { openForResume } from './resume.js';
import { lockRunFolder, type RunLock } from './run-lock.js';

export type RunKind = 'fidelity' | 'agent';

/** Files whose presence means a folder already holds a run. */
const RUN_DATA = ['records.jsonl', 'texts.jsonl', 'episodes.jsonl', 'steps.jsonl'];

/** The folder a new run writes: --out, else reports/runs/RUN_ID under the working folder (util/default-output.ts). */
export function defaultRunDir(out: string | undefined, runId: string): string {
  return resolve(out ?? defaultOutput('reports', 'runs', runId));
}

export interface CreatedRunFolder {
  runDir: string;
  lock: RunLock;
}

/** A new, locked folder; refused when it already holds a run's data. */
export function createRunFolder(out: string | undefined, runId: string, opts: { resumable?: boolean } = {}): CreatedRunFolder {
  const dir = defaultRunDir(out, runId);
  const held = () => RUN_DATA.find((f) => existsSync(join(dir, f)));
  const refuse = (f: string) =>
    new UserError(`run folder ${dir} already holds a run (${f}); give a new --out folder${opts.resumable ? ` (or --resume ${dir} to continue that run)` : ''}`);
  const found = held();
  if (found) throw refuse(found);
  mkdirSync(dir, { recursive: true });
  const lock = lockRunFolder(dir);
  // Checked again under the lock: another writer may have started between the check and the lock.
  const raced = held();
  if (raced) {
    lock.release();
    throw refuse(raced);
  }
  return { runDir: dir, lock };
}

export interface OpenedRunFolder {
  runDir: string;
  manifest: Manifest;
  /** The plan items this invocation runs. */
  remaining: Plan;
  resumed: boolean;
  lock: RunLock;
}

/** `gtm-bench run`'s folder: a new one, or with --resume the run's own (locked before anything is read). */
export function openRunFolder(o: { out?: string; resume?: string; retryErrors?: boolean }, draft: Manifest, plan: Plan): OpenedRunFolder {
  if (o.resume === undefined) {
    if (o.retryErrors) throw new UserError('--retry-errors goes with --resume RUN_DIR: it says which records of that run to call again');
    const { runDir, lock } = createRunFolder(o.out, draft.run_id, { resumable: true });
    return { runDir, manifest: draft, remaining: plan, resumed: false, lock };
  }
  const runDir = resolve(o.resume);
  if (o.out !== undefined && resolve(o.out) !== runDir) {
    throw new UserError(`--out ${o.out} and --resume ${o.resume}: a resumed run writes into its own folder; drop --out`);
  }
  mkdirSync(runDir, { recursive: true });
  const lock = lockRunFolder(runDir);
  try {
    const resumed = openForResume(runDir, draft, plan, { retryErrors: o.retryErrors });
    if (resumed) return { runDir, manifest: resumed.manifest, remaining: resumed.remaining, resumed: true, lock };
  } catch (err) {
    lock.release();
    throw err;
  }
  // Nothing to resume yet (a job's first attempt): start the run in that folder.
  return { runDir, manifest: draft, remaining: plan, resumed: false, lock };
}

/** The kind of a run folder's manifest; manifests written before `kind` existed are fidelity runs. */
export function runKind(manifest: { kind?: string }): RunKind {
  return manifest.kind === 'agent' ? 'agent' : 'fidelity';
}

export interface ReadOnlyRunFolder {
  dir: string;
  manifest: Manifest;
  kind: RunKind;
}

/**
 * A run folder opened for reading: no lock (a run may be writing it; what is read is what was whole when read),
 * and a UserError naming the folder and file when it is not a run folder. `need` lists the files the caller reads.
 */
export function openRunFolderReadOnly(dirArg: string, need: string[] = ['manifest.json']): ReadOnlyRunFolder {
  const dir = resolve(dirArg);
  if (!existsSync(dir)) throw new UserError(`${dirArg}: no such run folder`);
  for (const f of ['manifest.json', ...need]) {
    if (!existsSync(join(dir, f))) throw new UserError(`${dirArg} is not a run folder: it has no ${f}`);
  }
  // Not JSON: a UserError naming the file that quotes none of it.
  const manifest: Manifest = readManifest(dir);
  if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) {
    throw new UserError(`${join(dirArg, 'manifest.json')}: not a gtm-bench manifest (not a JSON object)`);
  }
  return { dir, manifest, kind: runKind(manifest) };
}
