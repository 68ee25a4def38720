/**
 * What the kernel evaluator's sandbox costs per evaluation (issue 16), part of `npm run bench` and runnable
 * alone: `node --import tsx harness/bench/kernel-sandbox.ts [N]`.
 *   process rows   medians of N runs of `true`: a plain spawn; the evaluator's process group + prlimit
 *                  (what every step had before issue 16, and what --unsafe-no-sandbox keeps); the same
 *                  inside bubblewrap (namespaces, read-only view, cleared environment, uid drop); and
 *                  bubblewrap with the temp dir made and removed around it.
 *   evaluation rows  a whole evaluation short of the GPU, bubblewrap vs --unsafe-no-sandbox, medians of a
 *                  few: nvcc compile + link with the launch recorder, the recorder running the candidate's
 *                  host code, and (as if a GPU were present) the trusted runner starting in its sandbox and
 *                  finding no CUDA driver. On a machine with a GPU the runner's kernel work adds to both
 *                  rows equally; the sandbox's share is the process start shown here.
 * Skips the bubblewrap rows (saying why) where bubblewrap cannot start, and the evaluation rows without nvcc.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HARNESS_ROOT } from '../records/manifest.js';
import { probeContainment, type Containment } from '../tools/kernel-eval/containment.js';
import { kernelEnvironment } from '../tools/kernel-eval/environment.js';
import { KernelEvaluator } from '../tools/kernel-eval/evaluate.js';
import { DEFAULT_SETTINGS } from '../tools/kernel-eval/settings.js';
import { compileJail } from '../tools/kernel-eval/jails.js';
import { loadProblem } from '../tools/kernel-eval/problem.js';
import { runSandboxed, withTempDir } from '../tools/kernel-eval/sandbox.js';
import { median } from '../scoring/stats.js';

const env = { PATH: '/usr/bin:/bin' };
const limits = { timeout_ms: 10_000, max_output_bytes: 1 << 20 };

function plainSpawn(): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = spawn('true', [], { stdio: ['ignore', 'pipe', 'pipe'] });
    c.on('error', reject);
    c.on('close', () => resolve());
  });
}

/** Median wall time of `n` runs of `fn` after `warm` unmeasured ones. */
async function medianMs(n: number, warm: number, fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < warm; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times)!;
}

const ms = (v: number) => `${v.toFixed(2)} ms`.padStart(11);

async function processRows(n: number, containment: Containment) {
  const owner = containment.kind === 'bubblewrap' ? containment.uid : undefined;
  const rows: Record<string, number> = {};
  rows.plain_spawn = await medianMs(n, 3, plainSpawn);
  rows.group_prlimit = await withTempDir('gtm-bench-sbx-', (dir) => medianMs(n, 3, () => runSandboxed({ command: 'true', args: [], cwd: dir, env, limits })));
  if (containment.kind === 'bubblewrap') {
    rows.bubblewrap = await withTempDir(
      'gtm-bench-sbx-',
      (dir) =>
        medianMs(n, 3, () => runSandboxed({ command: 'true', args: [], cwd: dir, env, limits, jail: compileJail(containment, { cuda_root: null }, dir) })),
      owner,
    );
    rows.bubblewrap_with_temp_dir = await medianMs(n, 3, () =>
      withTempDir(
        'gtm-bench-sbx-',
        (dir) => runSandboxed({ command: 'true', args: [], cwd: dir, env, limits, jail: compileJail(containment, { cuda_root: null }, dir) }),
        owner,
      ),
    );
  }
  return rows;
}

async function evaluationRows(n: number, containment: Containment) {
  const kenv = await kernelEnvironment();
  if (!kenv.nvcc_version) return { skipped: `no nvcc: ${kenv.nvcc_missing_reason}` };
  const problem = loadProblem(join(HARNESS_ROOT, 'datasets', 'kernels', 'problems', '03_relu'));
  const source = readFileSync(join(problem.dir, 'candidates', 'fused_float4.cu'), 'utf8');
  // As if a GPU were present, so the runner's sandboxed start is part of the figure (it stops at no device).
  const claimed = { ...kenv, gpu: kenv.gpu ?? { name: 'claimed for the bench', driver_version: 'n/a', compute_cap: '8.0' } };
  const settings = { ...DEFAULT_SETTINGS, max_parallel_compiles: 1 };
  const unsafe = new KernelEvaluator(new Map([[problem.id, problem]]), claimed, settings, undefined, { kind: 'none', reason: 'bench' }, true);
  const jailed =
    containment.kind === 'bubblewrap' ? new KernelEvaluator(new Map([[problem.id, problem]]), claimed, settings, undefined, containment, true) : null;
  // One unmeasured evaluation each (builds the native tools and the reference), then alternate the two so
  // the load of a shared machine falls on both alike.
  const times: Record<string, number[]> = { unsafe_no_sandbox: [], bubblewrap: [] };
  for (let i = -1; i < n; i++) {
    for (const [name, ev] of [
      ['unsafe_no_sandbox', unsafe],
      ['bubblewrap', jailed],
    ] as const) {
      if (!ev) continue;
      const t0 = performance.now();
      await ev.evaluate(problem, source);
      if (i >= 0) times[name].push(performance.now() - t0);
    }
  }
  const rows: Record<string, number | string> = { unsafe_no_sandbox: median(times.unsafe_no_sandbox)! };
  if (jailed) rows.bubblewrap = median(times.bubblewrap)!;
  return rows;
}

export async function kernelSandboxBench(n = 50, evaluations = 7) {
  const containment = await probeContainment();
  console.log(`\nkernel evaluator sandbox (${containment.kind === 'bubblewrap' ? containment.version : `no bubblewrap: ${containment.reason}`})`);
  const proc = await processRows(n, containment);
  console.log(`  median of ${n} runs of \`true\`:`);
  for (const [k, v] of Object.entries(proc)) console.log(`    ${k.padEnd(26)}${ms(v)}  (+${(v - proc.plain_spawn).toFixed(2)} ms over a plain spawn)`);
  if (containment.kind !== 'bubblewrap') console.log(`    bubblewrap rows skipped: ${containment.reason}`);
  const evals = await evaluationRows(evaluations, containment);
  console.log(`  one evaluation short of the GPU (compile + record + runner start), median of ${evaluations}:`);
  for (const [k, v] of Object.entries(evals)) console.log(`    ${k.padEnd(26)}${typeof v === 'number' ? ms(v) : v}`);
  if (typeof evals.bubblewrap === 'number' && typeof evals.unsafe_no_sandbox === 'number') {
    console.log(
      `    sandbox overhead per evaluation: ${(evals.bubblewrap - evals.unsafe_no_sandbox).toFixed(1)} ms (3 sandboxed processes: compile, recorder, runner)`,
    );
  }
  return { containment: containment.kind, process_ms: proc, evaluation_ms: evals };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  await kernelSandboxBench(Number(process.argv[2] ?? 50));
}
