/**
 * The end of every run (a fresh one, a resumed one, a replay): the summary is computed from the records
 * file and server-metrics.json, not from memory (what the report says is what the folder holds), the
 * manifest gets its status and exit code, and the reports are written.
 */
import { join } from 'node:path';
import { readRecords } from '../records/reader.js';
import { writeManifest, type Manifest } from '../records/manifest.js';
import { readServerMetrics, serverSummaries } from '../report/server-summary.js';
import { summariseRun, type Summary } from '../report/summary.js';
import { writeReports } from '../report/write-reports.js';
import { SERVE_EXIT_CODE } from '../serve/served-model.js';

export interface RunOutcome {
  runError?: unknown;
  interrupted?: boolean;
  /** The served model server did not start or died during the run. */
  serverFailure?: string;
}

export interface FinishedRun {
  summary: Summary;
  overTolerance: string[];
  exitCode: number;
}

/** A judge that was asked and answered nothing (every request failed, none from the cache): the run failed its judge metrics. */
export function judgeFailedEverywhere(manifest: Manifest): boolean {
  const c = manifest.judge?.counts;
  return c !== undefined && c.requested > 0 && c.failed === c.requested && c.cached === 0;
}

export async function finishRun(runDir: string, manifest: Manifest, maxErrorRate: number, outcome: RunOutcome): Promise<FinishedRun> {
  const { records } = readRecords(join(runDir, 'records.jsonl'));
  const summary = summariseRun({ name: manifest.suite.name, hash: manifest.suite.sha256 }, manifest.targets, records, serverSummaries(readServerMetrics(runDir)), { groupBy: manifest.group_by });
  const overTolerance = summary.targets.filter((t) => t.status === 'ran' && (t.error_rate ?? 0) > maxErrorRate).map((t) => t.name);
  manifest.ended_at = new Date().toISOString();
  const failed = outcome.runError !== undefined || outcome.serverFailure !== undefined;
  manifest.status = failed ? 'failed' : outcome.interrupted ? 'interrupted' : 'completed';
  const judgeUseless = judgeFailedEverywhere(manifest);
  manifest.exit_code = outcome.runError !== undefined ? 70 : outcome.serverFailure ? SERVE_EXIT_CODE : outcome.interrupted ? 130 : overTolerance.length || judgeUseless ? 1 : 0;
  writeManifest(runDir, manifest);
  await writeReports(runDir, manifest, summary);
  return { summary, overTolerance, exitCode: manifest.exit_code };
}
