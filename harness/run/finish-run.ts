/**
 * The end of every run (a fresh one, a resumed one, a replay): the summary is computed from the records
 * file and server-metrics.json, not from memory (what the report says is what the folder holds), the
 * reports are written, then the manifest gets its status and exit code. The manifest comes last so that it
 * never claims `completed` for a folder whose reports could not be written (a full disk, say); a run whose
 * folder could not be written ends `failed` with the reason (`disk full`) and exit code 4, and --resume
 * continues it once there is room.
 */
import { writeManifest, type Manifest } from '../records/manifest.js';
import { RunFolderWriteError, WRITE_FAILED_EXIT_CODE } from '../records/jsonl.js';
import { readRunRecords } from '../report/read-run-records.js';
import type { Summary } from '../report/summary.js';
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

/**
 * Calls were made but not one of any target was scored (every metric's n is 0 everywhere): nothing useful
 * ran. Such a run exits 1 whatever max_error_rate allows, because a nightly job with max_error_rate 1 went
 * green on a dead endpoint. A run with no calls at all (one stopped before its first call) is not this case.
 */
export function nothingScored(summary: Summary): boolean {
  const ran = summary.targets.filter((t) => t.status === 'ran' && t.calls > 0);
  return ran.length > 0 && ran.every((t) => Object.values(t.metrics).every((m) => m.n === 0));
}

function ending(
  outcome: RunOutcome,
  overTolerance: string[],
  judgeUseless: boolean,
  nothingUseful: boolean,
): Pick<Manifest, 'status' | 'exit_code' | 'failure'> {
  const e = outcome.runError;
  if (e instanceof RunFolderWriteError) return { status: 'failed', failure: e.reason, exit_code: WRITE_FAILED_EXIT_CODE };
  if (e !== undefined) return { status: 'failed', exit_code: 70 };
  if (outcome.serverFailure !== undefined) return { status: 'failed', failure: 'model server', exit_code: SERVE_EXIT_CODE };
  if (outcome.interrupted) return { status: 'interrupted', exit_code: 130 };
  return { status: 'completed', exit_code: overTolerance.length || judgeUseless || nothingUseful ? 1 : 0 };
}

export async function finishRun(runDir: string, manifest: Manifest, maxErrorRate: number, outcome: RunOutcome): Promise<FinishedRun> {
  // Streamed: one record at a time goes through the folds, so a million-call run's summary and reports fit in memory.
  const { summary, digest } = readRunRecords(runDir, manifest);
  const overTolerance = summary.targets.filter((t) => t.status === 'ran' && (t.error_rate ?? 0) > maxErrorRate).map((t) => t.name);
  manifest.ended_at = new Date().toISOString();
  Object.assign(manifest, ending(outcome, overTolerance, judgeFailedEverywhere(manifest), nothingScored(summary)));
  let reportError: unknown;
  // A run stopped by a full disk writes no reports (they would fail the same way and hide the first error);
  // --resume writes them once there is room.
  if (!(outcome.runError instanceof RunFolderWriteError))
    try {
      await writeReports(runDir, manifest, summary, digest);
    } catch (caught) {
      // Anything that failed for want of space or a sound disk (a mkdir, say) is a write failure too, not a bug.
      const errno = (caught as NodeJS.ErrnoException)?.code ?? '';
      const err =
        !(caught instanceof RunFolderWriteError) && ['ENOSPC', 'EDQUOT', 'EIO', 'EROFS'].includes(errno)
          ? new RunFolderWriteError((caught as NodeJS.ErrnoException).path ?? runDir, caught)
          : caught;
      reportError = err;
      const write = err instanceof RunFolderWriteError;
      manifest.status = 'failed';
      manifest.failure = `reports not written: ${write ? err.reason : ((err as Error)?.message ?? String(err))}`;
      if (manifest.exit_code === 0 || manifest.exit_code === 1 || manifest.exit_code === 130) manifest.exit_code = write ? WRITE_FAILED_EXIT_CODE : 70;
    }
  writeManifest(runDir, manifest);
  // After the manifest says so, the reports' failure is the run's error (exit 4 for a write failure).
  if (reportError !== undefined && outcome.runError === undefined) throw reportError;
  return { summary, overTolerance, exitCode: manifest.exit_code! };
}
