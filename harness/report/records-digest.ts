/**
 * What a run's report files need from its records besides the summary, folded from records streamed one at a
 * time, so that writing the reports of a million-call run holds a bounded part of it: the worst cases (a few per
 * target), the session step means, each target's latencies (from the summary's fold, which keeps them anyway)
 * and, only when two or more targets ran, the per-call score table the paired differences need (one number per
 * call and metric: that one does grow with the run).
 */
import type { RunRecord } from '../records/types.js';
import { ScoreTableFold, type ScoreTable } from './score-table.js';
import { SessionStepFold } from './session-steps.js';
import type { PlannedTargetInfo } from './summary.js';
import type { SummaryFold } from './summary-fold.js';
import { WorstCaseFold } from './worst-cases.js';

/** Lowest-scoring calls shown per target. */
export const WORST_PER_TARGET = 5;

export interface RecordsDigest {
  /** Records read. */
  count: number;
  worst: WorstCaseFold;
  sessions: SessionStepFold;
  /** One target's latencies, in no particular order. */
  latencies(target: string): ArrayLike<number>;
  /** Every call's scores, when two or more targets ran (else undefined: nothing to pair). */
  scores?: ScoreTable;
}

export class RecordsDigestFold {
  private count = 0;
  private readonly worst: WorstCaseFold;
  private readonly sessions = new SessionStepFold();
  private readonly scores: ScoreTableFold | undefined;

  constructor(
    targets: readonly PlannedTargetInfo[],
    private readonly summary: SummaryFold,
  ) {
    const ran = targets.filter((t) => t.status !== 'not configured');
    this.worst = new WorstCaseFold(
      WORST_PER_TARGET,
      ran.filter((t) => t.kind.startsWith('real:')).map((t) => t.name),
    );
    if (new Set(ran.map((t) => t.name)).size >= 2) this.scores = new ScoreTableFold();
  }

  /** Adds to the summary's fold too: one pass feeds both. */
  add(r: RunRecord): void {
    this.count++;
    this.summary.add(r);
    this.worst.add(r);
    this.sessions.add(r);
    this.scores?.add(r);
  }

  /** The records kept as worst cases (the only whole records the digest holds). */
  worstRecords(): RunRecord[] {
    return this.worst.keptRecords();
  }

  digest(): RecordsDigest {
    const summary = this.summary;
    return {
      count: this.count,
      worst: this.worst,
      sessions: this.sessions,
      latencies: (target) => summary.latencies(target),
      ...(this.scores ? { scores: this.scores.table } : {}),
    };
  }
}

/** The digest of records already in memory (tests, small callers): the same folds over an array. */
export function digestRecords(targets: readonly PlannedTargetInfo[], records: readonly RunRecord[], summary: SummaryFold): RecordsDigest {
  const fold = new RecordsDigestFold(targets, summary);
  for (const r of records) fold.add(r);
  return fold.digest();
}
