/**
 * The kernel agent's reward, from the evaluation of its final kernel (the last kernel_eval answer of the
 * episode, from the backend of its step: the real evaluator, or the simulator in gtm mode, as the policy
 * would be trained on it). After KernelBench: speedup when correct, else 0. KernelBench's fast_p is not an
 * episode's figure: it is computed over all problems of the task set in the run summary (agent-summary.ts,
 * scoring/fast-p.ts), where a problem no episode solved counts 0.
 * `correct`, `compiled` and `ran` are reported alongside so a run without a GPU (nothing ran, every reward
 * 0) reads as what it is.
 */
import type { MetricKind } from '../../scoring/metric-family.js';
import type { EpisodeEnd, ToolOutcome } from '../types.js';

export const KERNEL_TOOL = 'kernel_eval';
export const KERNEL_REWARD_NAMES = ['speedup', 'correct', 'compiled', 'ran'] as const;
/** What each reward is, so its interval stays in range (scoring/stats.ts): a speedup is a quantity >= 0, the rest 0/1. */
export const KERNEL_REWARD_KINDS: Record<(typeof KERNEL_REWARD_NAMES)[number], MetricKind> = {
  speedup: 'unbounded',
  correct: 'binary',
  compiled: 'binary',
  ran: 'binary',
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** The last evaluation the episode got back (an answered kernel_eval call with an evaluation in it). */
export function finalEvaluation(outcomes: readonly ToolOutcome[]): Obj | null {
  for (let i = outcomes.length - 1; i >= 0; i--) {
    const o = outcomes[i];
    if (o.invocation.tool === KERNEL_TOOL && !o.error && isObj(o.value) && typeof o.value.compiled === 'boolean') return o.value;
  }
  return null;
}

export function kernelReward(end: EpisodeEnd): Record<string, number> {
  const e = finalEvaluation(end.outcomes);
  const correct = e?.correct === true;
  const speedup = correct && typeof e?.speedup === 'number' && Number.isFinite(e.speedup) && e.speedup > 0 ? e.speedup : 0;
  return {
    speedup,
    correct: correct ? 1 : 0,
    compiled: e?.compiled === true ? 1 : 0,
    ran: e?.ran === true ? 1 : 0,
  };
}
