/**
 * KernelBench's fast_p (Ouyang et al. 2025, src/kernelbench/score.py): the share of the problems of a set whose
 * kernel is correct AND faster than the reference by more than p (speedup > p, strictly). The denominator is
 * the problem set, not the evaluations that happened to run: a problem with no candidate, or none correct,
 * counts 0. fast_0 is the share with a correct kernel (any real speedup is > 0).
 *
 * Two rules beyond the formula, so a figure never says more than the data does:
 *  - several candidates for one problem (repeats, samples, episodes) count as that problem's mean, so each
 *    problem weighs 1/N whatever the number of tries;
 *  - a correct candidate with no speedup (no reference time known) makes fast_p for p > 0 not applicable
 *    (null, with the reason), never 0: whether it was fast is unknown. fast_0 still counts it.
 * Problems are matched by id, never by position in a list (a missing problem must not shift the others).
 */

/** KernelBench's analysis thresholds (scripts/benchmark_eval_analysis.py). */
export const KERNELBENCH_P_VALUES = [0, 0.5, 0.8, 1, 1.5, 2] as const;

export interface FastCandidate {
  correct: boolean;
  /** reference time / candidate time; absent when no reference time is known. */
  speedup?: number;
}

export interface FastPFigure {
  p: number;
  /** null: not applicable (see reason). */
  value: number | null;
  /** Problems of the set (the denominator). */
  problems: number;
  /** Problems with at least one candidate. */
  attempted: number;
  reason?: string;
}

/** fast_p over a problem set, for each threshold in `ps`; `byProblem` maps a problem id to its candidates. */
export function fastP(problemSet: readonly string[], byProblem: ReadonlyMap<string, readonly FastCandidate[]>, ps: readonly number[]): FastPFigure[] {
  const problems = [...new Set(problemSet)];
  const outside = [...byProblem.keys()].filter((id) => !problems.includes(id));
  if (outside.length) throw new Error(`candidates for problem(s) outside the set: ${outside.slice(0, 5).join(', ')}${outside.length > 5 ? ', ...' : ''}`);
  const attempted = problems.filter((id) => (byProblem.get(id)?.length ?? 0) > 0).length;
  return ps.map((p) => {
    if (problems.length === 0) return { p, value: null, problems: 0, attempted: 0, reason: 'the problem set is empty' };
    let unknown = 0;
    let sum = 0;
    for (const id of problems) {
      const cands = byProblem.get(id) ?? [];
      if (cands.length === 0) continue;
      let fast = 0;
      for (const c of cands) {
        if (!c.correct) continue;
        if (p === 0) fast++;
        else if (c.speedup === undefined || !Number.isFinite(c.speedup)) unknown++;
        else if (c.speedup > p) fast++;
      }
      sum += fast / cands.length;
    }
    if (unknown > 0) {
      return { p, value: null, problems: problems.length, attempted, reason: `${unknown} correct candidate(s) have no speedup (no reference time)` };
    }
    return { p, value: sum / problems.length, problems: problems.length, attempted };
  });
}
