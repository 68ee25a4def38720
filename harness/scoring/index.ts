/**
 * Runs the reference-based metric families for one observation, outside the engine (benches, tests, the
 * kernel dataset checks): the same registry and order as run/score-item.ts. The judge needs an endpoint and
 * is scored by the engine's scorer only.
 */
import { responseFamilies } from './metric-registry.js';
import type { Score, ScoreInput } from './types.js';
import { scoreFormat } from './format.js';
import { scoreLogic } from './logic.js';
import { scoreSemantic } from './semantic.js';

export async function scoreObservation(input: ScoreInput, reference: unknown | undefined, families: ReadonlySet<string>): Promise<Score[]> {
  const scores: Score[] = [];
  // raw is read only by the judge, which is skipped here.
  const full = { ...input, reference, raw: '' };
  for (const family of responseFamilies([...families])) {
    if (family.needs.judge) continue;
    scores.push(...(await family.score(full, {})));
  }
  return scores;
}

export { parseToolOutput } from '../parse/json-from-text.js';
export { compileTool, isErrorResponse } from './compile.js';
export { scoreFormat, scoreLogic, scoreSemantic };
