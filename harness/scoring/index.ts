/**
 * Runs the reference-based metric families for one observation. The engine calls this for every call, so
 * format (synchronous ajv checks on precompiled validators) and logic (precompiled JSONata) stay cheap;
 * semantic walks the reference only when the suite asks for it. The judge is scored elsewhere (judge.ts).
 * Scores come out in a fixed order: format, logic, semantic.
 */
import { scoreFormat } from './format.js';
import { scoreLogic } from './logic.js';
import { scoreSemantic } from './semantic.js';
import type { Score, ScoreInput } from './types.js';

export type ReferenceFamily = 'format' | 'logic' | 'semantic';

export async function scoreObservation(input: ScoreInput, reference: unknown | undefined, metrics: Set<ReferenceFamily>): Promise<Score[]> {
  const scores: Score[] = [];
  if (metrics.has('format')) scores.push(...scoreFormat(input));
  if (metrics.has('logic')) scores.push(...(await scoreLogic(input)));
  if (metrics.has('semantic')) scores.push(...scoreSemantic({ ...input, reference }));
  return scores;
}

export { parseToolOutput } from '../parse/json-from-text.js';
export { compileTool, isErrorResponse } from './compile.js';
export { scoreFormat, scoreLogic, scoreSemantic };
