/**
 * Typed targets and judge from their (schema-valid) raw sections: environment interpolation, defaults,
 * absolute paths, and the checks that only make sense once variables are filled in (an http(s) base_url,
 * an existing prompt template or rubric). A section with an unset variable is marked not configured and
 * skips those checks: it cannot run here, and that is not an error of the suite.
 */
import { dirname, resolve } from 'node:path';
import type { Problem } from '../util/errors.js';
import { splitBaseUrls } from '../util/base-urls.js';
import { missingFile } from './checks.js';
import { showValue } from './describe.js';
import { interpolate, notConfiguredReason } from './interpolate.js';
import { positionOf, problemAt, type SourceFile } from './source.js';
import { defineSection } from './sections.js';
import type { JudgeSpec, OpenAITargetSpec, RegisteredTargetSpec, SamplingParams, TargetSpec } from './types.js';

type Env = Record<string, string | undefined>;
type Raw = Record<string, any>;

/** Concurrency when a target does not say: local baselines and tools are cheap, model servers are not. */
export const DEFAULT_CONCURRENCY = { registered: 64, openai: 16 } as const;
export const DEFAULT_TIMEOUT_MS = 60000;
export const DEFAULT_RETRIES = 3;

interface Section {
  value: Raw;
  /** Pointers of fields left literal because of a missing variable. */
  unresolved: Set<string>;
  notConfigured?: string;
  problems: Problem[];
}

/** Interpolates one section and runs the checks shared by openai targets and the judge. */
function resolveSection(src: SourceFile, pointer: string, raw: Raw, env: Env, pathKey: 'prompt_template' | 'rubric'): Section {
  const r = interpolate(raw, env);
  const problems = r.malformed.map((m) =>
    problemAt(src, pointer + m.pointer, `expected \${NAME} or \${NAME:-default} (write $\${ for a literal \${), found ${showValue(m.text)}`),
  );
  const notConfigured = notConfiguredReason(r.missing);
  const value = r.value;
  if (!notConfigured && (typeof value.base_url === 'string' || Array.isArray(value.base_url))) {
    // Replicas may be a list, or one string with commas (from one environment variable).
    const urls = splitBaseUrls(value.base_url);
    const bad = urls.filter((u) => !isHttpUrl(u));
    if (urls.length === 0 || bad.length > 0) {
      const from = [...r.changed].some((c) => c.startsWith('/base_url')) ? ` (from ${showValue(raw.base_url)})` : '';
      const found = urls.length === 0 ? showValue(value.base_url) : bad.map((u) => showValue(u)).join(', ');
      problems.push(problemAt(src, pointer + '/base_url', `expected an http:// or https:// URL, found ${found}${from}`));
    }
  }
  // The file is checked whenever its own path resolved, so a typo shows before the target is configured.
  if (!r.unresolved.has(`/${pathKey}`) && typeof value[pathKey] === 'string') {
    const why = missingFile(src, value[pathKey]);
    if (why) problems.push(problemAt(src, `${pointer}/${pathKey}`, `${pathKey === 'rubric' ? 'rubric' : 'prompt template'} not found (${why})`));
  }
  return { value, unresolved: r.unresolved, notConfigured, problems };
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && !!url.host;
  } catch {
    return false;
  }
}

function sampling(raw: unknown): SamplingParams {
  return raw && typeof raw === 'object' ? { ...(raw as SamplingParams) } : {};
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
    const s = resolveSection(src, pointer, raw, env, 'prompt_template');
    problems.push(...s.problems);
    const v = s.value;
    const urls = s.notConfigured ? [String(v.base_url)] : splitBaseUrls(v.base_url);
    const spec: OpenAITargetSpec = {
      name: v.name,
      kind: 'openai',
      base_url: urls[0],
      ...(urls.length > 1 ? { replicas: urls } : {}),
      model: v.model,
      ...(v.api_key_env !== undefined ? { api_key_env: v.api_key_env } : {}),
      api: v.api ?? 'chat',
      // An unresolved path stays literal text: resolving it would invent a file name.
      prompt_template: s.unresolved.has('/prompt_template') ? v.prompt_template : resolve(suiteDir, v.prompt_template),
      sampling: sampling(v.sampling),
      stream: v.stream ?? false,
      timeout_ms: v.timeout_ms ?? DEFAULT_TIMEOUT_MS,
      retries: v.retries ?? DEFAULT_RETRIES,
      concurrency: v.concurrency ?? DEFAULT_CONCURRENCY.openai,
      at,
    };
    return s.notConfigured ? { ...spec, not_configured: s.notConfigured } : spec;
  });
  return { targets, problems };
}

export function buildJudge(src: SourceFile, raw: Raw, env: Env): { judge: JudgeSpec; problems: Problem[] } {
  const s = resolveSection(src, '/judge', raw, env, 'rubric');
  const v = s.value;
  const judge: JudgeSpec = {
    base_url: v.base_url,
    model: v.model,
    ...(v.api_key_env !== undefined ? { api_key_env: v.api_key_env } : {}),
    rubric: s.unresolved.has('/rubric') ? v.rubric : resolve(dirname(src.path), v.rubric),
    sampling: sampling(v.sampling),
    timeout_ms: v.timeout_ms ?? DEFAULT_TIMEOUT_MS,
    retries: v.retries ?? DEFAULT_RETRIES,
    concurrency: v.concurrency ?? DEFAULT_CONCURRENCY.openai,
    ...(s.notConfigured ? { not_configured: s.notConfigured } : {}),
  };
  return { judge, problems: s.problems };
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
