/**
 * The search agent's reward: exact match and F1 of the final answer against the golden answers, with SQuAD's
 * answer normalisation (scoring/squad-answer.ts), as Search-R1 computes its outcome reward. An episode that
 * ended without an answer scores 0 on both.
 */
import { answerF1, exactMatch } from '../../scoring/squad-answer.js';
import type { EpisodeEnd } from '../types.js';
import type { MetricKind } from '../../scoring/metric-family.js';
import type { QaPayload } from './qa-tasks.js';

export const SEARCH_REWARD_NAMES = ['em', 'f1'] as const;
/** What each reward is, so its interval stays in range (scoring/stats.ts): exact match is 0/1, F1 a share. */
export const SEARCH_REWARD_KINDS: Record<(typeof SEARCH_REWARD_NAMES)[number], MetricKind> = { em: 'binary', f1: 'bounded' };

export function searchReward(payload: QaPayload, end: EpisodeEnd): Record<string, number> {
  if (end.answer === null) return { em: 0, f1: 0 };
  return { em: exactMatch(end.answer, payload.golden_answers), f1: answerF1(end.answer, payload.golden_answers) };
}
