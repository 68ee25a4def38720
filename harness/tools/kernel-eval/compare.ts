/**
 * The correctness check, in the trusted evaluator: the candidate's outputs (written by the runner that
 * replayed the candidate) against the reference's (written by another runner process, on the same generated
 * inputs), element by element: |candidate - reference| <= atol + rtol * |reference|; both NaN, or the same
 * infinity, counts as equal. Outputs were poisoned with NaN before every run, so an element the candidate
 * never wrote cannot pass.
 */
export interface Comparison {
  mismatches: number;
  nonfinite: number;
  max_abs_error: number;
  /** Index of the first bad element, -1 when none. */
  first_bad: number;
}

export function compareOutputs(candidate: Float32Array, reference: Float32Array, tol: { atol: number; rtol: number }): Comparison {
  const out: Comparison = { mismatches: 0, nonfinite: 0, max_abs_error: 0, first_bad: -1 };
  if (candidate.length !== reference.length) return { ...out, mismatches: Math.max(candidate.length, reference.length), first_bad: 0 };
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i];
    const c = candidate[i];
    if (!Number.isFinite(c) || !Number.isFinite(r)) {
      if (!((Number.isNaN(r) && Number.isNaN(c)) || r === c)) {
        out.nonfinite++;
        out.mismatches++;
        if (out.first_bad < 0) out.first_bad = i;
      }
      continue;
    }
    const d = Math.abs(r - c);
    if (d > out.max_abs_error) out.max_abs_error = d;
    if (d > tol.atol + tol.rtol * Math.abs(r)) {
      out.mismatches++;
      if (out.first_bad < 0) out.first_bad = i;
    }
  }
  return out;
}

/** Sums comparisons of several outputs and runs; the first bad index is the first run's. */
export function mergeComparisons(parts: Comparison[]): Comparison {
  return parts.reduce(
    (a, b) => ({
      mismatches: a.mismatches + b.mismatches,
      nonfinite: a.nonfinite + b.nonfinite,
      max_abs_error: Math.max(a.max_abs_error, b.max_abs_error),
      first_bad: a.first_bad >= 0 ? a.first_bad : b.first_bad,
    }),
    { mismatches: 0, nonfinite: 0, max_abs_error: 0, first_bad: -1 },
  );
}
