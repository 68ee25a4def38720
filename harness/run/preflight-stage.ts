/**
 * The run's pre-flight: the model endpoints this run will call (openai targets that are configured and not
 * served by gtm-bench itself, and the judge when judge metrics are asked for), checked with
 * endpoint/preflight.ts before anything is written. A problem is a UserError (exit 2) listing each endpoint's
 * fix. `--no-preflight` skips it (a server that does not implement /v1/models, say).
 */
import { preflightEndpoints, type EndpointCheck } from '../endpoint/preflight.js';
import { endpointUrls } from '../endpoint/model-endpoint.js';
import { isOpenAITarget, type LoadedSuite } from '../suite/types.js';
import { responseFamilies } from '../scoring/metric-registry.js';
import { UserError } from '../util/errors.js';
import { redactMessage, secretValues } from '../util/redact.js';

export function runEndpoints(suite: LoadedSuite, served: readonly string[]): EndpointCheck[] {
  const out: EndpointCheck[] = [];
  for (const t of suite.targets) {
    if (!isOpenAITarget(t) || t.not_configured || served.includes(t.name)) continue;
    out.push({
      role: `target ${t.name}`,
      base_urls: endpointUrls(t),
      model: t.model,
      api_key_env: t.api_key_env,
      fix_url: `base_url of target ${t.name} (or --base-url)`,
      fix_model: `model of target ${t.name} (or --model)`,
    });
  }
  const j = suite.judge;
  if (j && !j.not_configured && responseFamilies(suite.metrics).some((f) => f.needs.judge)) {
    out.push({
      role: 'judge',
      base_urls: endpointUrls(j),
      model: j.model,
      api_key_env: j.api_key_env,
      fix_url: 'base_url of the judge section',
      fix_model: 'model of the judge section',
    });
  }
  return out;
}

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
