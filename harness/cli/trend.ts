/**
 * `gtm-bench trend [--history FILE] [--add RUN_DIR] [--suite NAME] [--last N] [--out DIR]`: appends a run to
 * the nightly history when asked, then charts every metric over the nights: trend.html (self-contained),
 * trend.md, and the exports (one CSV per table, one vega-lite JSON per chart) under DIR/trend-data/.
 */
import { displayPath } from '../util/display-path.js';
import { defaultOutput } from '../util/default-output.js';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { historyEntry } from '../compare/history.js';
import { appendHistory, defaultHistoryFile, readHistory } from '../compare/history-store.js';
import { renderReport } from '../report/render-report.js';
import { summariseRun } from '../report/summary-fold.js';
import { buildTrend } from '../compare/trend.js';
import { buildTrendReport, renderTrendMarkdown } from '../compare/trend-report.js';
import { UserError } from '../util/errors.js';
import { loadGates, loadRunFolder } from './run-folder.js';
import { redactFileText } from '../util/redact.js';

export interface TrendFlags {
  history?: string;
  add?: string;
  suite?: string;
  last?: number;
  out?: string;
}

/** Appends one finished run folder to the history file (used by `trend --add` and `run --history`). */
export function addRunToHistory(runDir: string, historyFile: string): string {
  const run = loadRunFolder(runDir);
  const summary = summariseRun({ name: run.manifest.suite.name, hash: run.manifest.suite.sha256 }, run.manifest.targets, run.records);
  const { gates } = loadGates(run.manifest);
  appendHistory(historyFile, historyEntry(run.manifest, summary, gates));
  return run.manifest.run_id;
}

export async function trendCommand(flags: TrendFlags): Promise<void> {
  const historyFile = resolve(flags.history ?? defaultHistoryFile());
  const shown = displayPath(historyFile);
  if (flags.add) process.stdout.write(`added run ${addRunToHistory(flags.add, historyFile)} to ${shown}\n`);
  // A missing history drew an empty trend and exited 0: a nightly job pointed at the wrong path never knew.
  if (!existsSync(historyFile)) {
    throw new UserError(`--history ${shown}: no such file; it is written by \`run --history FILE\` or \`trend --add RUN_DIR\``);
  }
  const { entries, problems } = readHistory(historyFile);
  for (const p of problems) process.stderr.write(`warning: ${p} (line skipped)\n`);
  if (flags.suite && !entries.some((e) => e.suite.name === flags.suite)) {
    throw new UserError(
      `--suite ${flags.suite}: ${shown} has no run of that suite (it has: ${[...new Set(entries.map((e) => e.suite.name))].join(', ') || 'none'})`,
    );
  }
  const trend = buildTrend(entries, { suite: flags.suite, last: flags.last });
  const out = resolve(flags.out ?? defaultOutput('reports', 'trend'));
  const rendered = await renderReport(buildTrendReport(trend, shown), `Written by gtm-bench trend from ${shown}. Self-contained: no script, no network.`);
  mkdirSync(out, { recursive: true });
  const dataDir = join(out, 'trend-data');
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir);
  for (const [name, text] of rendered.exports) writeFileSync(join(dataDir, name), redactFileText(name, text));
  const markdown = renderTrendMarkdown(trend, shown);
  writeFileSync(join(out, 'trend.html'), redactFileText('trend.html', rendered.html));
  writeFileSync(join(out, 'trend.md'), redactFileText('trend.md', markdown));
  for (const e of rendered.chartErrors) process.stderr.write(`warning: ${e}\n`);
  process.stdout.write(markdown);
  const regressions = trend.series.flatMap((s) => s.points.filter((p) => p.regression)).length;
  process.stdout.write(
    `\n${trend.nights.length} runs, ${regressions} regression mark${regressions === 1 ? '' : 's'}; wrote ${displayPath(out)}/trend.html, trend.md and trend-data/\n`,
  );
}
