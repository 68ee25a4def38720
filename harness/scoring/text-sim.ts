/**
 * Text similarity for reference-based semantic scoring, without a model.
 *
 * Tokens: the text lower-cased (String.prototype.toLowerCase, locale-independent), split into maximal runs
 * of Unicode letters, marks and digits (\p{L}\p{M}\p{N}); punctuation and spaces separate tokens and are
 * dropped. Unlike SQuAD's normaliser, articles are NOT removed: tool outputs are not English answers, and
 * "the" vs "a" can matter in a name.
 *
 * Token F1: SQuAD-style bag-of-tokens F1 (multiset overlap). ROUGE-L: F-measure with beta = 1 over the
 * longest common token subsequence (order-aware). The field score is their mean. Two texts with no tokens
 * at all score 1 (nothing to differ on); one empty side scores 0. The LCS looks at the first 2,000 tokens of
 * each side, which bounds its cost at 4M steps per field.
 */

const TOKEN = /[\p{L}\p{M}\p{N}]+/gu;
const LCS_MAX_TOKENS = 2000;

export function tokenize(text: string): string[] {
  return text.toLowerCase().match(TOKEN) ?? [];
}

/** F1 of two lists as multisets of scalars (1 and "1" differ; order ignored; both empty: 1). */
export function multisetF1(ref: readonly unknown[], out: readonly unknown[]): number {
  if (ref.length === 0 || out.length === 0) return ref.length === out.length ? 1 : 0;
  const counts = new Map<unknown, number>();
  for (const v of ref) counts.set(v, (counts.get(v) ?? 0) + 1);
  let overlap = 0;
  for (const v of out) {
    const c = counts.get(v);
    if (c) {
      overlap++;
      counts.set(v, c - 1);
    }
  }
  return f1(overlap / out.length, overlap / ref.length);
}

/** Bag-of-tokens F1: overlap counts each token min(count in a, count in b) times. */
export function tokenF1(pred: readonly string[], ref: readonly string[]): number {
  return multisetF1(ref, pred);
}

/** ROUGE-L F-measure (beta = 1): LCS length over pred length (precision) and over ref length (recall). */
export function rougeL(pred: readonly string[], ref: readonly string[]): number {
  if (pred.length === 0 || ref.length === 0) return pred.length === ref.length ? 1 : 0;
  const a = pred.length > LCS_MAX_TOKENS ? pred.slice(0, LCS_MAX_TOKENS) : pred;
  const b = ref.length > LCS_MAX_TOKENS ? ref.slice(0, LCS_MAX_TOKENS) : ref;
  const lcs = lcsLength(a, b);
  return f1(lcs / a.length, lcs / b.length);
}

/** Classic dynamic programme on one row (O(|a|·|b|) time, O(|b|) memory). */
function lcsLength(a: readonly string[], b: readonly string[]): number {
  const row = new Uint16Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    let diag = 0; // row[j-1] of the previous i
    for (let j = 1; j <= b.length; j++) {
      const up = row[j];
      row[j] = a[i - 1] === b[j - 1] ? diag + 1 : Math.max(up, row[j - 1]);
      diag = up;
    }
  }
  return row[b.length];
}

function f1(p: number, r: number): number {
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}

export interface TextScore {
  f1: number;
  rouge_l: number;
  /** mean of f1 and rouge_l */
  score: number;
}

export function textSimilarity(pred: string, ref: string): TextScore {
  if (pred === ref) return { f1: 1, rouge_l: 1, score: 1 };
  const p = tokenize(pred);
  const r = tokenize(ref);
  const f = tokenF1(p, r);
  const l = rougeL(p, r);
  return { f1: f, rouge_l: l, score: (f + l) / 2 };
}
