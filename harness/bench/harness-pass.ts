/**
 * One timed pass of the harness for the load benchmarks (run.ts, replicas.ts, cache-hits.ts): the default
 * suite's valid country_info calls, cycled to N distinct calls, through one target -> engine -> scoring ->
 * records.jsonl, exactly as `gtm-bench run` drives them. Kept in one place so every bench row measures the
 * same path.
 */
import { readFileSync } from 'node:fs';
import { runItems } from '../engine/run-items.js';
import { expandPlan } from '../plan/expand.js';
import type { RunRecord } from '../records/types.js';
import { openRecordWriter } from '../records/writer.js';
import { createScorer } from '../run/score-item.js';
import { createWorkerScorer, type WorkerScorer } from '../run/score-workers.js';
import type { DatasetCall, LoadedSuite, MetricFamilyName } from '../suite/types.js';
import type { Target } from '../targets/types.js';

/** The default suite's valid country_info calls, cycled to `n` calls with distinct ids. */
export function cycledCalls(suite: LoadedSuite, n: number, idPrefix: string): DatasetCall[] {
  const base = suite.calls.filter((c) => c.tool === 'country_info' && !c.expect_error);
  return Array.from({ length: n }, (_, i) => ({ ...base[i % base.length], id: `${idPrefix}-${i}` }));
}

/**
 * CPU time (user + system, all of this process's threads) per call since the meter started, in µs. Unlike
 * calls/s it barely moves when other work shares the machine, so it is the figure to compare between runs.
 */
export function cpuMeter(): (calls: number) => number {
  const start = process.cpuUsage();
  return (calls) => {
    const used = process.cpuUsage(start);
    return Math.round(((used.user + used.system) / calls) * 10) / 10;
  };
}

export interface HarnessPass {
  suite: LoadedSuite;
  calls: DatasetCall[];
  metrics: MetricFamilyName[];
  target: Target;
  /** The suite target's name the items carry. */
  targetName: string;
  /** Goes into the item ids, so passes of one bench do not share ids. */
  identity: Record<string, unknown>;
  concurrency: number;
  recordsPath: string;
  onRecord?: (record: RunRecord) => void;
  /** --score-workers: score in this many worker threads (default 0, in-thread). */
  scoreWorkers?: number;
  /** Score with these workers (already started, left running): a pass measured after a warm-up pass on them. */
  workerScorer?: WorkerScorer;
}

/**
 * CPU time of this process's main thread so far, in µs: Linux's per-thread clock (/proc/self/task/PID/stat,
 * user + system, 10 ms ticks); Node 20 has no per-thread CPU API. Undefined elsewhere.
 */
function mainThreadCpuUs(): number | undefined {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return undefined;
  }
}

/**
 * Runs the pass; calls per second, client CPU per call (all threads: V8's GC helpers and score workers
 * included) and the main thread's own CPU per call (the event loop's share, what score workers take off it;
 * null where the OS does not give it). Throws when a record is missing.
 */
export async function timedHarnessPass(p: HarnessPass): Promise<{ perS: number; cpuUsPerCall: number; mainCpuUsPerCall: number | null }> {
  const s: LoadedSuite = { ...p.suite, calls: p.calls, metrics: p.metrics, repeats: 1 };
  const items = expandPlan(s, [{ name: p.targetName, identity: p.identity }]);
  // As a run writes them: batched, shared request texts stored once beside the records (records/text-store.ts).
  const sink = openRecordWriter(p.recordsPath, { batch: true, texts: p.recordsPath.replace(/\.jsonl$/, '') + '.texts.jsonl' });
  const owned = !p.workerScorer && p.scoreWorkers ? createWorkerScorer(s, p.scoreWorkers) : undefined;
  const workers = p.workerScorer ?? owned;
  const t0 = performance.now();
  // A pass whose calls failed measures nothing but the failure path: it is an error, not a figure.
  const failed: string[] = [];
  const main0 = mainThreadCpuUs();
  const cpu = cpuMeter();
  try {
    await runItems(items, {
      targets: new Map([[p.targetName, p.target]]),
      tools: new Map(s.tools.map((t) => [t.name, t])),
      concurrency: () => p.concurrency,
      scoreItem: workers?.scoreItem ?? createScorer(s),
      sink,
      onRecord: (r) => {
        if (r.error) failed.push(r.error.class);
        p.onRecord?.(r);
      },
    });
  } finally {
    sink.close();
  }
  const perS = items.length / ((performance.now() - t0) / 1000);
  const cpuUsPerCall = cpu(items.length);
  const main1 = mainThreadCpuUs();
  const mainCpuUsPerCall = main0 === undefined || main1 === undefined ? null : Math.round(((main1 - main0) / items.length) * 10) / 10;
  await owned?.close();
  if (sink.count !== items.length) throw new Error(`bench wrote ${sink.count} records for ${items.length} calls`);
  if (failed.length) throw new Error(`bench pass: ${failed.length} of ${items.length} calls failed (first: ${failed[0]})`);
  return { perS, cpuUsPerCall, mainCpuUsPerCall };
}
