/**
 * The edge where a run folder's records become its summary and report digest: records.jsonl streamed once, one
 * record at a time, through the summary's fold and the digest's (records-digest.ts), with server-metrics.json
 * beside it. Nothing holds the records: a million-call run folds in bounded memory but for what the folds keep.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Manifest } from '../records/manifest.js';
import { forEachRecord } from '../records/reader.js';
import { missingText, resolveRequest } from '../records/request-refs.js';
import { readTextStore, type TextStore } from '../records/text-store.js';
import { UserError } from '../util/errors.js';
import type { RunRecord } from '../records/types.js';
import { RecordsDigestFold, type RecordsDigest } from './records-digest.js';
import { readServerMetrics } from '../serve/metrics/scraper.js';
import { serverSummaries } from './server-summary.js';
import type { Summary } from './summary.js';
import { SummaryFold } from './summary-fold.js';

export interface RunRecordsRead {
  summary: Summary;
  digest: RecordsDigest;
  /** Set when the last line was incomplete (a crash mid-write); that line was skipped. */
  torn_tail?: string;
  /** Set when records refer to shared request texts that texts.jsonl lacks: how many, and the first. */
  missing_texts?: string;
}

/**
 * `groupBy`: the breakdowns to cut (default the run's own, manifest.group_by). `onRecord`: sees each record too,
 * for a caller that keeps something small of it. Before `summary` is computed, `check` may throw (a bad flag).
 * `serverNotes: false`: the server figures without the run's resume coverage note (merge, which never added it).
 */
export function readRunRecords(
  runDir: string,
  manifest: Manifest,
  opts: { groupBy?: readonly string[]; onRecord?: (r: RunRecord) => void; check?: () => void; serverNotes?: boolean } = {},
): RunRecordsRead {
  const summaryFold = new SummaryFold(manifest.targets, opts.groupBy ?? manifest.group_by);
  const fold = new RecordsDigestFold(manifest.targets, summaryFold);
  const file = join(runDir, 'records.jsonl');
  // The requests' shared texts are not read into the records (nothing here but the worst cases shows a request);
  // every reference is checked against the store, and a dangling one counted and named.
  // Known by id only here (the check needs no text); the few the worst cases show are read afterwards.
  const texts = readTextStore(runDir, () => false);
  let missing = 0;
  let firstMissing = '';
  const { torn_tail } = existsSync(file)
    ? forEachRecord(file, (r, line) => {
        if (r.request_refs !== undefined) {
          const id = missingText(r, texts);
          if (id !== undefined && missing++ === 0) firstMissing = `${file}:${line.line} refers to text ${id}`;
        }
        fold.add(r);
        opts.onRecord?.(r);
      })
    : {};
  const worst = fold.worstRecords().filter((r) => r.request_refs?.length);
  if (worst.length) {
    const shown = new Set(worst.flatMap((r) => r.request_refs!.map((ref) => ref?.sha256)));
    const needed = readTextStore(runDir, (id) => shown.has(id));
    for (const r of worst) completeRequest(r, needed, file);
  }
  opts.check?.();
  const summary = summaryFold.result(
    { name: manifest.suite.name, hash: manifest.suite.sha256 },
    serverSummaries(readServerMetrics(runDir), opts.serverNotes === false ? undefined : manifest),
  );
  const missing_texts = missing
    ? `${missing} record${missing === 1 ? '' : 's'} refer to request texts that ${texts.file} lacks (first: ${firstMissing}); their requests cannot be shown whole`
    : undefined;
  return { summary, digest: fold.digest(), ...(torn_tail ? { torn_tail } : {}), ...(missing_texts ? { missing_texts } : {}) };
}

/** A worst case's request as sent (its shared texts put back); one whose texts are missing is left as recorded. */
function completeRequest(r: RunRecord, texts: TextStore, file: string): void {
  if (!r.request_refs?.length) return;
  try {
    r.request = resolveRequest(r, texts, file);
    delete r.request_refs;
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
  }
}
