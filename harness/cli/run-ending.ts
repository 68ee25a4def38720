/**
 * The last lines of `gtm-bench run`, where a person (or a nightly log) looks first: a judge that failed on
 * every request, a target that failed on every call, and an interrupted run with the exact command that
 * continues it. Pure: lines from the run's result and its command line.
 */
import { displayPath } from '../util/display-path.js';
import type { RunSuiteResult } from '../run/run-suite.js';
import { judgeFailedEverywhere, nothingScored } from '../run/finish-run.js';
import { withoutFolderFlags } from '../run/run-argv.js';

const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);

/** The command that continues the run in `runDir`: the same command line, its folder given to --resume. */
export function resumeCommand(argv: readonly string[], runDir: string): string {
  const kept = withoutFolderFlags(argv);
  const dir = displayPath(runDir);
  return ['gtm-bench', ...kept, '--resume', dir].map(quote).join(' ');
}

export function runEndingLines(result: RunSuiteResult, argv: readonly string[]): string[] {
  const out: string[] = [];
  const m = result.manifest;
  if (judgeFailedEverywhere(m)) {
    const c = m.judge!.counts!;
    out.push(
      `the judge failed on every request (${c.failed} of ${c.requested}${m.judge!.error_example ? `; the first: ${m.judge!.error_example}` : ''}): this run has no judge.* scores, so it exits 1`,
    );
  }
  for (const t of result.summary.targets) {
    if (t.status === 'ran' && t.calls > 0 && t.errors === t.calls) {
      out.push(`target ${t.name} failed on every call (${t.errors} of ${t.calls}): none of its calls was scored; why is listed above and in report.md`);
    }
  }
  if (m.status === 'completed' && nothingScored(result.summary)) {
    out.push(`nothing useful ran: not one call of any target was scored, so the run exits 1 whatever the suite's max_error_rate (${m.max_error_rate}) allows`);
  }
  if (m.status === 'interrupted') {
    out.push(`interrupted: ${result.summary.records} of ${m.plan.items} planned items are recorded; to continue: ${resumeCommand(argv, result.runDir)}`);
  }
  return out;
}
