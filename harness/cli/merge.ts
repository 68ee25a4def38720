import { displayPath } from '../util/display-path.js';
import { writeManifest } from '../records/manifest.js';
import { mergeRuns } from '../run/merge.js';
import { readRunRecords } from '../report/read-run-records.js';
import { summaryTable } from '../report/terminal.js';
import { writeReports } from '../report/write-reports.js';
import { nothingScored } from '../run/finish-run.js';

/**
 * `gtm-bench merge RUN_DIR... --out DIR`. Exit 0 when every shard and item is there, 1 when some are
 * missing (the merged folder is still written, marked interrupted) or a target failed beyond the suite's
 * max_error_rate or not one call of any target was scored, 2 when the runs are not shards of one plan.
 */
export async function mergeCommand(dirs: string[], flags: { out: string }): Promise<void> {
  const { merged: r, summary, records, over } = await mergeAndReport(dirs, flags.out, process.argv.slice(2));
  const m = r.manifest;
  process.stdout.write(summaryTable(summary) + '\n');
  const count = m.merged_from!.length;
  process.stdout.write(
    `merged ${count} shard${count === 1 ? '' : 's'} (${m.merged_from!.map((s) => s.shard).join(', ')}): ${records} records of ${m.plan.items} planned\n`,
  );
  if (r.missingShards.length)
    process.stdout.write(`missing shards: ${r.missingShards.map((i) => `${i}/${m.merged_from![0].shard.split('/')[1]}`).join(', ')}\n`);
  if (r.missingCount > 0) {
    process.stdout.write(`missing items: ${r.missingCount}`);
    if (r.missingItems.length) {
      const shown = r.missingItems.slice(0, 10).map((i) => `${i.call_id}/${i.target}/repeat ${i.repeat}`);
      process.stdout.write(` (${shown.join(', ')}${r.missingItems.length > 10 ? ', ...' : ''})`);
    }
    process.stdout.write('; resume the shards that lack them with --resume\n');
  }
  for (const name of over) process.stdout.write(`target ${name}: failed calls above the suite's max_error_rate ${m.max_error_rate}\n`);
  if (nothingScored(summary)) process.stdout.write('nothing useful ran: not one call of any target was scored, so the merge exits 1\n');
  process.stdout.write(`run folder: ${displayPath(r.runDir)}\n`);
  process.exitCode = m.exit_code!;
}

/** Merges, then writes the merged folder's summary and reports; the exit code goes into its manifest. */
export async function mergeAndReport(dirs: string[], out: string, argv: string[]) {
  const merged = await mergeRuns(dirs, out, argv);
  const m = merged.manifest;
  // Streamed, as at the end of a run; no breakdowns by --group-by here (a merge never cut them).
  const { summary, digest, missing_texts } = readRunRecords(merged.runDir, m, { groupBy: [], serverNotes: false });
  // A shard copied without its texts.jsonl: its records' prompts cannot be shown whole; said, not hidden.
  if (missing_texts) merged.warnings.push(missing_texts);
  const over = summary.targets.filter((t) => t.status === 'ran' && (t.error_rate ?? 0) > m.max_error_rate).map((t) => t.name);
  const incomplete = merged.missingShards.length > 0 || merged.missingCount > 0;
  m.exit_code = incomplete || over.length || nothingScored(summary) ? 1 : 0;
  writeManifest(merged.runDir, m);
  const html = await writeReports(merged.runDir, m, summary, digest);
  for (const w of [...merged.warnings, ...html.warnings]) process.stderr.write(`warning: ${w}\n`);
  return { merged, summary, records: digest.count, over };
}
