/**
 * `npm run bench`: is the harness ever the bottleneck of what it measures?
 *
 * 1. Loopback load. The vLLM stand-in (a scripted server, not a model; dev/stand-ins/) runs in a child
 *    process, answering at once with a valid country_info response, so server work does not share the
 *    client's event loop. For concurrency 1, 64 and 256 the same number of chat calls go through:
 *      raw            an undici Pool.request loop sending the same rendered request (the ceiling)
 *      harness        the openai target -> engine -> records.jsonl, with no scoring
 *      +format        ... and format scoring (parse, ajv, field figures)
 *      +format+logic  ... and the tool's JSONata invariants and error detection
 *    The harness rows are also given as a share of the raw row, and, the criterion of issue 18, the client's
 *    CPU time per call (user + system of this process / calls, process.cpuUsage) of every row and its ratio to
 *    the raw loop's: it does not depend on the server sharing the machine the way calls/s does.
 *    Then the per-stage breakdown of that CPU (stages.ts: V8's sampling profiler over one pass) and start-up
 *    (startup.ts: a one-call run, validate, targets, from a fresh compiled build and through tsx).
 * 2. Replica scaling (replicas.ts): the harness against 1, 2 and 4 stand-in replicas of fixed capacity.
 *    Response cache (cache-hits.ts): calls/s filling the SQLite cache, and answered from it with no server.
 * 3. tinybench figures for each scorer on real default-suite rows, and for the redactor per written line (redaction.ts).
 * 4. The kernel evaluator's sandbox (kernel-sandbox.ts): per process and per evaluation short of the GPU.
 *
 * 5. With `scale` (minutes): scale.ts, the CLI end to end on 10k, 100k and 1M calls (scale=10000,100000 picks
 *    sizes): wall, CPU and peak memory of the run and of `gtm-bench report` on its folder.
 *
 * Usage: npm run bench [-- calls=20000] [-- scale[=N,N]]   (numbers go to stdout and reports/bench/latest.json)
 */
import '../builtin.js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { Bench } from 'tinybench';
import { parseToolOutput } from '../parse/json-from-text.js';
import { HARNESS_ROOT } from '../records/manifest.js';
import { summarise } from '../scoring/stats.js';
import { compileTool } from '../scoring/compile.js';
import { scoreFormat, scoreLogic, scoreSemantic } from '../scoring/index.js';
import { loadSuite } from '../suite/load.js';
import { isOpenAITarget, type LoadedSuite, type MetricFamilyName } from '../suite/types.js';
import { createOpenAITarget } from '../targets/openai.js';
import { callCountryTool } from '../tools/country-facts.js';
import { createWorkerScorer, type WorkerScorer } from '../run/score-workers.js';
import { cpuMeter, cycledCalls, timedHarnessPass } from './harness-pass.js';
import { replicaScaling } from './replicas.js';
import { cacheThroughput } from './cache-hits.js';
import { kernelSandboxBench } from './kernel-sandbox.js';
import { callsPerSecond, spawnStandIn } from './stand-in-process.js';
import { printBreakdown, stageBreakdown } from './stages.js';
import { startupBench } from './startup.js';
import { scaleBench } from './scale.js';
import { redactionBench } from './redaction.js';

const round = (x: number) => Math.round(x * 10) / 10;
const fmtRate = (x: number) => `${Math.round(x)}/s`.padStart(10);
const FRANCE = JSON.stringify(callCountryTool('country_info', { code: 'FR' }));

await main();

