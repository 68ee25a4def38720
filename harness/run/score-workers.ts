/**
 * `--score-workers N`: parse and score answers in N worker threads instead of on the event loop that drives
 * the calls. Scoring is pure CPU (scorers do no I/O), so on a client with spare cores it can run beside the
 * HTTP work; the main thread keeps everything else (calls, records, progress).
 *
 * Same results: a worker runs the same scorer (score-item.ts) on the same inputs, so records and the summary
 * do not change. Same order: answers are handed back in the order they were submitted, so records are
 * written in the order their calls finished, as with in-thread scoring. An interrupted run interrupts the
 * workers' invariants too (ScoringInterrupted, recorded as `aborted`). A judge does network calls and stays
 * in-thread: a suite with judge metrics configured scores in-thread whatever N says.
 *
 * Default: cores - 1 (one core for the event loop), and 0 on a machine with 2 cores or fewer, where the
 * loopback server or the model already wants the other core and a worker only adds copying.
 */
import { availableParallelism } from 'node:os';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ScoreItem, Scored } from '../engine/run-items.js';
import { ScoringInterrupted } from '../scoring/invariant-runner.js';
import type { ParsedOutput } from '../parse/parsed-output.js';
import type { Score } from '../scoring/types.js';
import type { DatasetCall, Suite } from '../suite/types.js';
import { boilerplateByTool, type ScorerSuite } from './score-item.js';

/** What a worker is built from: plain data only (it crosses the thread boundary by structured clone). */
export interface WorkerSetup {
  suite: ScorerSuite;
  boilerplate: Array<[string, string[] | undefined]>;
}
/** A session step's earlier calls, as the engine hands them to scoring. */
type Earlier = Parameters<ScoreItem>[2];

export interface ScoreRequest {
  id: number;
  call: DatasetCall;
  raw: string;
  earlier?: Earlier;
}
/**
 * A scored answer as it crosses back. Cloning is the cost of a worker on the main thread (a reply of twelve score
 * objects and the parsed value took ~10-15 µs to deserialise), so the reply is compact: score values in a
 * Float64Array (a null written as NaN, its position listed in `nulls`), metric names as
 * indexes into names the worker sent once (`names`: new names of this batch, in the order of their indexes),
 * reasons only where there are any, and no parsed value when the main thread can have it from the raw text
 * (parse status `json`, a text the record keeps whole, not a session step: records/record-output.ts).
 */
export interface CompactScores {
  metrics: number[];
  values: Float64Array;
  /** Positions whose value is null (NaN in `values`). */
  nulls?: number[];
  /** [position, reasons] for the positions with reasons. */
  reasons?: Array<[number, string[]]>;
}
export type ScoreReply = { id: number } & (
  { parsed: ParsedOutput | undefined; valueFromRaw?: true; scores: CompactScores } | { interrupted: true } | { error: string }
);
/** One message from a worker: the metric names first seen in this batch, then the replies. */
export interface ReplyBatch {
  names: string[];
  replies: ScoreReply[];
}

/** The worker side of CompactScores. `index` gives a metric's index, adding a new name to `fresh`. */
export function compactScores(scores: Score[], index: (metric: string) => number): CompactScores {
  const values = new Float64Array(scores.length);
  const out: CompactScores = { metrics: new Array<number>(scores.length), values };
  scores.forEach((sc, i) => {
    out.metrics[i] = index(sc.metric);
    if (sc.value === null) {
      values[i] = NaN;
      (out.nulls ??= []).push(i);
    } else values[i] = sc.value;
    if (sc.reasons.length) (out.reasons ??= []).push([i, sc.reasons]);
  });
  return out;
}

/** The main-thread side: the Score objects back, with the worker's metric names. */
export function expandScores(c: CompactScores, names: readonly string[]): Score[] {
  const scores: Score[] = new Array(c.metrics.length);
  for (let i = 0; i < scores.length; i++) scores[i] = { metric: names[c.metrics[i]], value: c.values[i], reasons: [] };
  for (const i of c.nulls ?? []) scores[i].value = null;
  for (const [i, reasons] of c.reasons ?? []) scores[i].reasons = reasons;
  return scores;
}

/** A parsed output whose value is JSON.parse(raw), made only if something reads it (records/record-output.ts). */
function withValueFromRaw(parsed: ParsedOutput, raw: string): ParsedOutput {
  let value: unknown;
  let made = false;
  return Object.defineProperty(parsed, 'value', {
    enumerable: true,
    configurable: true,
    get: () => {
      if (!made) {
        value = JSON.parse(raw.trim());
        made = true;
      }
      return value;
    },
  });
}

export function defaultScoreWorkers(cores = availableParallelism()): number {
  return cores <= 2 ? 0 : cores - 1;
}

interface Slot {
  done?: () => void;
  resolve: (r: { parsed: ParsedOutput | undefined; scores: Score[] }) => void;
  reject: (err: unknown) => void;
}

