/**
 * `gtm-bench baseline accept RUN_DIR [--out FILE]` writes an accepted baseline (default
 * baselines/<suite>.json); `checkAgainstBaseline` is what `run --against FILE` calls once the run is done.
 */
import { displayPath } from '../util/display-path.js';
import { defaultOutput } from '../util/default-output.js';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { buildBaseline, parseBaseline, scoreTableFromBaseline, serialiseBaseline } from '../compare/baseline.js';
import { compareScores, type Comparison } from '../compare/compare.js';
import { renderCompareMarkdown } from '../compare/compare-markdown.js';
import { dataDifferences } from '../compare/data-identity.js';
import { scoreTableFromRecords } from '../report/score-table.js';
import { summariseRun } from '../report/summary-fold.js';
import { UserError } from '../util/errors.js';
import { checkComparable, choosePairs, writeComparison } from './compare.js';
import { loadGates, loadRunFolder, type RunFolder } from './run-folder.js';
import { redactFileText } from '../util/redact.js';
import { jsonErrorWithoutText } from '../util/foreign-file.js';

export async function baselineAcceptCommand(runDir: string, flags: { out?: string }): Promise<void> {
  const run = loadRunFolder(runDir);
  if (run.manifest.status !== 'completed') {
    throw new UserError(`${runDir}: run status is ${run.manifest.status}; only a completed run can be accepted as a baseline`);
  }
  const summary = summariseRun({ name: run.manifest.suite.name, hash: run.manifest.suite.sha256 }, run.manifest.targets, run.records);
  // A target none of whose calls answered would freeze "no scores" as the standard to hold later runs to.
  const dead = summary.targets.filter((t) => t.status === 'ran' && t.calls > 0 && t.errors === t.calls);
  if (dead.length) {
    throw new UserError(
      `${runDir}: every call of ${dead
        .map(
          (t) =>
            `target ${t.name} (${t.errors} of ${t.calls}${
              Object.keys(t.errors_by_class).length
                ? ', ' +
                  Object.entries(t.errors_by_class)
                    .map(([c, n]) => `${c} × ${n}`)
                    .join(', ')
                : ''
            })`,
        )
        .join(' and ')} failed; a baseline must hold scores. Fix the endpoint and accept a run in which it answered`,
    );
  }
  const baseline = buildBaseline(run.manifest, summary, run.records, new Date().toISOString());
  const out = flags.out ?? defaultOutput('baselines', `${run.manifest.suite.name}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, redactFileText(out, serialiseBaseline(baseline)));
  const calls = Object.values(baseline.scores).reduce((n, s) => n + s.rows.length, 0);
  process.stdout.write(
    `accepted run ${run.manifest.run_id} as the baseline: ${displayPath(out)} (${baseline.targets.length} targets, ${calls} scored calls)\n`,
  );
}

export function readBaselineFile(file: string) {
  if (!existsSync(file)) throw new UserError(`--against ${file}: no such file`);
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UserError(`--against ${file}: not JSON: ${jsonErrorWithoutText((err as Error).message)}`);
  }
  return parseBaseline(doc, file);
}

export interface BaselineCheck {
  comparison: Comparison;
  markdown: string;
}

/**
 * Compares a finished run with a baseline under the suite's gates, writes gates.md, compare.json,
 * compare.csv and gates.junit.xml into the run folder, and returns the verdict. Refuses (exit 2) when the
 * data differ, unless allowed.
 */
export function checkAgainstBaseline(run: RunFolder, baselineFile: string, opts: { allowDifferentData?: boolean }): BaselineCheck {
  const baseline = readBaselineFile(baselineFile);
  const differences = checkComparable(dataDifferences(baseline, run.manifest), opts.allowDifferentData, `the run and the baseline ${baselineFile}`);
  const { gates, source } = loadGates(run.manifest);
  const a = scoreTableFromBaseline(baseline);
  const b = scoreTableFromRecords(run.records);
  // No pair at all is the baseline's targets not running: a failed check (exit 1, "has no records in this
  // run"), not bad input; and `run` has no --target-a/--target-b to pair them with.
  const comparison = compareScores(a, b, choosePairs(a, b, {}, { a: 'the baseline', b: 'the run' }, { allowNone: true }), gates, { requireBaseTargets: true });
  const markdown = renderCompareMarkdown(comparison, {
    title: `gtm-bench run vs baseline: ${run.manifest.suite.name}`,
    a: { role: 'baseline', id: `${displayPath(baselineFile)} (run ${baseline.run_id})`, commit: baseline.harness?.git_commit },
    b: { role: 'run', id: run.manifest.run_id, commit: run.manifest.harness.git_commit },
    dataDifferences: differences,
    gatesSource: source,
  });
  writeComparison(run.dir, comparison, markdown, `gtm-bench gates ${run.manifest.suite.name}`, 'gates.md');
  return { comparison, markdown };
}
