import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { readManifest } from '../records/manifest.js';
import { readRecords } from '../records/reader.js';
import { summariseRun } from '../report/summary.js';
import { summaryTable } from '../report/terminal.js';
import { writeReports } from '../report/write-reports.js';
import { UserError } from '../util/errors.js';

export async function reportCommand(runDirArg: string): Promise<void> {
  const runDir = resolve(runDirArg);
  for (const f of ['manifest.json', 'records.jsonl']) {
    if (!existsSync(join(runDir, f))) throw new UserError(`${runDir} is not a run folder: it has no ${f}`);
  }
  const manifest = readManifest(runDir);
  const { records, torn_tail } = readRecords(join(runDir, 'records.jsonl'));
  if (torn_tail) process.stderr.write(`warning: ${torn_tail}\n`);
  const summary = summariseRun({ name: manifest.suite.name, hash: manifest.suite.sha256 }, manifest.targets, records);
  writeReports(runDir, manifest, summary);
  process.stdout.write(summaryTable(summary) + '\n');
  process.stdout.write(`rewrote summary.json, summary.csv and report.md in ${runDir}\n`);
}
