/**
 * The run's pre-flight: the model endpoints this run will call (openai targets that are configured and not
 * served by gtm-bench itself, and the judge when judge metrics are asked for), checked with
 * endpoint/preflight.ts (`preflight`) before anything is written. A problem is a UserError (exit 2) listing each
 * endpoint's fix. `--no-preflight` skips it (a server that does not implement /v1/models, say).
 */
import { endpointCheck, type EndpointCheck } from '../endpoint/preflight.js';
import { isOpenAITarget, type LoadedSuite } from '../suite/types.js';
import { responseFamilies } from '../scoring/metric-registry.js';

export function runEndpoints(suite: LoadedSuite, served: readonly string[]): EndpointCheck[] {
  const out: EndpointCheck[] = [];
  for (const t of suite.targets) {
    if (!isOpenAITarget(t) || t.not_configured || served.includes(t.name)) continue;
    out.push(endpointCheck(`target ${t.name}`, t, { url: `base_url of target ${t.name} (or --base-url)`, model: `model of target ${t.name} (or --model)` }));
  }
  const j = suite.judge;
  if (j && !j.not_configured && responseFamilies(suite.metrics).some((f) => f.needs.judge)) {
    out.push(endpointCheck('judge', j, { url: 'base_url of the judge section', model: 'model of the judge section' }));
  }
  return out;
}
