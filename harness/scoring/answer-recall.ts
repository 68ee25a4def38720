/**
 * Task metric family `answer_recall` for search tools: an objective semantic figure that needs no judge.
 * A search response "recalls the answer" when the text of one of its first k results (title and text)
 * contains a golden answer of the question behind the call (containsAnswer in squad-answer.ts: SQuAD-normalised
 * whole-token match, FlashRAG's has-answer test); k is the call's top_k, so a response padded with extra
 * results gains nothing.
 *
 * Two figures per call, so every target is shown side by side with the real retriever on the same calls:
 *   answer_recall.at_k            the target's response
 *   answer_recall.reference_at_k  the real retriever's recorded response (the dataset's reference)
 * A call without `gold.golden_answers`, or one that a faithful tool must refuse, scores null (not applicable).
 * A response that is not `{results: [...]}` (a refusal, garbage) recalls nothing: 0.
 */
import type { Score } from './types.js';
import type { FamilyInput, ResponseFamily } from './metric-family.js';
import { containsAnswer } from './squad-answer.js';

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function goldenAnswers(gold: Record<string, unknown> | undefined): string[] | undefined {
  const g = gold?.golden_answers;
  return Array.isArray(g) && g.length > 0 && g.every((a) => typeof a === 'string') ? (g as string[]) : undefined;
}

/** Whether one of the first k results contains a golden answer, with the reason for the record. */
export function recallsAnswer(output: unknown, golden: readonly string[], k: number): { value: number; reason: string } {
  if (!isObject(output) || !Array.isArray(output.results)) return { value: 0, reason: 'no results list' };
  const top = output.results.slice(0, k);
  for (const [i, r] of top.entries()) {
    if (!isObject(r)) continue;
    const text = [r.title, r.text].filter((x) => typeof x === 'string').join('\n');
    if (containsAnswer(text, golden)) return { value: 1, reason: `result ${i + 1} of ${top.length} contains a golden answer` };
  }
  return { value: 0, reason: `none of ${top.length} result(s) contains ${golden.map((g) => JSON.stringify(g)).join(' / ')}` };
}

export const answerRecall: ResponseFamily = {
  source: 'response',
  name: 'answer_recall',
  description: 'share of search calls whose top-k results contain a golden answer (target, and the real retriever on the same calls)',
  needs: {},
  metrics: {
    'answer_recall.at_k': {
      label: 'answer recall@k',
      direction: 'higher',
      kind: 'binary',
      how: "1 when one of the response's first top_k results (title + text) contains a golden answer of the call's question (SQuAD-normalised whole-token match), else 0; calls without golden answers and invalid calls are left out",
    },
    'answer_recall.reference_at_k': {
      label: 'answer recall@k, real retriever',
      direction: 'higher',
      kind: 'binary',
      how: "the same test on the real retriever's recorded response for the same call: the figure the target's is compared with",
    },
  },
  score: scoreAnswerRecall,
};

export function scoreAnswerRecall({ call, parsed, reference }: Pick<FamilyInput, 'call' | 'parsed' | 'reference'>): Score[] {
  const golden = goldenAnswers(call.gold);
  const na = (why: string): Score[] => [
    { metric: 'answer_recall.at_k', value: null, reasons: [why] },
    { metric: 'answer_recall.reference_at_k', value: null, reasons: [why] },
  ];
  if (!golden) return na('the call has no gold.golden_answers');
  if (call.expect_error) return na('invalid call: a faithful tool refuses it');
  const k = typeof call.arguments.top_k === 'number' && call.arguments.top_k >= 1 ? Math.floor(call.arguments.top_k) : Infinity;
  const own = recallsAnswer(parsed?.value, golden, k);
  const ref = reference === undefined ? undefined : recallsAnswer(reference, golden, k);
  return [
    { metric: 'answer_recall.at_k', value: own.value, reasons: [own.reason] },
    { metric: 'answer_recall.reference_at_k', value: ref ? ref.value : null, reasons: [ref ? ref.reason : 'the call has no reference'] },
  ];
}
