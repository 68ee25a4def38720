/**
 * Answer matching as SQuAD v1.1's official evaluation script does it, which Search-R1 and FlashRAG reuse for
 * their exact-match reward: lower-case, drop ASCII punctuation (Python's string.punctuation), drop the
 * articles a/an/the as whole words, collapse whitespace (Python's str.split() whitespace set, which JavaScript's
 * \s does not equal: \s adds U+FEFF and lacks U+001C..U+001F and U+0085). EM is 1 when the normalised prediction
 * equals any normalised golden answer; F1 is FlashRAG's token-level F1 (flashrag/evaluator/metrics.py F1_Score,
 * HotpotQA's official rule): the bag-of-tokens F1 against the best golden answer, 0 when no token is shared, and
 * 0 when either side normalises to yes / no / noanswer and the two differ. Pure functions: the search reward
 * and answer recall both use them.
 */

import { multisetF1 } from './text-sim.js';

const ASCII_PUNCTUATION = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');
// Python's \b in a str pattern is Unicode-aware; JavaScript's is not, hence the explicit look-arounds.
const ARTICLES = /(?<![\p{L}\p{N}_])(?:a|an|the)(?![\p{L}\p{N}_])/gu;
/** The characters Python's str.split() (no argument) splits on: str.isspace() is true for exactly these. */
export const PYTHON_WHITESPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
/** Answers HotpotQA's and FlashRAG's F1 only credit when equal: a yes/no question is right or wrong. */
const CLOSED_ANSWERS = new Set(['yes', 'no', 'noanswer']);

export function normalizeAnswer(text: string): string {
  let out = '';
  for (const ch of text.toLowerCase()) if (!ASCII_PUNCTUATION.has(ch)) out += ch;
  return out.replace(ARTICLES, ' ').split(PYTHON_WHITESPACE).filter(Boolean).join(' ');
}

export function exactMatch(prediction: string, golden: readonly string[]): number {
  const p = normalizeAnswer(prediction);
  return golden.some((g) => normalizeAnswer(g) === p) ? 1 : 0;
}

export function answerF1(prediction: string, golden: readonly string[]): number {
  const np = normalizeAnswer(prediction);
  const pred = np.split(' ').filter(Boolean);
  let best = 0;
  for (const g of golden) {
    const ng = normalizeAnswer(g);
    if ((CLOSED_ANSWERS.has(np) || CLOSED_ANSWERS.has(ng)) && np !== ng) continue;
    const ref = ng.split(' ').filter(Boolean);
    // The v1.1 script scores an empty side 0 (no shared token); multisetF1 would call two empty sides equal.
    if (pred.length === 0 || ref.length === 0) continue;
    best = Math.max(best, multisetF1(ref, pred));
  }
  return best;
}

/**
 * How a passage "contains" a golden answer, both on SQuAD-normalised text:
 *   substring  the normalised answer occurs anywhere in the normalised passage: FlashRAG's retrieval_recall
 *              and Search-R1's is_retrieval_correct (the figure Search-R1 papers report); "par" matches
 *              "paris", and, as in Python, an answer that normalises to nothing matches every passage;
 *   token      the answer occurs as a whole-token sequence (DPR-style has_answer on SQuAD-normalised tokens);
 *              an answer that normalises to nothing matches none.
 */
export type AnswerMatch = 'substring' | 'token';

export function containsAnswer(passage: string, golden: readonly string[], match: AnswerMatch = 'substring'): boolean {
  const norm = normalizeAnswer(passage);
  if (match === 'substring') return golden.some((g) => norm.includes(normalizeAnswer(g)));
  const hay = ` ${norm} `;
  return golden.some((g) => {
    const n = normalizeAnswer(g);
    return n !== '' && hay.includes(` ${n} `);
  });
}
