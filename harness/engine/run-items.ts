/**
 * Runs work items against their targets and streams one scored record per item. Each target gets its own
 * pool of `concurrency` workers pulling from its slice of the plan, and all targets run side by side, so a
 * slow target never holds back a fast one. The engine knows targets only through the Target interface and
 * scoring only through scoreItem: it has no tool-specific code.
 */
import { isoNow } from '../util/time.js';
import type { WorkItem } from '../plan/types.js';
import type { Plan } from '../plan/plan.js';
import type { RecordSink } from '../records/writer.js';
import { buildRecord } from './build-record.js';
import type { RunRecord } from '../records/types.js';
import type { ParsedOutput } from '../parse/parsed-output.js';
import type { Score } from '../scoring/types.js';
import type { Observation, Target } from '../targets/types.js';
import type { ToolSpec } from '../suite/types.js';
import { groupSessions, sessionKey, turnOf, type Unit } from './session-chains.js';
import type { SessionCall } from '../scoring/metric-family.js';
import type { SessionContext } from '../targets/types.js';
import { ScoringInterrupted } from '../scoring/invariant-runner.js';

/** Turns an observation into parsed output and scores; supplied by the caller (scoring/ and, optionally, the judge). */
export type ScoreItem = (
  item: WorkItem,
  obs: Observation,
  /** For a session step: the earlier steps' calls with their parsed outputs (session invariants read them). */
  earlier?: SessionCall[],
) => Scored | Promise<Scored>;

/**
 * What scoring gives for one answer. Returned as is when every family scored synchronously (format, logic,
 * semantic): awaiting it would cost each call a promise and a turn of the microtask queue for nothing.
 */
export interface Scored {
  parsed: ParsedOutput | undefined;
  scores: Score[];
}

export interface EngineOptions {
  targets: Map<string, Target>;
  tools: Map<string, ToolSpec>;
  concurrency: (target: string) => number;
  scoreItem: ScoreItem;
  sink: RecordSink;
  onRecord?: (record: RunRecord) => void;
  /** Aborting stops workers from taking new items and cancels calls in flight (they are still recorded). */
  signal?: AbortSignal;
  /** What a record keeps of the raw answer (the suite's limits.record_text_chars). */
  recordTextChars?: number;
}

/** Each WorkItem is made from the compact plan when a worker takes it (plan/plan.ts), so only those in flight exist. */
export async function runItems(plan: Plan, opts: EngineOptions): Promise<void> {
  const byTarget = plan.indicesByTarget();
  let fatal: unknown;
  const runOne = async (item: WorkItem, target: Target, session?: SessionContext, earlier?: SessionCall[]) => {
    const tool = opts.tools.get(item.call.tool);
    if (!tool) throw new Error(`work item ${item.id} names tool ${item.call.tool}, which the suite does not define`);
    const startedAt = isoNow();
    let obs: Observation;
    try {
      obs = await target.call({ tool, call: item.call, repeat: item.repeat, seed: item.seed, signal: opts.signal, ...(session ? { session } : {}) });
    } catch (err) {
      // A target should classify its own failures; one that throws is still recorded, not allowed to kill the run.
      obs = {
        raw: null,
        request: { tool: tool.name, arguments: item.call.arguments },
        latency_ms: 0,
        retries: 0,
        error: { class: 'tool_failure', message: `target threw: ${(err as Error)?.message ?? String(err)}` },
      };
    }
    let scored: Scored;
    try {
      const out = opts.scoreItem(item, obs, earlier);
      scored = out instanceof Promise ? await out : out;
    } catch (err) {
      if (!(err instanceof ScoringInterrupted)) throw err;
      // Cut off by the interruption like a call in flight: recorded as `aborted`, so --resume runs it again.
      obs = { ...obs, error: { class: 'aborted', message: 'interrupted while scoring' } };
      scored = { parsed: undefined, scores: [] };
    }
    const { parsed, scores } = scored;
    const record = buildRecord(item, target.backend, startedAt, obs, parsed, scores, { rawChars: opts.recordTextChars });
    opts.sink.write(record);
    opts.onRecord?.(record);
    return { obs, parsed };
  };
  /** A session's steps in order on one worker; the target is told when the session ends, however it ends. */
  const runChain = async (chain: WorkItem[], target: Target): Promise<void> => {
    const key = sessionKey(chain[0]);
    const history: SessionContext['history'] = [];
    const earlier: SessionCall[] = [];
    try {
      for (const item of chain) {
        if (fatal !== undefined || opts.signal?.aborted) break;
        const s = item.call.session!;
        const ctx: SessionContext = { key, step: s.step, length: s.length, history: [...history], ...(s.setup !== undefined ? { setup: s.setup } : {}) };
        const { obs, parsed } = await runOne(item, target, ctx, [...earlier]);
        history.push(turnOf(item, obs));
        earlier.push({ tool: item.call.tool, args: item.call.arguments, output: parsed?.value, error: obs.error?.class ?? null });
      }
    } finally {
      await target.endSession?.(key);
    }
  };
  const workers: Promise<void>[] = [];
  const withSessions = plan.calls.some((c) => c.session);
  for (const [t, list] of byTarget.entries()) {
    if (list.length === 0) continue;
    const name = plan.targets[t];
    const target = opts.targets.get(name);
    if (!target) throw new Error(`plan names target ${name}, which was not created`);
    // Single-call plans take items by index: grouping (which makes every item at once) only happens for session steps.
    const units: Unit[] | undefined = withSessions ? groupSessions(Array.from(list, (i) => plan.item(i))) : undefined;
    const count = units ? units.length : list.length;
    let next = 0;
    const worker = async () => {
      while (fatal === undefined && !opts.signal?.aborted && next < count) {
        const k = next++;
        const unit = units ? units[k] : plan.item(list[k]);
        try {
          if (Array.isArray(unit)) await runChain(unit, target);
          else await runOne(unit, target);
        } catch (err) {
          // A harness bug (a scorer threw, a write failed): stop taking work, let in-flight items finish.
          fatal ??= err;
        }
      }
    };
    const n = Math.max(1, Math.min(opts.concurrency(name), count));
    for (let i = 0; i < n; i++) workers.push(worker());
  }
  await Promise.all(workers);
  if (fatal !== undefined) throw fatal;
}
