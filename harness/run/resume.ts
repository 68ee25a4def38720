/**
 * --resume RUN_DIR: continue a run that was stopped (Ctrl-C, a crash, `kill -9`, a preempted pod) in its
 * own folder. The records file is made sound first: a last line cut short by a kill is removed (or, when it
 * is a whole record that only lacks its newline, completed). Then the plan is checked to be the run's plan
 * (same suite, data, targets, limit and shard: the sha256 of the ordered item ids must match), and the
 * items already recorded are left out of the work, so nothing is called twice and nothing is lost.
 * Records of calls the interruption itself cut off (error class `aborted`) are dropped and run again; with
 * --retry-errors, so are calls that failed on the backend's side (a server that died, say).
 */
import { closeSync, existsSync, openSync, readSync, renameSync, rmSync, statSync, truncateSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plan } from '../plan/plan.js';
import { Uint32List } from '../util/typed-list.js';
import { readManifest, writeManifest, type Manifest } from '../records/manifest.js';
import type { ManifestResume } from '../records/manifest-serving.js';
import { forEachRecord } from '../records/reader.js';
import { openJsonlSink } from '../records/jsonl.js';
import { RECORD_VERSIONS, type RunRecord } from '../records/types.js';
import { planDifferences } from './manifest-compare.js';
import { UserError } from '../util/errors.js';
import { withoutFolderFlags } from './run-argv.js';
import { redactText } from '../util/redact.js';

export interface ResumedRun {
  manifest: Manifest;
  /** Plan items still to run, in plan order. */
  remaining: Plan;
  entry: ManifestResume;
}

/**
 * Makes the file end on a whole line. Returns what was done, or null when nothing was needed.
 * Only the last line can be torn: the writer hands each record to the kernel in one write().
 */
export function repairTornTail(path: string): string | null {
  const size = statSync(path).size;
  if (size === 0) return null;
  const fd = openSync(path, 'r');
  let text: string;
  try {
    // The tail is at most one record; read back far enough to find the newline before it.
    let chunk = Math.min(size, 1 << 16);
    for (;;) {
      const buf = Buffer.alloc(chunk);
      readSync(fd, buf, 0, chunk, size - chunk);
      text = buf.toString('utf8');
      if (text.endsWith('\n')) return null;
      if (text.includes('\n') || chunk === size) break;
      chunk = Math.min(size, chunk * 4);
    }
  } finally {
    closeSync(fd);
  }
  const lastNewline = text.lastIndexOf('\n');
  const tail = text.slice(lastNewline + 1);
  const tailBytes = Buffer.byteLength(tail);
  try {
    const rec = JSON.parse(tail) as RunRecord;
    if (rec && RECORD_VERSIONS.includes(rec.v) && typeof rec.item_id === 'string') {
      appendFileSync(path, '\n');
      return `the last record lacked its newline; completed it`;
    }
  } catch {
    // not a whole record: cut it
  }
  truncateSync(path, size - tailBytes);
  return `removed an incomplete last line (${tailBytes} bytes)`;
}

/**
 * Opens RUN_DIR for resuming. Returns undefined when the folder holds no run yet (no manifest.json): the
 * caller starts the run there, so a job can always pass --resume and a first attempt simply starts.
 */
export function openForResume(runDir: string, draft: Manifest, plan: Plan, opts: { retryErrors?: boolean } = {}): ResumedRun | undefined {
  const manifestPath = join(runDir, 'manifest.json');
  const recordsPath = join(runDir, 'records.jsonl');
  if (!existsSync(manifestPath)) {
    if (existsSync(recordsPath)) throw new UserError(`--resume ${runDir}: it has records.jsonl but no manifest.json; it is not a gtm-bench run folder`);
    return undefined;
  }
  const old = readManifest(runDir);
  if (old.replay_of || old.merged_from)
    throw new UserError(`--resume ${runDir}: it is a ${old.replay_of ? 'replayed' : 'merged'} run; resume the runs it was made from`);
  const diffs = planDifferences(old, draft);
  if (diffs.length === 0 && old.plan.ids_sha256 && draft.plan.ids_sha256 && old.plan.ids_sha256 !== draft.plan.ids_sha256) {
    diffs.push('the planned items differ (the harness version changed how plans are expanded?)');
  }
  if (diffs.length) {
    // The run's own command line is the hint only when it is not what was typed: else it says nothing new.
    const then = withoutFolderFlags(old.argv).join(' ');
    const hint =
      // The manifest's command line was written redacted (a --base-url with credentials): compared as such.
      then === redactText(withoutFolderFlags(draft.argv).join(' '))
        ? "the flags are the run's; what differs:"
        : `give the same suite, data and flags as the run (${then})`;
    throw new UserError(
      `--resume ${runDir}: this is not the run's plan; ${hint}`,
      diffs.map((d) => ({ file: runDir, line: 0, column: 0, path: '', message: d })),
    );
  }

  const torn = existsSync(recordsPath) ? repairTornTail(recordsPath) : null;
  if (!existsSync(recordsPath)) writeFileSync(recordsPath, '');
  // Streamed (records.jsonl may be far larger than a string can be): one pass decides, by line, what is kept.
  // Per plan item a flag, per kept record its line number (ascending): a million-call run's resume holds no Set of ids.
  let strangers = 0;
  let firstStranger: RunRecord | undefined;
  const redo = (r: RunRecord) => r.error?.class === 'aborted' || (opts.retryErrors === true && r.error !== null);
  const kept = new Uint8Array(plan.length);
  const keptLines = new Uint32List();
  let total = 0;
  forEachRecord(recordsPath, (r, line) => {
    total++;
    const at = typeof r.item_id === 'string' ? plan.indexOf(r.item_id) : -1;
    if (at < 0) {
      strangers++;
      firstStranger ??= r;
      return;
    }
    // A record twice (only a bug could write one) is kept once: "each planned call exactly once".
    if (redo(r) || kept[at]) return;
    kept[at] = 1;
    keptLines.push(line.line);
  });
  if (firstStranger) {
    throw new UserError(
      `--resume ${runDir}: records.jsonl holds ${strangers} records of items not in this plan (first: ${firstStranger.item_id}, call ${firstStranger.call_id}, target ${firstStranger.target})`,
    );
  }
  const dropped = total - keptLines.length;
  if (dropped > 0) {
    // Rewritten and renamed into place: a kill during the rewrite leaves the old file, never half of one.
    const tmp = recordsPath + '.tmp';
    rmSync(tmp, { force: true });
    const sink = openJsonlSink<string>(tmp, (l) => l);
    let next = 0;
    try {
      forEachRecord(recordsPath, (_r, line) => {
        if (next < keptLines.length && keptLines.at(next) === line.line) {
          sink.write(line.text);
          next++;
        }
      });
    } finally {
      sink.close();
    }
    renameSync(tmp, recordsPath);
  }
  const remaining = plan.select((i) => kept[plan.firstWithIdOf(i)] === 0);
  const entry: ManifestResume = {
    at: new Date().toISOString(),
    argv: draft.argv,
    records_kept: keptLines.length,
    records_dropped: dropped,
    torn_tail: torn,
    remaining: remaining.length,
  };
  const manifest: Manifest = {
    ...draft,
    run_id: old.run_id,
    started_at: old.started_at,
    argv: old.argv,
    resumed: [...(old.resumed ?? []), entry],
  };
  writeManifest(runDir, manifest);
  return { manifest, remaining, entry };
}
