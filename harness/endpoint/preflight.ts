/**
 * The pre-flight check of every model endpoint a run will call (simulator targets, judge, agent policy):
 * one `GET <base_url>/models` per base URL before the first call, so a closed port, a base URL without /v1,
 * a model the server does not serve or a web page where the API should be stops the run in seconds with the
 * fix, instead of running every call through its retries (a closed port took 22.7 s of retries over 300
 * calls before a word). The `serve:` path makes the same check on the server it starts (served-model.ts).
 */
import { httpGet, type GetResult } from '../net/http-get.js';
import { describeHttpError, excerpt, transportCallError } from '../net/openai-errors.js';
import { didYouMean } from '../suite/describe.js';
import { listedModels } from './models-list.js';
import { endpointUrls, type ModelEndpoint } from './model-endpoint.js';
import { UserError } from '../util/errors.js';
import { redactMessage, secretValues } from '../util/redact.js';

export interface EndpointCheck {
  /** Who uses it, as the message names it: `target gtm`, `judge`, `agent policy`. */
  role: string;
  base_urls: readonly string[];
  model: string;
  api_key_env?: string;
  /** Where to fix the base URL and the model, in words (e.g. `base_url of target gtm, or --base-url`). */
  fix_url: string;
  fix_model: string;
}

export const PREFLIGHT_TIMEOUT_MS = 5000;

/** The check of one model endpoint, with where to fix its base URL and model (the suite field, the flag). */
export function endpointCheck(role: string, e: ModelEndpoint, fix: { url: string; model: string }): EndpointCheck {
  return { role, base_urls: endpointUrls(e), model: e.model, api_key_env: e.api_key_env, fix_url: fix.url, fix_model: fix.model };
}

function bodyOf(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

const isHtml = (r: GetResult) => /html/i.test(r.contentType) || /^\s*<(!doctype|html|head|body)/i.test(r.body);
const titleOf = (html: string) => /<title[^>]*>([^<]*)<\/title>/i.exec(html)?.[1]?.trim();

async function get(url: string, timeoutMs: number, headers: Record<string, string>): Promise<GetResult | { error: string }> {
  try {
    return await httpGet(url, timeoutMs, headers);
  } catch (err) {
    const message = (err as Error).message ?? String(err);
    if (message.startsWith('no answer within')) return { error: `no answer within ${timeoutMs / 1000} s` };
    return { error: transportCallError(err).message.replace(/^connection failed: /, '') };
  }
}

/** The problem with one base URL of an endpoint, or undefined when it lists the model. */
async function checkBase(e: EndpointCheck, base: string, env: Record<string, string | undefined>, timeoutMs: number): Promise<string | undefined> {
  const key = e.api_key_env ? env[e.api_key_env] : undefined;
  const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${key || 'EMPTY'}` };
  const r = await get(`${base}/models`, timeoutMs, headers);
  if ('error' in r) {
    return `${e.role}: nothing answers at ${base} (${r.error}). Start the server, or point ${e.fix_url} at it.`;
  }
  if (r.status === 404) {
    const path = new URL(base).pathname.replace(/\/+$/, '');
    if (!path.endsWith('/v1')) {
      const withV1 = await get(`${base}/v1/models`, timeoutMs, headers);
      if (!('error' in withV1) && withV1.status === 200 && listedModels(withV1.body)) {
        return `${e.role}: ${base}/models is not found (404) but ${base}/v1/models answers: the base URL lacks /v1. Use ${base}/v1 in ${e.fix_url}.`;
      }
    }
    return `${e.role}: GET ${base}/models answered 404: ${e.fix_url} must be the OpenAI API root (usually ending in /v1), not ${base}.`;
  }
  if (r.status === 401 || r.status === 403) {
    const why = !e.api_key_env
      ? `the server wants a key: name the environment variable that holds it in api_key_env`
      : key
        ? `it refused the key in ${e.api_key_env}`
        : `the server wants a key and ${e.api_key_env} is not set`;
    return `${e.role}: ${base} answered ${describeHttpError(r.status, bodyOf(r.body), r.body || undefined)}: ${why}.`;
  }
  if (r.status >= 400) return `${e.role}: GET ${base}/models answered ${describeHttpError(r.status, bodyOf(r.body), r.body || undefined)}.`;
  const ids = listedModels(r.body);
  if (!ids) {
    if (isHtml(r)) {
      const title = titleOf(r.body);
      return `${e.role}: ${base}/models answered an HTML page${title ? ` ("${title}")` : ''}, not the OpenAI API: ${e.fix_url} must be the API root (usually ending in /v1), not a web page.`;
    }
    return `${e.role}: ${base}/models answered HTTP ${r.status} with ${r.body ? `a body that is not an OpenAI model list: ${excerpt(r.body)}` : 'an empty body'}; is ${base} an OpenAI-compatible server?`;
  }
  if (!ids.includes(e.model)) {
    const guess = didYouMean(e.model, ids);
    const listed = ids.length ? `it serves ${ids.map((id) => JSON.stringify(id)).join(', ')}` : 'it lists no model';
    return `${e.role}: model ${JSON.stringify(e.model)} is not served at ${base}; ${listed}${guess ? ` (did you mean ${JSON.stringify(guess)}?)` : ''}. Fix ${e.fix_model}.`;
  }
  return undefined;
}

/** Every problem found, one sentence each with its fix; empty when every endpoint lists its model. */
export async function preflightEndpoints(
  endpoints: readonly EndpointCheck[],
  env: Record<string, string | undefined>,
  timeoutMs = PREFLIGHT_TIMEOUT_MS,
): Promise<string[]> {
  const found = await Promise.all(endpoints.flatMap((e) => e.base_urls.map((base) => checkBase(e, base, env, timeoutMs))));
  return found.filter((p): p is string => p !== undefined);
}

/**
 * The pre-flight as a command runs it (run: targets and judge; agent: the policy and a model backend): throws a
 * UserError (exit 2) listing each problem with its fix, any key in it redacted; nothing when all is well.
 */
export async function preflight(endpoints: readonly EndpointCheck[], env: Record<string, string | undefined>): Promise<void> {
  if (!endpoints.length) return;
  const problems = await preflightEndpoints(endpoints, env);
  if (!problems.length) return;
  const secrets = secretValues(
    env,
    endpoints.flatMap((e) => (e.api_key_env ? [e.api_key_env] : [])),
  );
  throw new UserError(
    [
      `the pre-flight check (GET /models on every model endpoint) found ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}; nothing was run:`,
      ...problems.map((p) => '  ' + redactMessage(p, secrets)),
      '(--no-preflight skips this check)',
    ].join('\n'),
  );
}
