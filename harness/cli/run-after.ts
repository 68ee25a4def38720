/**
 * What `run` does after the run folder is complete, when asked: check the run against an accepted baseline
 * with the suite's gates (--against), and append it to the nightly history (--history). Kept out of
 * run-suite.ts: both only read the finished run folder, like `compare` and `trend` do.
 */
import { displayPath } from '../util/display-path.js';
import { resolve } from 'node:path';
import { checkAgainstBaseline, readBaselineFile } from './baseline.js';
import { loadRunFolder } from './run-folder.js';
import { addRunToHistory } from './trend.js';

export interface AfterRunFlags {
  against?: string;
  allowDifferentData?: boolean;
  history?: string;
}

/** Fails before the run starts (exit 2) when the baseline file is missing or is not a baseline. */
export function checkAfterRunFlags(flags: AfterRunFlags): void {
  if (flags.against) readBaselineFile(flags.against);
}

/** Returns the run's exit code, raised to 1 when a gated metric regressed against the baseline. */
export function afterRun(runDir: string, exitCode: number, flags: AfterRunFlags): number {
  if (!flags.against && !flags.history) return exitCode;
  if (exitCode === 130 || exitCode === 70) {
    process.stdout.write('run did not complete: no baseline check and no history entry\n');
    return exitCode;
  }
  let code = exitCode;
  if (flags.against) {
    const check = checkAgainstBaseline(loadRunFolder(runDir), flags.against, { allowDifferentData: flags.allowDifferentData });
    process.stdout.write('\n' + check.markdown);
    process.stdout.write(`gate check written to ${displayPath(runDir)}/gates.md and gates.junit.xml\n`);
    if (check.comparison.failed) code = Math.max(code, 1);
  }
  if (flags.history) {
    const file = resolve(flags.history);
    const id = addRunToHistory(runDir, file);
    process.stdout.write(`added run ${id} to ${displayPath(file)}\n`);
  }
  return code;
}
