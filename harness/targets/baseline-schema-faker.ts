/**
 * `baseline:schema-faker`: a seeded generator of values that satisfy the tool's response schema and
 * nothing else (json-schema-faker). It never refuses a call and knows nothing of the arguments, so it is
 * the lower bound every simulator must beat on logic and semantics; it should score well on format only.
 */
import { readFileSync } from 'node:fs';
import { generateSync, type JsonSchema as FakerSchema } from 'json-schema-faker';
import type { TargetSpec } from '../suite/types.js';
import { createLocalTarget } from './local-target.js';
import type { Target } from './types.js';

// The package exports neither ./package.json nor a require entry: find its package.json from the ESM entry.
const fakerVersion: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.resolve('json-schema-faker')), 'utf8')).version;

export async function createSchemaFakerBaseline(spec: TargetSpec): Promise<Target> {
  return createLocalTarget({
    name: spec.name,
    kind: spec.kind,
    backend: `baseline:schema-faker (json-schema-faker ${fakerVersion})`,
    describe: { generator: `json-schema-faker@${fakerVersion}`, seeded_by: 'the work item seed' },
    // The item seed is shared by every target for the same call and repeat, so runs are reproducible.
    answer: ({ tool, seed }) => generateSync(tool.response_schema as FakerSchema, { seed }),
  });
}
