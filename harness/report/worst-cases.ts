/**
 * The lowest-scoring calls of each target (pure): what a person reads to see how a simulator fails. A call's
 * score is the mean of its 0..1 scores, with lower-is-better metrics turned around (1 - value), so one
 * number orders calls across metrics (quantities such as a speedup error are left out of it: they are not
 * shares). Calls without an answer have no scores and are counted, not ranked.
 */
import type { RunRecord } from '../records/types.js';
import { metricDef } from '../scoring/metric-registry.js';

export interface WorstCase {
  record: RunRecord;
  score: number;
  /** The call's arguments: from the dataset row, else from a record whose request carries them. */
  arguments?: unknown;
  /** The real tool's recorded output for this call (from the dataset), when available. */
  reference?: unknown;
  /** The same call answered live by a real tool target in this run, when one ran. */
  live_real?: { target: string; raw: string | null };
}

export interface TargetWorstCases {
  target: string;
  cases: WorstCase[];
  /** Calls of this target that got no answer (transport errors), left out of the ranking. */
  unanswered: number;
  /** Scored calls in all. */
  scored: number;
}

/** Mean of a record's 0..1 scores, oriented so that higher is better; null when it has none. */
export function callScore(record: RunRecord): number | null {
  let sum = 0;
  let n = 0;
  for (const [metric, s] of Object.entries(record.scores)) {
    if (s.value === null) continue;
    // Only shares in [0, 1] average into one number: a quantity (a log ratio, milliseconds) does not, even when
    // its value happens to fall in [0, 1]. A metric no family defines is judged by its value.
    const def = metricDef(metric);
    if (def ? def.kind === 'unbounded' || def.range.min !== 0 || def.range.max !== 1 : s.value < 0 || s.value > 1) continue;
    sum += def?.direction === 'lower' ? 1 - s.value : s.value;
    n++;
  }
  return n ? sum / n : null;
}

export interface WorstCaseOptions {
  perTarget: number;
  /** Targets to rank, in report order. */
  targets: string[];
  /** Targets whose answers are the real tool's, shown beside a simulator's answer. */
  realTargets: string[];
  /** Dataset rows by call id: arguments and, when recorded, the real response. */
  calls?: ReadonlyMap<string, { arguments: unknown; reference?: unknown }>;
}

/** Local targets record {tool, arguments} as their request; a model target records the prompt it was sent. */
function argumentsOf(r: RunRecord): unknown {
  const req = r.request as { tool?: unknown; arguments?: unknown } | null;
  return req && typeof req === 'object' && 'arguments' in req && !('messages' in req) ? req.arguments : undefined;
}

const key = (r: RunRecord) => `${r.call_id}#${r.repeat}`;

/** Per target, the `perTarget` calls with the lowest score below 1, lowest first (ties by call id). */
export function worstCases(records: readonly RunRecord[], opts: WorstCaseOptions): TargetWorstCases[] {
  const real = new Map<string, RunRecord>();
  const args = new Map<string, unknown>();
  for (const r of records) {
    if (opts.realTargets.includes(r.target) && !real.has(key(r))) real.set(key(r), r);
    const a = argumentsOf(r);
    if (a !== undefined && !args.has(r.call_id)) args.set(r.call_id, a);
  }
  return opts.targets.map((target) => {
    const mine = records.filter((r) => r.target === target);
    const scored = mine.flatMap((record) => {
      const score = callScore(record);
      return score === null ? [] : [{ record, score }];
    });
    const ranked = scored
      .filter((c) => c.score < 1)
      .sort(
        (a, b) => a.score - b.score || (a.record.call_id < b.record.call_id ? -1 : a.record.call_id > b.record.call_id ? 1 : a.record.repeat - b.record.repeat),
      )
      .slice(0, opts.perTarget)
      .map(({ record, score }): WorstCase => {
        const live = opts.realTargets.includes(target) ? undefined : real.get(key(record));
        const row = opts.calls?.get(record.call_id);
        const callArgs = row?.arguments ?? args.get(record.call_id);
        return {
          record,
          score,
          ...(callArgs !== undefined ? { arguments: callArgs } : {}),
          ...(row && 'reference' in row ? { reference: row.reference } : {}),
          ...(live ? { live_real: { target: live.target, raw: live.raw } } : {}),
        };
      });
    return { target, cases: ranked, unanswered: mine.filter((r) => r.error).length, scored: scored.length };
  });
}
