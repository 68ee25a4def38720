/** Writes the run folder's derived files. Every one is a function of manifest.json and records.jsonl. */
import { pairedDifferences } from './paired-differences.js';
import { join } from 'node:path';
import type { Manifest } from '../records/manifest.js';
import { writeRunFile } from '../records/write-error.js';
import { summaryToCsv } from './csv.js';
import { renderMarkdown } from './markdown.js';
import type { RecordsDigest } from './records-digest.js';
import type { Summary } from './summary.js';
import { writeHtmlReport, type HtmlReportResult } from './write-html-report.js';

/** Async because report.html's charts render through vega's asynchronous dataflow; the other files come first. */
/** `digest`: what the reports need of records.jsonl beyond the summary, folded in the same pass (read-run-records.ts). */
export async function writeReports(runDir: string, manifest: Manifest, summary: Summary, digest: RecordsDigest): Promise<HtmlReportResult> {
  writeRunFile(join(runDir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  writeRunFile(join(runDir, 'summary.csv'), summaryToCsv(summary));
  const paired = pairedDifferences(summary, digest.scores, manifest.baseline_target);
  writeRunFile(join(runDir, 'report.md'), renderMarkdown(manifest, summary, paired));
  return writeHtmlReport(runDir, manifest, summary, digest, paired);
}