async function main(): Promise<void> {
  const arg = process.argv.find((a) => a.startsWith('calls='));
  const calls = arg ? Number(arg.slice(6)) : 20_000;
  const server = await spawnStandIn({ model: 'bench', text: FRANCE });
  const url = server.url;
  const suite = await loadSuite(join(HARNESS_ROOT, 'suites', 'default.yaml'), {
    env: { GTM_BASE_URL: `${url}/v1`, GTM_MODEL: 'bench' },
  });
  const results: Record<string, unknown> = { node: process.version, calls, server: 'loopback vLLM stand-in in a child process, answering at once' };
  try {
    results.load = await loopbackLoad(suite, url, calls);
    results.stages = [];
    for (const metrics of [[], ['format', 'logic']] as MetricFamilyName[][]) {
      const b = await stageBreakdown(suite, metrics, Math.min(calls, 20_000), 64);
      printBreakdown(b);
      (results.stages as unknown[]).push(b);
    }
    const scaleArg = process.argv.find((a) => a === 'scale' || a.startsWith('scale='));
    if (scaleArg) {
      const sizes = scaleArg === 'scale' ? [10_000, 100_000, 1_000_000] : scaleArg.slice(6).split(',').map(Number);
      const tree = `.build-scale-${process.pid}`;
      const { spawnSync } = await import('node:child_process');
      const built = spawnSync(process.execPath, ['bin/build.js', '--out', tree], { cwd: HARNESS_ROOT, encoding: 'utf8' });
      if (built.status !== 0) throw new Error(`bin/build.js failed: ${built.stderr}`);
      try {
        results.scale = await scaleBench(join(HARNESS_ROOT, tree, 'cli', 'main.js'), url, sizes);
      } finally {
        rmSync(join(HARNESS_ROOT, tree), { recursive: true, force: true });
      }
    }
  } finally {
    server.stop();
  }
  results.startup = startupBench();
  results.replicas = await replicaScaling(suite, FRANCE);
  results.cache = await cacheThroughput(suite, FRANCE);
  results.scorers = await scorerBench(suite);
  results.redaction = await redactionBench(FRANCE);
  results.kernel_sandbox = await kernelSandboxBench();
  mkdirSync(join(HARNESS_ROOT, 'reports', 'bench'), { recursive: true });
  writeFileSync(join(HARNESS_ROOT, 'reports', 'bench', 'latest.json'), JSON.stringify(results, null, 2) + '\n');
  console.log('\nwritten to reports/bench/latest.json');
}

async function loopbackLoad(suite: LoadedSuite, url: string, callsPerCell: number) {
  const spec = suite.targets.find(isOpenAITarget)!;
  const rows: Record<string, number | string | null>[] = [];
  const tmp = mkdtempSync(join(tmpdir(), 'gtm-bench-'));
  console.log(`loopback load: ${callsPerCell} chat calls per cell (c=1: ${Math.min(callsPerCell, 3000)}), node ${process.version}`);
  console.log('concurrency | raw undici | harness | +format | +format+logic | (share of raw)');
  for (const conc of [1, 64, 256]) {
    const n = conc === 1 ? Math.min(callsPerCell, 3000) : callsPerCell;
    const target = await createOpenAITarget({ ...spec, concurrency: conc, retries: 0 });
    const calls = cycledCalls(suite, n, 'bench');
    const tool = suite.tools.find((t) => t.name === 'country_info')!;
    // The raw loop sends exactly what the harness sends for a call, so the two differ only in the harness.
    const sample = await target.call({ tool, call: calls[0], repeat: 0, seed: 1 });
    const body = JSON.stringify({ model: 'bench', ...(sample.request as { messages: unknown }), ...{ stream: false } });
    const pool = new Pool(url, { connections: conc, pipelining: 1 });
    const rawCpu = cpuMeter();
    const raw = await rate(n, conc, () =>
      pool.request({ path: '/v1/chat/completions', method: 'POST', headers: { 'content-type': 'application/json' }, body }).then((r) => r.body.json()),
    );
    const rawUs = rawCpu(n + Math.min(conc, 200));
    await pool.close();
    const harness = (metrics: MetricFamilyName[], scoreWorkers = 0, workerScorer?: WorkerScorer, tag = '') =>
      timedHarnessPass({
        scoreWorkers,
        workerScorer,
        suite,
        calls,
        metrics,
        target,
        targetName: spec.name,
        identity: { bench: true },
        concurrency: conc,
        recordsPath: join(tmp, `records-${conc}-${metrics.join('-') || 'none'}-w${scoreWorkers}${tag}.jsonl`),
      });
    await harness(['format', 'logic']); // warm-up: JIT, connections
    const noneRun = await harness([]);
    const formatRun = await harness(['format']);
    const withLogic = await harness(['format', 'logic']);
    const [none, format, logic] = [noneRun.perS, formatRun.perS, withLogic.perS];
    const logicUs = withLogic.cpuUsPerCall;
    // --score-workers 1 at c=64: what moving scoring to a thread costs here (process CPU, all threads) and what
    // it takes off the event loop (the main thread's own CPU), against the in-thread pass above. Two passes on the
    // same worker: the first pays its start-up (a new V8 isolate loading and compiling the scorers, a fixed cost
    // per run), the second is the steady state, warm like the in-thread pass it is compared with.
    let worker: Awaited<ReturnType<typeof harness>> | undefined;
    let workerCold: Awaited<ReturnType<typeof harness>> | undefined;
    if (conc === 64) {
      const scored: LoadedSuite = { ...suite, calls, metrics: ['format', 'logic'], repeats: 1 };
      const scorer = createWorkerScorer(scored, 1);
      try {
        workerCold = await harness(['format', 'logic'], 1, scorer, '-cold');
        worker = await harness(['format', 'logic'], 1, scorer, '-warm');
      } finally {
        await scorer.close();
      }
    }
    await target.close?.();
    const pct = (x: number) => `${Math.round((x / raw) * 100)}%`;
    console.log(
      `${String(conc).padStart(11)} | ${fmtRate(raw)} | ${fmtRate(none)} | ${fmtRate(format)} | ${fmtRate(logic)} | (${pct(none)}, ${pct(format)}, ${pct(logic)})`,
    );
    const x = (us: number) => `${us} µs (${(us / rawUs).toFixed(2)}x)`;
    console.log(
      `${' '.repeat(11)}   client CPU per call: raw ${rawUs} µs | harness ${x(noneRun.cpuUsPerCall)} | +format ${x(formatRun.cpuUsPerCall)} | +format+logic ${x(logicUs)}`,
    );
    if (worker) {
      console.log(
        `${' '.repeat(11)}   +format+logic, --score-workers 1: ${fmtRate(worker.perS).trim()}, client CPU ${x(worker.cpuUsPerCall)}; main thread ${worker.mainCpuUsPerCall ?? '?'} µs/call (in-thread ${withLogic.mainCpuUsPerCall ?? '?'}); its first pass, worker start-up included: client CPU ${x(workerCold!.cpuUsPerCall)}`,
      );
    }
    rows.push({
      ...(worker
        ? {
            worker1_per_s: round(worker.perS),
            worker1_cpu_us_per_call: worker.cpuUsPerCall,
            worker1_main_cpu_us_per_call: worker.mainCpuUsPerCall,
            worker1_first_pass_cpu_us_per_call: workerCold!.cpuUsPerCall,
          }
        : {}),
      format_logic_main_cpu_us_per_call: withLogic.mainCpuUsPerCall,
      concurrency: conc,
      calls: n,
      raw_per_s: round(raw),
      harness_per_s: round(none),
      format_per_s: round(format),
      format_logic_per_s: round(logic),
      raw_cpu_us_per_call: rawUs,
      harness_cpu_us_per_call: noneRun.cpuUsPerCall,
      format_cpu_us_per_call: formatRun.cpuUsPerCall,
      format_logic_cpu_us_per_call: logicUs,
    });
  }
  rmSync(tmp, { recursive: true, force: true });
  return rows;
}

