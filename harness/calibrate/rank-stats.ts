/**
 * The figures calibration checks a scorer against: Spearman's rank correlation (average ranks for ties),
 * the AUC of a score separating two groups (Mann-Whitney, ties count half), and a sentence BLEU-4 and
 * ROUGE-L computed here from tokens, so the comparison does not depend on the scorer being checked.
 */
import { rougeL } from '../scoring/text-sim.js';

export function ranks(xs: readonly number[]): number[] {
  const idx = xs.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
  const r = new Array<number>(xs.length);
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1][0] === idx[i][0]) j++;
    for (let k = i; k <= j; k++) r[idx[k][1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}

export function spearman(a: readonly number[], b: readonly number[]): number {
  const ra = ranks(a);
  const rb = ranks(b);
  const n = ra.length;
  const ma = ra.reduce((s, x) => s + x, 0) / n;
  const mb = rb.reduce((s, x) => s + x, 0) / n;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < n; i++) {
    num += (ra[i] - ma) * (rb[i] - mb);
    da += (ra[i] - ma) ** 2;
    db += (rb[i] - mb) ** 2;
  }
  return da === 0 || db === 0 ? 0 : num / Math.sqrt(da * db);
}

/** P(a random positive scores above a random negative), ties half. */
export function auc(positives: readonly number[], negatives: readonly number[]): number {
  let wins = 0;
  for (const p of positives) for (const q of negatives) wins += p > q ? 1 : p === q ? 0.5 : 0;
  return positives.length && negatives.length ? wins / (positives.length * negatives.length) : NaN;
}

/** Sentence BLEU-4: unigram precision as is, add-one smoothing above (Lin and Och 2004), the brevity penalty. */
export function bleu4(candidate: readonly string[], reference: readonly string[]): number {
  if (candidate.length === 0) return 0;
  let logSum = 0;
  for (let n = 1; n <= 4; n++) {
    const counts = new Map<string, number>();
    for (let i = 0; i + n <= reference.length; i++) {
      const g = reference.slice(i, i + n).join('\u0000');
      counts.set(g, (counts.get(g) ?? 0) + 1);
    }
    let match = 0;
    let total = 0;
    for (let i = 0; i + n <= candidate.length; i++) {
      total++;
      const g = candidate.slice(i, i + n).join('\u0000');
      const c = counts.get(g);
      if (c) {
        match++;
        counts.set(g, c - 1);
      }
    }
    if (n === 1) {
      if (match === 0) return 0;
      logSum += Math.log(match / total);
    } else {
      // Add-one smoothing for n > 1 (Lin and Och 2004); with no candidate n-gram at all, one over the
      // reference's n-gram count plus one, so a short candidate is not credited with n-grams it lacks.
      const refGrams = Math.max(0, reference.length - n + 1);
      logSum += Math.log(total === 0 ? 1 / (refGrams + 1) : (match + 1) / (total + 1));
    }
  }
  const bp = candidate.length >= reference.length ? 1 : Math.exp(1 - reference.length / candidate.length);
  return bp * Math.exp(logSum / 4);
}

export { rougeL };
