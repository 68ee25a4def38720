/**
 * Typed targets and judge from their (schema-valid) raw sections. An openai target and the judge are model
 * endpoints, built by the one endpoint builder (endpoint/build-endpoint.ts: interpolation, the http(s) check of
 * every replica, defaults); here only what is theirs: a registered target's options, the prompt template or
 * rubric path (checked whenever its own path resolved, even when the endpoint is not configured).
 */
import { dirname, resolve } from 'node:path';
import type { Problem } from '../util/errors.js';
import { buildEndpoint, type BuiltEndpoint } from '../endpoint/build-endpoint.js';
import { ENDPOINT_DEFAULTS } from '../endpoint/model-endpoint.js';
import { missingFile } from './checks.js';
import { showValue } from './describe.js';
import { interpolate, notConfiguredReason } from './interpolate.js';
import { positionOf, problemAt, type SourceFile } from './source.js';
import { defineSection } from './sections.js';
import type { JudgeSpec, RegisteredTargetSpec, TargetSpec } from './types.js';

type Env = Record<string, string | undefined>;
type Raw = Record<string, any>;

/** Concurrency of registered targets when they do not say: local baselines and tools are cheap, model servers are not. */
export const DEFAULT_CONCURRENCY = { registered: 64, openai: ENDPOINT_DEFAULTS.concurrency } as const;

/** The prompt template or rubric file is checked whenever its own path resolved, so a typo shows before the endpoint is configured. */
function checkRoleFile(src: SourceFile, pointer: string, built: BuiltEndpoint, key: 'prompt_template' | 'rubric'): Problem[] {
  const path = built.value[key];
  if (built.unresolved.has(`/${key}`) || typeof path !== 'string') return [];
  const why = missingFile(src, path);
  return why ? [problemAt(src, `${pointer}/${key}`, `${key === 'rubric' ? 'rubric' : 'prompt template'} not found (${why})`)] : [];
}

/** @param entries raw targets with their index in the suite's `targets` list (for positions). */
export function buildTargets(src: SourceFile, entries: { raw: Raw; index: number }[], env: Env): { targets: TargetSpec[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const suiteDir = dirname(src.path);
  const targets = entries.map(({ raw, index }): TargetSpec => {
    const pointer = `/targets/${index}`;
    const at = { ...positionOf(src, pointer), file: src.path };
    if (raw.kind !== 'openai') {
      const r = interpolate(raw, env);
      problems.push(...r.malformed.map((m) => problemAt(src, pointer + m.pointer, `expected \${NAME} or \${NAME:-default}, found ${showValue(m.text)}`)));
      const { name, kind, concurrency, ...options } = r.value;
      const spec: RegisteredTargetSpec = { name, kind, concurrency: concurrency ?? DEFAULT_CONCURRENCY.registered, options, at };
      const reason = notConfiguredReason(r.missing);
      return reason ? { ...spec, not_configured: reason } : spec;
    }
    const built = buildEndpoint(src, pointer, raw, env);
    problems.push(...built.problems, ...checkRoleFile(src, pointer, built, 'prompt_template'));
    const v = built.value;
    return {
      name: v.name,
      kind: 'openai',
      ...built.endpoint,
      api: v.api ?? 'chat',
      // An unresolved path stays literal text: resolving it would invent a file name.
      prompt_template: built.unresolved.has('/prompt_template') ? v.prompt_template : resolve(suiteDir, v.prompt_template),
      stream: v.stream ?? false,
      at,
    };
  });
  return { targets, problems };
}

export function buildJudge(src: SourceFile, raw: Raw, env: Env): { judge: JudgeSpec; problems: Problem[] } {
  const built = buildEndpoint(src, '/judge', raw, env);
  const rubric = built.value.rubric;
  const judge: JudgeSpec = { ...built.endpoint, rubric: built.unresolved.has('/rubric') ? rubric : resolve(dirname(src.path), rubric) };
  return { judge, problems: [...built.problems, ...checkRoleFile(src, '/judge', built, 'rubric')] };
}

/** The `judge:` section: the LLM judge's endpoint and rubric, which the judge metric family needs. */
export const judgeSection = defineSection({
  key: 'judge',
  schemaDef: 'judge',
  build: (raw, { src, env }) => {
    const { judge, problems } = buildJudge(src, raw, env);
    return { value: judge, problems };
  },
});
