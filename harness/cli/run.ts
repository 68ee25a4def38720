import { displayPath } from '../util/display-path.js';
import { join } from 'node:path';
import { forEachRecord } from '../records/reader.js';
import { ReferenceCheck } from '../report/reference-check.js';
import { summaryTable } from '../report/terminal.js';
import { runSuite } from '../run/run-suite.js';
import { createProgress } from './progress.js';
import type { AfterRunFlags } from './run-after.js';
import type { Shard } from '../plan/shard.js';
import type { CacheMode } from '../records/cache/response-store.js';
import { printServing } from './run-serving.js';
import { runEndingLines } from './run-ending.js';
import { errorClassLines } from '../report/error-classes.js';
import { secretValues } from '../util/redact.js';
import { handleInterrupts } from './interrupts.js';

interface RunFlags extends AfterRunFlags {
  target?: string[];
  baseUrl?: string;
  model?: string;
  limit?: number;
  concurrency?: number;
  scoreWorkers?: number;
  seed?: number;
  out?: string;
  quiet?: boolean;
  shard?: Shard;
  cache?: CacheMode;
  resume?: string;
  retryErrors?: boolean;
  replay?: string;
  vllm?: string;
  /** commander's --no-preflight: false when given. */
  preflight?: boolean;
  baselineTarget?: string;
  limitMode?: 'stratified' | 'first';
  groupBy?: string[];
  /** --unsafe-no-sandbox: read by real:kernel-eval through GTM_BENCH_UNSAFE_NO_SANDBOX. */
  unsafeNoSandbox?: boolean;
}

export async function runCommand(suiteFile: string, flags: RunFlags): Promise<void> {
  // --against and --history read other folders (run-after.ts and the compare modules): loaded only when asked.
  const after = flags.against || flags.history ? await import('./run-after.js') : undefined;
  after?.checkAfterRunFlags(flags);
  if (flags.unsafeNoSandbox) process.env.GTM_BENCH_UNSAFE_NO_SANDBOX = '1';
  const interactive = process.stderr.isTTY === true && !process.env.CI;
  const interrupts = handleInterrupts('calls');
  try {
    const result = await runSuite({
      suiteFile,
      targets: flags.target,
      baseUrl: flags.baseUrl,
      model: flags.model,
      limit: flags.limit,
      concurrency: flags.concurrency,
      scoreWorkers: flags.scoreWorkers,
      seed: flags.seed,
      out: flags.out,
      argv: process.argv.slice(2),
      progress: createProgress({ interactive, quiet: flags.quiet }),
      signal: interrupts.signal,
      shard: flags.shard,
      cache: flags.cache,
      resume: flags.resume,
      retryErrors: flags.retryErrors,
      replay: flags.replay,
      vllm: flags.vllm,
      groupBy: flags.groupBy,
      preflight: flags.preflight,
      baselineTarget: flags.baselineTarget,
      limitMode: flags.limitMode,
      onServe: (e) =>
        process.stderr.write(
          `serving ${e.checkpoint?.path} as ${e.model} at ${e.base_url} (${e.vllm_version ?? 'version unknown'}, pid ${e.pid}, ready in ${((e.ready_after_ms ?? 0) / 1000).toFixed(1)} s)\n`,
        ),
    });
    process.stdout.write(summaryTable(result.summary) + '\n');
    for (const t of result.summary.targets.filter((t) => t.status === 'not configured')) {
      process.stdout.write(`target ${t.name}: not configured (${t.reason})\n`);
    }
    for (const line of errorClassLines(result.summary, secretValues(process.env))) process.stdout.write(line + '\n');
    for (const name of result.overTolerance) {
      const t = result.summary.targets.find((x) => x.name === name)!;
      process.stdout.write(`target ${name}: ${t.errors} of ${t.calls} calls failed, above the suite's max_error_rate ${result.manifest.max_error_rate}\n`);
    }
    printServing(result);
    process.stdout.write(`run folder: ${displayPath(result.runDir)} (report.html, report.md, summary.json, summary.csv, records.jsonl, manifest.json)\n`);
    process.exitCode = after ? after.afterRun(result.runDir, result.exitCode, flags) : result.exitCode;
    for (const line of runEndingLines(result, process.argv.slice(2))) process.stderr.write(line + '\n');
    const check = new ReferenceCheck(result.manifest.targets);
    if (check.applies) forEachRecord(join(result.runDir, 'records.jsonl'), (r) => check.add(r));
    for (const line of check.lines()) process.stderr.write(line + '\n');
  } finally {
    interrupts.dispose();
  }
}
