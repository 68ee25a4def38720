/**
 * `gtm-bench import kernelbench RUN_DIR --out DIR [--baseline FILE] [--level N] [--problems N]`: a KernelBench run
 * folder as a gtm-bench recorded kernel dataset (DIR/kernel-calls.jsonl, rows in the kernel_eval schema with
 * KernelBench's record kept in `gold`) and its fast_p over the problem set (DIR/import.json, and printed).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { importKernelBench } from '../datasets/kernels/kernelbench-import.js';
import { kernelFileLevels, readBaseline, readEvalResults } from '../datasets/kernels/kernelbench-run.js';
import { UserError } from '../util/errors.js';

export interface ImportKernelBenchFlags {
  out: string;
  baseline?: string;
  level?: number;
  problems?: number;
}

export async function importKernelBenchCommand(runDir: string, flags: ImportKernelBenchFlags): Promise<void> {
  const entries = readEvalResults(runDir);
  const baseline = flags.baseline ? readBaseline(flags.baseline, flags.level) : undefined;
  const fileLevels = kernelFileLevels(runDir);
  const level = flags.level ?? baseline?.level ?? (fileLevels.length === 1 ? fileLevels[0] : undefined);
  if (level === undefined) {
    throw new UserError(
      `${runDir}: cannot tell the KernelBench level (kernel files name ${fileLevels.length ? `levels ${fileLevels.join(', ')}` : 'none'}); say which with --level`,
    );
  }
  const problemIds = flags.problems ? Array.from({ length: flags.problems }, (_, i) => i + 1) : undefined;
  const { rows, summary } = importKernelBench({ runDir: resolve(runDir), level, entries, baseline, problemIds });
  mkdirSync(flags.out, { recursive: true });
  const dataset = join(flags.out, 'kernel-calls.jsonl');
  writeFileSync(dataset, rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : ''));
  writeFileSync(join(flags.out, 'import.json'), JSON.stringify({ run_dir: resolve(runDir), ...summary }, null, 2) + '\n');
  const missing = summary.problems_missing;
  const out: string[] = [
    `KernelBench run ${runDir}: ${summary.evaluations} evaluation(s) of ${summary.problems_evaluated} problem(s), level ${level}`,
    `problem set: ${summary.problem_set}; ${missing.length ? `missing (counted 0): ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ', ...' : ''}` : 'none missing'}`,
    `dataset: ${rows.length} row(s) -> ${dataset}${summary.rows_without_source ? ` (${summary.rows_without_source} evaluation(s) without their kernel file left out)` : ''}`,
    `fast_p over ${summary.problems} problems, sample 0 of each (KernelBench's definition: correct and speedup > p, problems without one count 0):`,
    ...summary.fast_p.map((f) => `  fast_${f.p}: ${f.value === null ? `not applicable (${f.reason})` : f.value.toFixed(4)}`),
  ];
  process.stdout.write(out.join('\n') + '\n');
}