export interface WorkerScorer {
  /** Always a promise: the answer comes back from a worker. */
  scoreItem: (...args: Parameters<ScoreItem>) => Promise<Scored>;
  /** Ends the workers (call once the run is over). */
  close(): Promise<void>;
}

export function createWorkerScorer(suite: Suite, workers: number, opts: { signal?: AbortSignal } = {}): WorkerScorer {
  const setup: WorkerSetup = {
    suite: { tools: suite.tools, metrics: suite.metrics, limits: suite.limits },
    boilerplate: [...boilerplateByTool(suite)].map(([tool, tokens]) => [tool, tokens ? [...tokens] : undefined]),
  };
  // The worker's file beside this one: .js in the compiled build; from the sources (.ts, through tsx) a
  // plain-JS entry registers tsx in the worker first (score-worker-tsx.mjs).
  const fromSources = extname(fileURLToPath(import.meta.url)) === '.ts';
  const thread = new URL(`./score-worker-thread${fromSources ? '.ts' : '.js'}`, import.meta.url);
  const file = fromSources ? new URL('./score-worker-tsx.mjs', import.meta.url) : thread;
  const data = fromSources ? { ...setup, entry: thread.href } : setup;
  // Requests to a worker go out in batches, one message per event-loop turn: a message costs more than
  // scoring a small answer, and at concurrency 64 answers arrive in bursts.
  type Busy = { worker: Worker; inFlight: number; batch: ScoreRequest[]; names: string[] };
  const send = (p: Busy, msg: ScoreRequest) => {
    if (p.batch.push(msg) === 1) setImmediate(() => p.worker.postMessage(p.batch.splice(0)));
  };
  // Workers start when answers need them (one more whenever all are busy, up to N): a short run pays for one.
  const pool: Busy[] = [];
  /** Answers out at a worker, by request id. */
  const out = new Map<number, { slot: Slot; at: Busy; raw: string }>();
  /** Submission order; a settled slot waits here until every earlier one is handed back. */
  const queue: Slot[] = [];
  let nextId = 0;
  let broken: unknown;
  let closing = false;
  let aborted = false;

  const drain = () => {
    while (queue.length && queue[0].done) queue.shift()!.done!();
  };
  const fail = (err: unknown) => {
    broken ??= err;
    for (const s of queue) s.reject(broken);
    queue.length = 0;
    out.clear();
  };
  const spawn = (): Busy => {
    const p: Busy = { worker: new Worker(file, { workerData: data, execArgv: [] }), inFlight: 0, batch: [], names: [] };
    p.worker.on('message', ({ names, replies }: ReplyBatch) => {
      p.names.push(...names);
      for (const r of replies) {
        const o = out.get(r.id);
        if (!o) continue;
        out.delete(r.id);
        o.at.inFlight--;
        const slot = o.slot;
        if ('error' in r) slot.done = () => slot.reject(new Error(`score worker: ${r.error}`));
        else if ('interrupted' in r) slot.done = () => slot.reject(new ScoringInterrupted());
        else {
          const parsed = r.parsed && r.valueFromRaw ? withValueFromRaw(r.parsed, o.raw) : r.parsed;
          const scores = expandScores(r.scores, p.names);
          slot.done = () => slot.resolve({ parsed, scores });
        }
      }
      drain();
    });
    // A worker that dies is a harness bug: every answer still out fails the run, as an in-thread throw would.
    p.worker.on('error', fail);
    p.worker.on('exit', (code) => {
      if (!closing) fail(new Error(`score worker exited with code ${code}`));
    });
    if (aborted) p.worker.postMessage('abort');
    pool.push(p);
    return p;
  };
  const pick = (): Busy => {
    const idle = pool.length ? pool.reduce((a, b) => (b.inFlight < a.inFlight ? b : a)) : undefined;
    return idle && (idle.inFlight === 0 || pool.length >= workers) ? idle : spawn();
  };
  const onAbort = () => {
    aborted = true;
    for (const p of pool) p.worker.postMessage('abort');
  };
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) onAbort();

  const submit = (call: DatasetCall, raw: string | null, failed: boolean, earlier?: Earlier) =>
    new Promise<{ parsed: ParsedOutput | undefined; scores: Score[] }>((resolve, reject) => {
      if (broken) return reject(broken);
      const slot: Slot = { resolve, reject };
      queue.push(slot);
      // No answer, no score (as score-item.ts): settled at once, but still handed back in its turn.
      if (failed || raw === null) {
        slot.done = () => resolve({ parsed: undefined, scores: [] });
        return drain();
      }
      const at = pick();
      const id = nextId++;
      out.set(id, { slot, at, raw });
      at.inFlight++;
      send(at, { id, call, raw, ...(earlier ? { earlier } : {}) });
    });

  return {
    scoreItem: (item, obs, earlier) => submit(item.call, obs.raw, Boolean(obs.error), earlier),
    async close() {
      closing = true;
      opts.signal?.removeEventListener('abort', onAbort);
      await Promise.all(pool.map((p) => p.worker.terminate()));
    },
  };
}
