/**
 * The LLM judge's rubric: a versioned YAML file (harness/prompts/judge-rubric-v1.yaml is the default). Its id,
 * version and sha256 go into the manifest, so a judge score is always tied to the exact rubric behind it.
 * This file holds the type and the loader (the only I/O of the judge's pure half); judge.ts uses it.
 */
import { readFileSync } from 'node:fs';
import { parseUserYaml } from '../util/foreign-file.js';
import { UserError } from '../util/errors.js';
import { sha256 } from '../util/hash.js';
import { PLACEHOLDER } from '../util/placeholder.js';

export type JudgeCriterionName = 'format' | 'logic' | 'semantic';
export const JUDGE_CRITERIA: readonly JudgeCriterionName[] = ['format', 'logic', 'semantic'];

export interface JudgeCriterion {
  name: JudgeCriterionName;
  /** What the judge is told this criterion means, with anchors for the ends of the scale. */
  description: string;
}

export interface JudgeRubric {
  id: string;
  version: string;
  system: string;
  /** The user message; placeholders are listed in JUDGE_PLACEHOLDERS (judge.ts). */
  user_template: string;
  scale: { min: number; max: number };
  /** Exactly format, logic and semantic, in that order. */
  criteria: JudgeCriterion[];
}

export interface LoadedRubric extends JudgeRubric {
  file: string;
  /** sha256 of the file's bytes. */
  sha256: string;
}

/** Placeholders the user template may use; anything else in `{{...}}` fails at load. */
export const JUDGE_PLACEHOLDERS = [
  'tool.name',
  'tool.description',
  'tool.parameters',
  'tool.response_schema',
  'tool.error_schema',
  'arguments',
  'call_kind',
  'simulated',
  'reference',
  'criteria',
  'scale.min',
  'scale.max',
] as const;

export { PLACEHOLDER };

export function loadRubric(file: string): LoadedRubric {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new UserError(`judge rubric ${file}: cannot read it (${(err as Error).message})`);
  }
  let doc: unknown;
  try {
    doc = parseUserYaml(bytes);
  } catch (err) {
    throw new UserError(`judge rubric ${file}: ${(err as Error).message}`);
  }
  const problem = checkRubric(doc);
  if (problem) throw new UserError(`judge rubric ${file}: ${problem}`);
  const d = doc as Record<string, any>;
  return {
    id: d.id,
    version: String(d.version),
    system: d.system,
    user_template: d.user_template,
    scale: { min: d.scale.min, max: d.scale.max },
    criteria: d.criteria.map((c: any) => ({ name: c.name, description: c.description })),
    file,
    sha256: sha256(bytes),
  };
}

/** What is wrong with a parsed rubric document, or undefined when it is usable. */
export function checkRubric(doc: unknown): string | undefined {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return 'expected a mapping';
  const d = doc as Record<string, any>;
  if (typeof d.id !== 'string' || d.id === '') return '`id` must be a non-empty string';
  if (typeof d.version !== 'string' && typeof d.version !== 'number') return '`version` is required';
  if (typeof d.system !== 'string') return '`system` must be a string';
  if (typeof d.user_template !== 'string') return '`user_template` must be a string';
  const s = d.scale;
  if (!s || !Number.isFinite(s.min) || !Number.isFinite(s.max) || s.min >= s.max) return '`scale` needs numbers min < max';
  if (!Array.isArray(d.criteria) || d.criteria.length !== JUDGE_CRITERIA.length) return '`criteria` must list format, logic and semantic';
  for (let i = 0; i < JUDGE_CRITERIA.length; i++) {
    const c = d.criteria[i];
    if (!c || c.name !== JUDGE_CRITERIA[i]) return `criteria[${i}] must be named ${JUDGE_CRITERIA[i]}`;
    if (typeof c.description !== 'string' || c.description.trim() === '') return `criteria[${i}] needs a description`;
  }
  for (const field of ['system', 'user_template'] as const) {
    for (const m of (d[field] as string).matchAll(PLACEHOLDER)) {
      if (!(JUDGE_PLACEHOLDERS as readonly string[]).includes(m[1])) {
        return `unknown placeholder {{${m[1]}}} in \`${field}\`; known: ${JUDGE_PLACEHOLDERS.map((k) => `{{${k}}}`).join(', ')}`;
      }
    }
  }
  return undefined;
}
