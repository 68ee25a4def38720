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

/** Lowest score first; ties by call id, then repeat. */
const worse = (a: { record: RunRecord; score: number }, b: { record: RunRecord; score: number }) =>
  a.score - b.score || (a.record.call_id < b.record.call_id ? -1 : a.record.call_id > b.record.call_id ? 1 : a.record.repeat - b.record.repeat);

interface TargetCandidates {
  /** The `perTarget` lowest-scoring calls so far, lowest first. */
  worst: { record: RunRecord; score: number }[];
  scored: number;
  unanswered: number;
}

/**
 * The worst cases as a fold over records streamed one at a time: per target it keeps only the `perTarget`
 * lowest so far (a bounded list, whatever the run's size), the scored and unanswered counts; beside them the
 * arguments of each call id seen in a local target's request (one per dataset call, not per record) and the
 * answers of real-tool targets by call and repeat (only runs with a real: target keep these, one per such call).
 */
export class WorstCaseFold {
  private readonly byTarget = new Map<string, TargetCandidates>();
  private readonly real = new Map<string, { target: string; raw: string | null }>();
  private readonly args = new Map<string, unknown>();

  constructor(
    private readonly perTarget: number,
    private readonly realTargets: readonly string[],
  ) {}

  add(r: RunRecord): void {
    if (this.realTargets.includes(r.target) && !this.real.has(key(r))) this.real.set(key(r), { target: r.target, raw: r.raw });
    const a = argumentsOf(r);
    if (a !== undefined && !this.args.has(r.call_id)) this.args.set(r.call_id, a);
    let t = this.byTarget.get(r.target);
    if (!t) this.byTarget.set(r.target, (t = { worst: [], scored: 0, unanswered: 0 }));
    if (r.error) t.unanswered++;
    const score = callScore(r);
    if (score === null) return;
    t.scored++;
    if (score >= 1 || this.perTarget <= 0) return;
    const c = { record: r, score };
    const w = t.worst;
    if (w.length === this.perTarget && worse(c, w[w.length - 1]) >= 0) return;
    let at = w.length;
    while (at > 0 && worse(c, w[at - 1]) < 0) at--;
    w.splice(at, 0, c);
    if (w.length > this.perTarget) w.pop();
  }

  /** The records kept as worst cases so far (for the reader to complete their requests, read-run-records.ts). */
  keptRecords(): RunRecord[] {
    return [...this.byTarget.values()].flatMap((t) => t.worst.map((w) => w.record));
  }

  /** Per target of `targets` (report order), its worst cases with the call's arguments, reference and live real answer. */
  result(targets: readonly string[], calls?: WorstCaseOptions['calls']): TargetWorstCases[] {
    return targets.map((target) => {
      const t = this.byTarget.get(target) ?? { worst: [], scored: 0, unanswered: 0 };
      const cases = t.worst.map(({ record, score }): WorstCase => {
        const live = this.realTargets.includes(target) ? undefined : this.real.get(key(record));
        const row = calls?.get(record.call_id);
        const callArgs = row?.arguments ?? this.args.get(record.call_id);
        return {
          record,
          score,
          ...(callArgs !== undefined ? { arguments: callArgs } : {}),
          ...(row && 'reference' in row ? { reference: row.reference } : {}),
          ...(live ? { live_real: live } : {}),
        };
      });
      return { target, cases, unanswered: t.unanswered, scored: t.scored };
    });
  }
}

/** Per target, the `perTarget` calls with the lowest score below 1, lowest first (ties by call id). */
export function worstCases(records: readonly RunRecord[], opts: WorstCaseOptions): TargetWorstCases[] {
  const fold = new WorstCaseFold(opts.perTarget, opts.realTargets);
  for (const r of records) fold.add(r);
  return fold.result(opts.targets, opts.calls);
}
