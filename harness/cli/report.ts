import { join } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { readManifest } from '../records/manifest.js';
import { openRunFolderReadOnly } from '../run/run-folder.js';
import type { Summary } from '../report/summary.js';
import { readRunRecords } from '../report/read-run-records.js';
import { summaryTable } from '../report/terminal.js';
import { checkGroupBy, type Groupable } from '../report/group-by.js';
import { writeReports } from '../report/write-reports.js';
import { chooseBaselineTarget } from '../report/paired-differences.js';
import { writeHtmlReport } from '../report/write-html-report.js';
import { UserError } from '../util/errors.js';
import { displayPath } from '../util/display-path.js';
import { jsonErrorWithoutText } from '../util/foreign-file.js';

export async function reportCommand(runDirArg: string, flags: { groupBy?: string[]; baselineTarget?: string } = {}): Promise<void> {
  const { dir: runDir, manifest, kind } = openRunFolderReadOnly(runDirArg);
  if (kind === 'agent' || !existsSync(join(runDir, 'records.jsonl'))) {
    if (!existsSync(join(runDir, 'summary.json')))
      throw new UserError(`${displayPath(runDir)} is not a run folder: it has neither records.jsonl nor summary.json`);
    await writeSummaryHtmlReport(runDir);
    process.stdout.write(`wrote report.html and report-data/ in ${displayPath(runDir)} from its summary.json (no records.jsonl)\n`);
    return;
  }
  // --group-by here re-cuts the breakdowns of an existing run; without it, the run's own (manifest.group_by).
  const groupBy = flags.groupBy?.length ? flags.groupBy : manifest.group_by;
  // Streamed (read-run-records.ts); beside the folds only the distinct tag sets are kept, to check --group-by.
  const tagSets = new Map<string, Groupable>();
  const { summary, digest, torn_tail, missing_texts } = readRunRecords(runDir, manifest, {
    groupBy,
    onRecord: (r) => {
      if (r.tags?.length) tagSets.set(r.tags.join('\n'), { dataset: r.dataset, tool: r.tool, tags: r.tags });
    },
    check: () => {
      if (flags.groupBy?.length) checkGroupBy(flags.groupBy, tagSets.values());
    },
  });
  if (torn_tail) process.stderr.write(`warning: ${torn_tail}\n`);
  if (missing_texts) process.stderr.write(`warning: ${missing_texts}\n`);
  if (flags.baselineTarget !== undefined) {
    chooseBaselineTarget(summary, flags.baselineTarget, true);
    manifest.baseline_target = flags.baselineTarget;
  }
  const html = await writeReports(runDir, manifest, summary, digest);
  for (const w of html.warnings) process.stderr.write(`warning: ${w}\n`);
  process.stdout.write(summaryTable(summary) + '\n');
  process.stdout.write(`rewrote summary.json, summary.csv, report.md, report.html and report-data/ in ${displayPath(runDir)}\n`);
}

/**
 * An agent run folder (episodes.jsonl, steps.jsonl) keeps its own summary.json: its report.html is drawn from
 * that alone. Used by `report` and at the end of `agent` / `agent-report`.
 */
export async function writeSummaryHtmlReport(runDir: string): Promise<void> {
  const summary = readSummaryFile(join(runDir, 'summary.json'));
  const html = await writeHtmlReport(runDir, readManifest(runDir), summary);
  for (const w of html.warnings) process.stderr.write(`warning: ${w}\n`);
}

function readSummaryFile(path: string): Summary {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Summary;
  } catch (err) {
    throw new UserError(`${path}: not a JSON summary: ${jsonErrorWithoutText((err as Error).message)}`);
  }
}
