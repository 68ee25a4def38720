/**
 * Writes a run folder's report.html and its exports (report-data/: one CSV per table, one vega-lite JSON
 * per figure, curves.json when the run has curves). The folder's other files are only read.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Manifest } from '../records/manifest.js';
import { writeRunFile } from '../records/write-error.js';
import type { RecordsDigest } from './records-digest.js';
import { renderReport } from './render-report.js';
import type { PairedDifferences } from './paired-differences.js';
import { buildRunReport } from './run-report.js';
import { loadDatasetCalls, loadPaperBaseline, loadRunCurves } from './run-inputs.js';
import type { Summary } from './summary.js';

export const REPORT_DATA_DIR = 'report-data';

export interface HtmlReportResult {
  /** Problems worth a warning line: charts that failed, curves that could not be read. */
  warnings: string[];
}

export async function writeHtmlReport(
  runDir: string,
  manifest: Manifest,
  summary: Summary,
  digest?: RecordsDigest,
  paired?: PairedDifferences,
): Promise<HtmlReportResult> {
  const dataset = loadDatasetCalls(manifest);
  const curves = loadRunCurves(manifest);
  const paper = loadPaperBaseline();
  const doc = buildRunReport({
    manifest,
    summary,
    ...(digest ? { digest } : {}),
    paired,
    calls: dataset.calls,
    callsNote: dataset.note,
    curves: curves.curves,
    curvesNote: curves.note,
    paper: paper.paper,
    paperNote: paper.note,
  });
  const footer = `Written by ${manifest.harness?.name ?? 'gtm-bench'} ${manifest.harness?.version ?? ''} from this run folder's files (manifest.json, summary.json, and records.jsonl when it has one). Self-contained: no script, no network. Tables as CSV and charts as vega-lite JSON are in ${REPORT_DATA_DIR}/.`;
  const rendered = await renderReport(doc, footer);
  const dataDir = join(runDir, REPORT_DATA_DIR);
  // The export folder is ours alone: clear it so a chart that no longer exists leaves no stale file.
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  for (const [name, text] of rendered.exports) writeRunFile(join(dataDir, name), text);
  if (curves.curves) writeRunFile(join(dataDir, 'curves.json'), JSON.stringify(curves.curves, null, 2) + '\n');
  writeRunFile(join(runDir, 'report.html'), rendered.html);
  const warnings = [...rendered.chartErrors, ...(curves.note ? [curves.note] : []), ...(curves.curves?.problems ?? []).map((p) => `curves: ${p}`)];
  return { warnings };
}
