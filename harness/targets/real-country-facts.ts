/** `real:country-facts`: the real country-facts tool (harness/tools/country-facts.ts), called in-process. */
import type { TargetSpec } from '../suite/types.js';
import { callCountryTool, COUNTRY_FACTS_SOURCE, COUNTRY_TOOLS } from '../tools/country-facts.js';
import { createLocalTarget } from './local-target.js';
import type { Target } from './types.js';

export async function createCountryFactsTool(spec: TargetSpec): Promise<Target> {
  return createLocalTarget({
    name: spec.name,
    kind: spec.kind,
    backend: `real:country-facts (${COUNTRY_FACTS_SOURCE})`,
    describe: { tools: [...COUNTRY_TOOLS], data: COUNTRY_FACTS_SOURCE },
    answer: ({ tool, call }) => {
      if (!(COUNTRY_TOOLS as readonly string[]).includes(tool.name)) {
        throw new Error(`real:country-facts implements ${COUNTRY_TOOLS.join(', ')}, not ${tool.name}`);
      }
      return callCountryTool(tool.name, call.arguments);
    },
  });
}
