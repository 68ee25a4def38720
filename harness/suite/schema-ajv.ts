/**
 * The two kinds of ajv instance the suite loader needs: one for suite.schema.json itself, and one for
 * the JSON Schemas that tools bring (parameters, response_schema, error_schema). Scorers that validate
 * responses should use createToolSchemaAjv too, so that a schema accepted at load compiles the same later.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { harnessFile } from '../util/package-root.js';

export const SUITE_SCHEMA_ID = 'https://gtm-bench.dev/schemas/suite.schema.json';
export const SUITE_SCHEMA_FILE = harnessFile('suite', 'suite.schema.json');

export interface SuiteValidators {
  /** suite.schema.json itself, parsed. */
  schema: { properties: Record<string, unknown>; $defs: Record<string, { properties?: Record<string, unknown> }> };
  suite: ValidateFunction;
  /** A tool spec on its own: what a `file:` tool entry's file must hold. */
  tool: ValidateFunction;
}

let cached: SuiteValidators | undefined;

/** Validators for suite files; compiled once per process (strict, so a mistake in our schema fails loudly). */
export function suiteValidators(): SuiteValidators {
  if (cached) return cached;
  // verbose: messages need the failing value and its schema to say "expected X, found Y".
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
  const schema = JSON.parse(readFileSync(SUITE_SCHEMA_FILE, 'utf8'));
  const suite = ajv.compile(schema);
  cached = { schema, suite, tool: ajv.getSchema(`${SUITE_SCHEMA_ID}#/$defs/tool`)! };
  return cached;
}

/**
 * An ajv for tool schemas: draft 2020-12 with formats, and strict about unknown keywords and formats, so a
 * typo such as `requried` is caught at load instead of silently accepting everything. Type-strictness
 * warnings are off: real tools' schemas often omit `type` beside `properties`, which is valid.
 */
export function createToolSchemaAjv(): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    verbose: true,
    strictSchema: true,
    strictNumbers: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    logger: false,
  });
  addFormats.default(ajv);
  return ajv;
}

let shared: Ajv2020 | undefined;

/** One tool-schema ajv for the process: building one costs tens of milliseconds (it compiles the meta-schema). */
export function toolSchemaAjv(): Ajv2020 {
  shared ??= createToolSchemaAjv();
  return shared;
}

/**
 * Compiles a tool's schema on the shared instance, then forgets it: tools may reuse one `$id`, which the
 * instance would otherwise refuse the second time. The returned function keeps working.
 */
export function compileToolSchema(schema: unknown): ValidateFunction {
  const ajv = toolSchemaAjv();
  try {
    return ajv.compile(schema as object);
  } finally {
    // Boolean schemas are never registered (removeSchema would reject them).
    if (schema && typeof schema === 'object') ajv.removeSchema(schema as object);
  }
}
