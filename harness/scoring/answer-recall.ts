/**
 * Task metric families for search tools: whether a response's first k results contain a golden answer of the
 * question behind the call, an objective figure that needs no judge. The match rule is named with every figure,
 * one family per rule (squad-answer.ts, containsAnswer), so a report never leaves it implicit:
 *   answer_recall        `match: substring`, the default: the SQuAD-normalised answer is a substring of the
 *                        SQuAD-normalised title + text. Search-R1's is_retrieval_correct and FlashRAG's
 *                        retrieval_recall, the figure Search-R1 papers report.
 *   answer_recall_token  `match: token`: the answer occurs as whole normalised tokens (DPR-style has_answer);
 *                        stricter: "par" does not match "paris".
 * k is the call's top_k, so a response padded with extra results gains nothing. Two figures per call, so every
 * target is shown side by side with the real retriever on the same calls:
 *   <family>.at_k            the target's response
 *   <family>.reference_at_k  the real retriever's recorded response (the dataset's reference)
 * A call without `gold.golden_answers`, or one that a faithful tool must refuse, scores null (not applicable).
 * A response that is not `{results: [...]}` (a refusal, garbage) recalls nothing: 0.
 */
import type { Score } from './types.js';
import type { FamilyInput, ResponseFamily } from './metric-family.js';
import { containsAnswer, type AnswerMatch } from './squad-answer.js';

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function goldenAnswers(gold: Record<string, unknown> | undefined): string[] | undefined {
  const g = gold?.golden_answers;
  return Array.isArray(g) && g.length > 0 && g.every((a) => typeof a === 'string') ? (g as string[]) : undefined;
}

/** Whether one of the first k results contains a golden answer, with the reason for the record. */
export function recallsAnswer(output: unknown, golden: readonly string[], k: number, match: AnswerMatch = 'substring'): { value: number; reason: string } {
  if (!isObject(output) || !Array.isArray(output.results)) return { value: 0, reason: 'no results list' };
  const top = output.results.slice(0, k);
  for (const [i, r] of top.entries()) {
    if (!isObject(r)) continue;
    // Title and text: what a Search-R1 document's `contents` holds (the title line, then the text).
    const text = [r.title, r.text].filter((x) => typeof x === 'string').join('\n');
    if (containsAnswer(text, golden, match)) return { value: 1, reason: `result ${i + 1} of ${top.length} contains a golden answer (${match} match)` };
  }
  return { value: 0, reason: `none of ${top.length} result(s) contains ${golden.map((g) => JSON.stringify(g)).join(' / ')} (${match} match)` };
}

const RULES: Record<AnswerMatch, string> = {
  substring:
    "match: substring, the SQuAD-normalised answer is a substring of the SQuAD-normalised title + text (Search-R1's is_retrieval_correct and FlashRAG's retrieval_recall; the figure Search-R1 papers report)",
  token:
    'match: token, the SQuAD-normalised answer occurs as whole tokens in the SQuAD-normalised title + text (DPR-style has_answer; stricter than substring)',
};

function answerRecallFamily(name: string, match: AnswerMatch): ResponseFamily {
  const at = `${name}.at_k`;
  const ref = `${name}.reference_at_k`;
  return {
    source: 'response',
    name,
    description: `share of search calls whose top-k results contain a golden answer, match: ${match} (target, and the real retriever on the same calls)`,
    needs: {},
    metrics: {
      [at]: {
        label: `answer recall@k (${match} match)`,
        direction: 'higher',
        kind: 'binary',
        how: `1 when one of the response's first top_k results contains a golden answer of the call's question, ${RULES[match]}; else 0; calls without golden answers and invalid calls are left out`,
      },
      [ref]: {
        label: `answer recall@k (${match} match), real retriever`,
        direction: 'higher',
        kind: 'binary',
        how: "the same test on the real retriever's recorded response for the same call: the figure the target's is compared with",
      },
    },
    score: ({ call, parsed, reference }: Pick<FamilyInput, 'call' | 'parsed' | 'reference'>): Score[] => {
      const golden = goldenAnswers(call.gold);
      const na = (why: string): Score[] => [
        { metric: at, value: null, reasons: [why] },
        { metric: ref, value: null, reasons: [why] },
      ];
      if (!golden) return na('the call has no gold.golden_answers');
      if (call.expect_error) return na('invalid call: a faithful tool refuses it');
      const k = typeof call.arguments.top_k === 'number' && call.arguments.top_k >= 1 ? Math.floor(call.arguments.top_k) : Infinity;
      const own = recallsAnswer(parsed?.value, golden, k, match);
      const theirs = reference === undefined ? undefined : recallsAnswer(reference, golden, k, match);
      return [
        { metric: at, value: own.value, reasons: [own.reason] },
        { metric: ref, value: theirs ? theirs.value : null, reasons: [theirs ? theirs.reason : 'the call has no reference'] },
      ];
    },
  };
}

/** The default family: the match rule Search-R1 papers report. */
export const answerRecall = answerRecallFamily('answer_recall', 'substring');
export const answerRecallToken = answerRecallFamily('answer_recall_token', 'token');
