/**
 * The secrets a suite configures, handed to the redactor (util/redact.ts) as soon as the suite is read, before
 * anything is called or written: the values of the variables every `*key_env` option names (targets, judge,
 * agent policy, web search, any section), and the user and password of every URL in it once `${VAR}`s are
 * filled in (`base_url: http://user:${PASS}@host/v1`). The walk is generic on purpose, so a section added
 * later with its own endpoint is covered without being listed here. Tools and datasets are not walked (they
 * hold no endpoint, and a tool may be large); an object reached twice (a YAML alias) is walked once.
 */
import { registerEnvSecrets, registerUrlCredentials } from '../util/redact.js';
import { interpolate } from './interpolate.js';

type Env = Record<string, string | undefined>;
const NOT_WALKED = new Set(['tools', 'datasets']);

/** Registers every secret the parsed suite `raw` configures under `env`. */
export function registerSuiteSecrets(raw: Record<string, unknown>, env: Env): void {
  const names: string[] = [];
  const seen = new Set<object>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string') {
      if (value.includes('@') || value.includes('${')) registerUrlCredentials(interpolate(value, env).value);
    } else if (value && typeof value === 'object' && !seen.has(value)) {
      seen.add(value);
      for (const [key, v] of Object.entries(value)) {
        if (/key_env$/i.test(key) && typeof v === 'string') names.push(v);
        walk(v);
      }
    }
  };
  for (const [key, value] of Object.entries(raw)) if (!NOT_WALKED.has(key)) walk(value);
  registerEnvSecrets(env, names);
}
