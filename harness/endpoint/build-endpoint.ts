/**
 * The one builder and validator of a model endpoint from a (schema-valid) raw suite section: an openai target,
 * the `judge:` section, `agent.policy`. It interpolates environment variables over the whole section, checks
 * what the schema cannot (every base URL is http(s) once variables are filled in), fills the defaults, and
 * reports problems at file:line:column of the field. A section with an unset variable is marked not
 * configured and skips the URL check: it cannot run here, and that is not an error of the suite.
 */
import type { Problem } from '../util/errors.js';
import { splitBaseUrls } from '../util/base-urls.js';
import { showValue } from '../suite/describe.js';
import { interpolate, notConfiguredReason } from '../suite/interpolate.js';
import { problemAt, type SourceFile } from '../suite/source.js';
import { ENDPOINT_DEFAULTS, isHttpUrl, type ModelEndpoint, type SamplingParams } from './model-endpoint.js';

type Env = Record<string, string | undefined>;
type Raw = Record<string, any>;

export interface BuiltEndpoint {
  endpoint: ModelEndpoint;
  /** The whole section after interpolation, for the role's own fields. */
  value: Raw;
  /** Pointers (relative to the section) of fields left literal because of a missing variable. */
  unresolved: Set<string>;
  problems: Problem[];
}

/**
 * @param pointer the section's JSON pointer in the suite file (`/targets/3`, `/judge`, `/agent/policy`).
 * @param defaults the role's defaults where they differ from ENDPOINT_DEFAULTS.
 */
export function buildEndpoint(src: SourceFile, pointer: string, raw: Raw, env: Env, defaults: Partial<typeof ENDPOINT_DEFAULTS> = {}): BuiltEndpoint {
  const d = { ...ENDPOINT_DEFAULTS, ...defaults };
  const r = interpolate(raw, env);
  const problems = r.malformed.map((m) =>
    problemAt(src, pointer + m.pointer, `expected \${NAME} or \${NAME:-default} (write $\${ for a literal \${), found ${showValue(m.text)}`),
  );
  const notConfigured = notConfiguredReason(r.missing);
  const v = r.value;
  let urls: string[] = [String(v.base_url)];
  if (!notConfigured && (typeof v.base_url === 'string' || Array.isArray(v.base_url))) {
    // Replicas may be a list, or one string with commas (from one environment variable).
    urls = splitBaseUrls(v.base_url);
    const bad = urls.filter((u) => !isHttpUrl(u));
    if (urls.length === 0 || bad.length > 0) {
      const from = [...r.changed].some((c) => c.startsWith('/base_url')) ? ` (from ${showValue(raw.base_url)})` : '';
      const found = urls.length === 0 ? showValue(v.base_url) : bad.map((u) => showValue(u)).join(', ');
      problems.push(problemAt(src, pointer + '/base_url', `expected an http:// or https:// URL, found ${found}${from}`));
    }
  }
  const endpoint: ModelEndpoint = {
    base_url: urls[0],
    ...(urls.length > 1 ? { replicas: urls } : {}),
    model: v.model,
    ...(v.api_key_env !== undefined ? { api_key_env: v.api_key_env } : {}),
    sampling: sampling(v.sampling),
    timeout_ms: v.timeout_ms ?? d.timeout_ms,
    retries: v.retries ?? d.retries,
    concurrency: v.concurrency ?? d.concurrency,
    ...(notConfigured ? { not_configured: notConfigured } : {}),
  };
  return { endpoint, value: v, unresolved: r.unresolved, problems };
}

function sampling(raw: unknown): SamplingParams {
  return raw && typeof raw === 'object' ? { ...(raw as SamplingParams) } : {};
}