/** Warms connections and JIT with one round per worker, then measures. */
async function rate(n: number, conc: number, one: () => Promise<unknown>): Promise<number> {
  await Promise.all(Array.from({ length: Math.min(conc, 200) }, () => one()));
  return callsPerSecond(n, conc, one);
}

async function scorerBench(suite: LoadedSuite) {
  const tools = new Map(suite.tools.map((t) => [t.name, compileTool(t)]));
  const pick = (tool: string) => suite.calls.find((c) => c.tool === tool && !c.expect_error)!;
  const bench = new Bench({ time: 300 });
  const fenced = 'Sure:\n```json\n' + FRANCE + '\n```';
  bench.add('parse: bare JSON', () => void parseToolOutput(FRANCE));
  bench.add('parse: fenced JSON after prose', () => void parseToolOutput(fenced));
  bench.add('parse: truncated JSON', () => void parseToolOutput(FRANCE.slice(0, 150)));
  for (const name of ['country_info', 'countries_by_region', 'country_distance']) {
    const call = pick(name);
    const input = { tool: tools.get(name)!, call, parsed: parseToolOutput(JSON.stringify(call.reference)) };
    bench.add(`format: ${name}`, () => void scoreFormat(input));
    bench.add(`logic: ${name} (${input.tool.invariants.length} invariants)`, async () => void (await scoreLogic(input)));
    bench.add(`semantic: ${name}`, () => void scoreSemantic({ ...input, reference: call.reference }));
  }
  const values = Array.from({ length: 10_000 }, (_, i) => (i % 7) / 7);
  bench.add('stats: summarise 10,000 values', () => void summarise(values));
  await bench.run();
  const rows = bench.tasks.map((t) => {
    const r = t.result as { latency?: { mean: number }; throughput?: { mean: number } } | undefined;
    return { task: t.name, mean_us: round((r?.latency?.mean ?? NaN) * 1000), ops_per_s: round(r?.throughput?.mean ?? NaN) };
  });
  console.log('\nscorers (tinybench, mean per call):');
  for (const r of rows) console.log(`  ${r.task.padEnd(46)} ${String(r.mean_us).padStart(9)} µs  ${String(r.ops_per_s).padStart(10)}/s`);
  return rows;
}
