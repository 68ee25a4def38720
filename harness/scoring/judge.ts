/**
 * The pure half of the LLM judge: building its messages from a rubric and turning the judge's reply into
 * scores. Sending the request (and its cache, records/cache/) is the HTTP half, judge/judge-stage.ts.
 *
 * The judge sees the simulator's RAW text (so it can judge format itself), the call, the tool's spec and the
 * real tool's recorded output when there is one, and must answer with one JSON object
 * `{"format": n, "logic": n, "semantic": n, "rationale": "..."}` on the rubric's scale. Scores are rescaled
 * to 0..1 as (n - min) / (max - min); `judge.overall` is the mean of the three.
 */
import type { DatasetCall, ToolSpec } from '../suite/types.js';
import { parseToolOutput } from '../parse/json-from-text.js';
import { DEFAULT_ERROR_SCHEMA } from './compile.js';
import { JUDGE_CRITERIA, PLACEHOLDER, type JudgeRubric } from './judge-rubric.js';
import { outcomeOf } from '../parse/parsed-output.js';
import type { Score } from './types.js';
import type { ResponseFamily } from './metric-family.js';

export type { JudgeRubric, LoadedRubric } from './judge-rubric.js';
export { loadRubric } from './judge-rubric.js';

/** Same shape as the OpenAI client's ChatMessage, declared here so the pure half depends on no client code. */
export interface JudgeMessage {
  role: 'system' | 'user';
  content: string;
}

const pretty = (v: unknown) => JSON.stringify(v, null, 2);

export function buildJudgeMessages(rubric: JudgeRubric, tool: ToolSpec, call: DatasetCall, simulated_raw: string, reference: unknown): JudgeMessage[] {
  const values: Record<string, () => string> = {
    'tool.name': () => tool.name,
    'tool.description': () => tool.description,
    'tool.parameters': () => pretty(tool.parameters),
    'tool.response_schema': () => pretty(tool.response_schema),
    'tool.error_schema': () => pretty(tool.error_schema ?? DEFAULT_ERROR_SCHEMA),
    arguments: () => JSON.stringify(call.arguments),
    call_kind: () =>
      call.expect_error ? 'an INVALID call: the real tool answers it with an error response' : 'a valid call: the real tool answers it with a normal result',
    simulated: () => simulated_raw,
    reference: () => (reference === undefined ? '(no recorded output of the real tool for this call)' : pretty(reference)),
    criteria: () => rubric.criteria.map((c) => `- ${c.name}: ${c.description.trim()}`).join('\n'),
    'scale.min': () => String(rubric.scale.min),
    'scale.max': () => String(rubric.scale.max),
  };
  // One pass: a value that itself contains `{{...}}` (the simulated text may) is not expanded again.
  const fill = (text: string) => text.replace(PLACEHOLDER, (m, name: string) => values[name]?.() ?? m);
  return [
    { role: 'system', content: fill(rubric.system) },
    { role: 'user', content: fill(rubric.user_template) },
  ];
}

/**
 * The judge family (metric-family.ts). Its scores come from a model, so it needs a judge endpoint; the HTTP
 * half (judge/judge-stage.ts) reaches it through the score context.
 */
export const judgeFamily: ResponseFamily = {
  source: 'response',
  name: 'judge',
  description: 'an LLM judge scores format, logic and semantic fidelity on a rubric',
  needs: { judge: true },
  metrics: {
    'judge.format': { label: 'judge: format', direction: 'higher', kind: 'bounded', how: 'LLM judge score for format, rescaled from the rubric scale to 0..1' },
    'judge.logic': { label: 'judge: logic', direction: 'higher', kind: 'bounded', how: 'LLM judge score for logic, rescaled to 0..1' },
    'judge.semantic': { label: 'judge: semantic', direction: 'higher', kind: 'bounded', how: 'LLM judge score for semantic fidelity, rescaled to 0..1' },
    'judge.overall': { label: 'judge: overall', direction: 'higher', kind: 'bounded', how: 'mean of the three judge scores, rescaled to 0..1' },
  },
  score: ({ tool, call, raw }, ctx) => (ctx.judge ? ctx.judge.judge(tool.spec, call, raw) : []),
};

/** Every judge metric, in the family's order: a failed or unreadable verdict gives each of them null. */
export const JUDGE_METRICS: readonly string[] = Object.keys(judgeFamily.metrics);
const METRICS = JUDGE_METRICS;
const RATIONALE_MAX = 500;

/**
 * Reads the judge's verdict. The JSON may be bare, fenced or inside prose (the parser's json / fenced /
 * embedded); a truncated verdict, a missing or non-numeric criterion, or a number outside the scale makes
 * all four scores null with a `judge_unparseable` reason, since a half-read verdict is not a measurement.
 * Numbers written as strings ("4") are accepted.
 */
export function scoreJudgeVerdict(rawJudgeText: string, rubric: JudgeRubric): Score[] {
  const { min, max } = rubric.scale;
  const unparseable = (why: string): Score[] => METRICS.map((metric) => ({ metric, value: null, reasons: [`judge_unparseable: ${why}`] }));
  const parsed = parseToolOutput(rawJudgeText);
  if (outcomeOf(parsed) !== 'strict') {
    return unparseable(`${parsed.status}${parsed.note ? ` (${parsed.note})` : ''}`);
  }
  const v = parsed.value;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return unparseable('the verdict is not a JSON object');
  const verdict = v as Record<string, unknown>;
  const raw: number[] = [];
  for (const name of JUDGE_CRITERIA) {
    const x = toNumber(verdict[name]);
    if (x === undefined) return unparseable(`${name} is missing or not a number`);
    if (x < min || x > max) return unparseable(`${name} = ${x} is outside the scale ${min}..${max}`);
    raw.push(x);
  }
  const norm = raw.map((x) => (x - min) / (max - min));
  const rationale = typeof verdict.rationale === 'string' ? verdict.rationale.trim() : '';
  const scores: Score[] = JUDGE_CRITERIA.map((name, i) => ({ metric: `judge.${name}`, value: norm[i], reasons: [`${raw[i]} on ${min}..${max}`] }));
  const overall: Score = { metric: 'judge.overall', value: (norm[0] + norm[1] + norm[2]) / 3, reasons: [] };
  if (rationale) overall.reasons.push(rationale.length > RATIONALE_MAX ? rationale.slice(0, RATIONALE_MAX - 3) + '...' : rationale);
  scores.push(overall);
  return scores;
}

function toNumber(x: unknown): number | undefined {
  if (typeof x === 'number') return Number.isFinite(x) ? x : undefined;
  if (typeof x === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(x)) return Number(x);
  return undefined;
}
