/**
 * `npm run record:kernels`: runs the real kernel evaluator on every candidate of every problem in
 * datasets/kernels/problems and writes, in one command,
 *   datasets/kernels/recorded/evaluations.jsonl     the evaluator's output per candidate (+ compile/run time)
 *   datasets/kernels/recorded/reference-checks.jsonl each problem's reference evaluated as a candidate
 *   datasets/kernels/recorded/provenance.json        GPU, driver, nvcc, arch, host, date, settings, summary
 *   datasets/kernels/kernel-calls.jsonl              the kernel-fidelity dataset (references = recordings)
 *   datasets/kernels/kernel-calls.meta.json
 *   datasets/kernels/agent-tasks.jsonl               the kernel agent's tasks (one row per problem)
 *   datasets/kernels/kernelbench-calls.jsonl         the KernelBench-format calls (datasets/kernels/kernelbench);
 *                                                    with references only where python3 + torch recorded them
 * On a machine without a GPU compiling is real and every run field stays absent (`ran: false` with the
 * reason); run it again on a GPU machine to record run results. Flags:
 *   --only ID[,ID]   re-record these problems only, keeping the other recordings
 *   --rebuild        do not evaluate; rebuild kernel-calls.jsonl (and kernelbench-calls.jsonl) from the recordings
 *   --jobs N         evaluations at once (default: CPU count; GPU runs are one at a time regardless)
 *   --unsafe-no-sandbox  evaluate even where bubblewrap cannot contain the candidates (the provenance says so)
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { harnessInfo, HARNESS_ROOT, runtimeInfo } from '../../records/manifest.js';
import { KernelEvaluator } from '../../tools/kernel-eval/evaluate.js';
import { probeKernelBench } from '../../tools/kernel-eval/kernelbench.js';
import { loadProblems, type KernelProblem } from '../../tools/kernel-eval/problem.js';
import { sha256 } from '../../util/hash.js';
import { taskRowsFor } from '../../agents/kernel/kernel-tasks.js';
import { buildKernelCalls, candidateId, candidateSource, type KernelCallRow, type RecordedEvaluation } from './calls.js';
import { median } from '../../scoring/stats.js';

const OUT = join(HARNESS_ROOT, 'datasets', 'kernels');
const RECORDED = join(OUT, 'recorded');
const PROBLEMS = join(OUT, 'problems');
const KERNELBENCH = join(OUT, 'kernelbench');

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function readJsonl<T>(file: string): T[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);
}

const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

/** Runs `fn` over `items` with at most `jobs` at a time, keeping the input order in the output. */
async function pool<T, R>(items: T[], jobs: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(jobs, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

const allowUnsafe = process.argv.includes('--unsafe-no-sandbox');

async function record(problems: Map<string, KernelProblem>, only: Set<string> | null, jobs: number) {
  const evaluator = await KernelEvaluator.create(problems, { settings: { max_parallel_compiles: jobs }, allowUnsafe });
  const env = evaluator.env;
  if (!env.nvcc_version) throw new Error(`cannot record: ${env.nvcc_missing_reason}`);
  if (evaluator.refusal) throw new Error(`cannot record: ${evaluator.refusal}`);
  console.log(`sandbox: ${evaluator.containmentLine}`);
  console.log(
    `nvcc: ${env.nvcc_version}; -arch=${env.arch} (${env.arch_source}); GPU: ${env.gpu ? `${env.gpu.name}, driver ${env.gpu.driver_version}` : env.no_gpu_reason}`,
  );
  const selected = [...problems.values()].filter((p) => p.format === 'cuda' && (!only || only.has(p.id)));
  const tasks = selected.flatMap((p) => p.candidates.map((c) => ({ problem: p, c })));

  const refChecks = await pool(selected, jobs, async (p) => {
    const { result, stats } = await evaluator.evaluate(p, p.reference_source);
    if (!result.compiled) throw new Error(`the reference of ${p.id} does not compile:\n${result.compile_log}`);
    if (result.ran && !result.correct) throw new Error(`the reference of ${p.id} does not match itself: ${result.error}`);
    console.log(`  reference ${p.id}: ${result.outcome} (${(stats.compile_ms ?? 0).toFixed(0)} ms compile)`);
    return { problem_id: p.id, result, compile_ms: stats.compile_ms, run_ms: stats.run_ms };
  });

  let done = 0;
  const evaluations = await pool(tasks, jobs, async ({ problem, c }): Promise<RecordedEvaluation> => {
    const { result, stats } = await evaluator.evaluate(problem, candidateSource(problem, c.file));
    done++;
    console.log(
      `  [${done}/${tasks.length}] ${candidateId(problem.id, c.file)} intended ${c.intended}: ${result.outcome}${result.error ? ` -- ${result.error.slice(0, 120)}` : ''}`,
    );
    return {
      id: candidateId(problem.id, c.file),
      problem_id: problem.id,
      candidate: c.file,
      intended: c.intended,
      note: c.note,
      result,
      compile_ms: stats.compile_ms === null ? null : Math.round(stats.compile_ms),
      run_ms: stats.run_ms === null ? null : Math.round(stats.run_ms),
    };
  });
  return { env, settings: evaluator.settings, containment: evaluator.containmentLine, refChecks, evaluations };
}

/** Counts of the evaluator's outcome for each intended class: how well the dataset hits its targets. */
function outcomesByIntent(rows: RecordedEvaluation[]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const r of rows) {
    const bucket = (out[r.intended] ??= {});
    bucket[r.result.outcome] = (bucket[r.result.outcome] ?? 0) + 1;
  }
  return out;
}

function writeDataset(problems: Map<string, KernelProblem>, evaluations: RecordedEvaluation[]) {
  const rows = buildKernelCalls(new Map([...problems].filter(([, p]) => p.format === 'cuda')), evaluations);
  const text = jsonl(rows);
  writeFileSync(join(OUT, 'kernel-calls.jsonl'), text);
  const meta = {
    file: 'kernel-calls.jsonl',
    sha256: sha256(text),
    rows: rows.length,
    problems: new Set(rows.map((r) => r.arguments.problem_id)).size,
    by_intended: Object.fromEntries(
      ['compile_error', 'crash', 'wrong', 'slower', 'faster'].map((k) => [k, rows.filter((r) => r.tags.includes(`intended:${k}`)).length]),
    ),
    reference_from: 'real:kernel-eval (harness/tools/kernel-eval/), recorded by npm run record:kernels; see recorded/provenance.json',
    ran: rows.filter((r) => r.reference.ran).length,
    builder: 'harness/datasets/kernels/record.ts',
  };
  writeFileSync(join(OUT, 'kernel-calls.meta.json'), JSON.stringify(meta, null, 2) + '\n');
  // The kernel agent's tasks: every problem, in order (suites/kernel-agent.yaml).
  writeFileSync(join(OUT, 'agent-tasks.jsonl'), taskRowsFor(PROBLEMS));
  console.log(`wrote datasets/kernels/kernel-calls.jsonl: ${rows.length} rows (${meta.ran} with run results), sha256 ${meta.sha256}`);
}

/** The KernelBench-format calls: with the recorded references when there are recordings, else without. */
function kernelBenchRows(problems: Map<string, KernelProblem>, recorded: RecordedEvaluation[]): (KernelCallRow | Omit<KernelCallRow, 'reference'>)[] {
  if (recorded.length) return buildKernelCalls(problems, recorded);
  return [...problems.values()].flatMap((p) =>
    p.candidates.map((c) => ({
      id: candidateId(p.id, c.file),
      tool: 'kernel_eval' as const,
      arguments: { problem_id: p.id, source: candidateSource(p, c.file) },
      tags: [`level:${p.level}`, `category:${p.category}`, 'format:kernelbench', `intended:${c.intended}`],
    })),
  );
}

/**
 * KernelBench-format problems need python3 with torch. Without it they are not evaluated (nothing is
 * invented): their calls are written without a reference, and the reason is printed and kept.
 */
async function recordKernelBench(problems: Map<string, KernelProblem>): Promise<{ recorded: RecordedEvaluation[]; note: string }> {
  const probe = await probeKernelBench();
  if (!probe.runtime) {
    console.log(`KernelBench-format problems not evaluated: ${probe.reason}`);
    return { recorded: [], note: `not evaluated: ${probe.reason}` };
  }
  const evaluator = await KernelEvaluator.create(problems, { kernelbench: probe.runtime, allowUnsafe });
  const tasks = [...problems.values()].flatMap((p) => p.candidates.map((c) => ({ p, c })));
  // One at a time: each evaluation builds and runs in one Python process that holds the GPU.
  const recorded = await pool(tasks, 1, async ({ p, c }): Promise<RecordedEvaluation> => {
    const { result, stats } = await evaluator.evaluate(p, candidateSource(p, c.file));
    console.log(`  ${candidateId(p.id, c.file)} intended ${c.intended}: ${result.outcome}`);
    return {
      id: candidateId(p.id, c.file),
      problem_id: p.id,
      candidate: c.file,
      intended: c.intended,
      note: c.note,
      result,
      compile_ms: null,
      run_ms: Math.round(stats.total_ms),
    };
  });
  return { recorded, note: `evaluated with ${probe.runtime.python}, torch ${probe.runtime.torch_version}` };
}

function writeKernelBench(problems: Map<string, KernelProblem>, recorded: RecordedEvaluation[]) {
  const rows = kernelBenchRows(problems, recorded);
  writeFileSync(join(OUT, 'kernelbench-calls.jsonl'), rows.length ? jsonl(rows) : '');
  console.log(`wrote datasets/kernels/kernelbench-calls.jsonl: ${rows.length} rows (${recorded.length ? 'with' : 'without'} references)`);
}

async function main() {
  const problems = loadProblems(PROBLEMS);
  mkdirSync(RECORDED, { recursive: true });
  const evalFile = join(RECORDED, 'evaluations.jsonl');
  const kbProblems = existsSync(KERNELBENCH) ? loadProblems(KERNELBENCH) : new Map<string, KernelProblem>();
  const kbFile = join(RECORDED, 'kernelbench-evaluations.jsonl');
  if (process.argv.includes('--rebuild')) {
    writeDataset(problems, readJsonl<RecordedEvaluation>(evalFile));
    writeKernelBench(kbProblems, readJsonl<RecordedEvaluation>(kbFile));
    return;
  }
  const onlyFlag = flag('--only');
  const only = onlyFlag ? new Set(onlyFlag.split(',')) : null;
  const jobs = Number(flag('--jobs') ?? availableParallelism());
  const started = new Date().toISOString();
  const t0 = performance.now();
  const { env, settings, containment, refChecks, evaluations } = await record(problems, only, jobs);

  // With --only, the other problems keep their earlier recordings (and their provenance is then mixed:
  // the file says so).
  const keep = only ? readJsonl<RecordedEvaluation>(evalFile).filter((r) => !only.has(r.problem_id)) : [];
  const all = [...keep, ...evaluations].sort((a, b) => a.id.localeCompare(b.id));
  const keptChecks = only ? readJsonl<{ problem_id: string }>(join(RECORDED, 'reference-checks.jsonl')).filter((r) => !only.has(r.problem_id)) : [];
  writeFileSync(evalFile, jsonl(all));
  writeFileSync(join(RECORDED, 'reference-checks.jsonl'), jsonl([...keptChecks, ...refChecks].sort((a, b) => a.problem_id.localeCompare(b.problem_id))));

  const compileTimes = evaluations.map((e) => e.compile_ms).filter((v): v is number => v !== null);
  const provenance = {
    recorded_at: started,
    wall_s: Math.round((performance.now() - t0) / 100) / 10,
    host: env.host,
    gpu: env.gpu,
    ...(env.gpu ? {} : { no_gpu_reason: env.no_gpu_reason, run_fields: 'absent: nothing ran (ran: false with the reason in not_run_reason)' }),
    driver_version: env.gpu?.driver_version ?? null,
    nvcc_version: env.nvcc_version,
    arch: env.arch,
    arch_source: env.arch_source,
    containment,
    settings,
    runtime: runtimeInfo(),
    harness: harnessInfo(),
    command: 'npm run record:kernels' + (process.argv.slice(2).length ? ' -- ' + process.argv.slice(2).join(' ') : ''),
    candidates: evaluations.length,
    compiled: evaluations.filter((e) => e.result.compiled).length,
    ran: evaluations.filter((e) => e.result.ran).length,
    compile_ms: {
      n: compileTimes.length,
      median: median(compileTimes),
      min: compileTimes.length ? Math.min(...compileTimes) : null,
      max: compileTimes.length ? Math.max(...compileTimes) : null,
      jobs,
    },
    outcomes_by_intended: outcomesByIntent(evaluations),
  };
  const kb = only || !kbProblems.size ? null : await recordKernelBench(kbProblems);
  if (kb) {
    if (kb.recorded.length) writeFileSync(kbFile, jsonl(kb.recorded));
    writeKernelBench(kbProblems, kb.recorded.length ? kb.recorded : readJsonl<RecordedEvaluation>(kbFile));
    Object.assign(provenance, { kernelbench: { problems: kbProblems.size, note: kb.note } });
  }
  const provFile = join(RECORDED, 'provenance.json');
  if (only && existsSync(provFile)) {
    // A partial re-recording is appended to the full recording's provenance, which stays as it was.
    const full = JSON.parse(readFileSync(provFile, 'utf8'));
    full.rerecorded = [...(full.rerecorded ?? []), { problems: [...only], ...provenance }];
    writeFileSync(provFile, JSON.stringify(full, null, 2) + '\n');
  } else {
    writeFileSync(provFile, JSON.stringify(provenance, null, 2) + '\n');
  }
  console.log(
    `recorded ${evaluations.length} candidates in ${provenance.wall_s} s; compile time median ${provenance.compile_ms.median} ms (n=${compileTimes.length}, ${jobs} at a time)`,
  );
  console.log('outcomes by intended class:', JSON.stringify(provenance.outcomes_by_intended));
  writeDataset(problems, all);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
