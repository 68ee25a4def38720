import { relative } from 'node:path';
import { summaryTable } from '../report/terminal.js';
import { runSuite } from '../run/run-suite.js';
import { createProgress } from './progress.js';

interface RunFlags {
  target?: string[];
  baseUrl?: string;
  model?: string;
  limit?: number;
  concurrency?: number;
  seed?: number;
  out?: string;
  quiet?: boolean;
}

export async function runCommand(suiteFile: string, flags: RunFlags): Promise<void> {
  const interactive = process.stderr.isTTY === true && !process.env.CI;
  const controller = new AbortController();
  // First Ctrl-C: stop taking new calls, finish the run folder. Second: leave at once (records are already on disk).
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\ninterrupted: finishing calls in flight and writing the run folder (Ctrl-C again to quit now)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    const result = await runSuite({
      suiteFile,
      targets: flags.target,
      baseUrl: flags.baseUrl,
      model: flags.model,
      limit: flags.limit,
      concurrency: flags.concurrency,
      seed: flags.seed,
      out: flags.out,
      argv: process.argv.slice(2),
      progress: createProgress({ interactive, quiet: flags.quiet }),
      signal: controller.signal,
    });
    process.stdout.write(summaryTable(result.summary) + '\n');
    for (const t of result.summary.targets.filter((t) => t.status === 'not configured')) {
      process.stdout.write(`target ${t.name}: not configured (${t.reason})\n`);
    }
    for (const name of result.overTolerance) {
      const t = result.summary.targets.find((x) => x.name === name)!;
      process.stdout.write(`target ${name}: ${t.errors} of ${t.calls} calls failed, above the suite's max_error_rate ${result.manifest.max_error_rate}\n`);
    }
    process.stdout.write(`run folder: ${relative(process.cwd(), result.runDir) || '.'} (report.md, summary.json, summary.csv, records.jsonl, manifest.json)\n`);
    process.exitCode = result.exitCode;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
