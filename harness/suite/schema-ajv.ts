/**
 * The two kinds of ajv instance the suite loader needs: one for suite.schema.json itself, and one for
 * the JSON Schemas that tools bring (parameters, response_schema, error_schema). Scorers that validate
 * responses should use createToolSchemaAjv too, so that a schema accepted at load compiles the same later.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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

/**
 * The compiled build's suite validators: bin/build.js writes ajv's standalone code for suite.schema.json next to
 * this module (dist/suite/), because compiling the schema at every start is most of `validate`'s time (~75 ms of
 * ~400). CommonJS so it loads synchronously. The file names the sha256 of the schema it was generated from and
 * is used only when that matches the schema read now; from the sources (tsx) there is no such file and the
 * schema is compiled as before, with the same options (suiteAjv), so both paths validate alike.
 */
export const PRECOMPILED_SUITE_VALIDATORS = 'suite-schema-validators.cjs';

const schemaSha256 = (text: string) => createHash('sha256').update(text).digest('hex');

// verbose: messages need the failing value and its schema to say "expected X, found Y".
const suiteAjv = (source = false) => new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true, code: { source } });

/** Validators for suite files; compiled once per process (strict, so a mistake in our schema fails loudly). */
export function suiteValidators(): SuiteValidators {
  if (cached) return cached;
  const text = readFileSync(SUITE_SCHEMA_FILE, 'utf8');
  const schema = JSON.parse(text);
  const precompiled = new URL(PRECOMPILED_SUITE_VALIDATORS, import.meta.url);
  if (precompiled.protocol === 'file:' && existsSync(precompiled)) {
    const mod = createRequire(import.meta.url)(precompiled.pathname) as { schema_sha256: string; suite: ValidateFunction; tool: ValidateFunction };
    if (mod.schema_sha256 === schemaSha256(text)) return (cached = { schema, suite: mod.suite, tool: mod.tool });
  }
  const ajv = suiteAjv();
  const suite = ajv.compile(schema);
  cached = { schema, suite, tool: ajv.getSchema(`${SUITE_SCHEMA_ID}#/$defs/tool`)! };
  return cached;
}

/** The source of PRECOMPILED_SUITE_VALIDATORS (for bin/build.js): ajv's standalone code, exports suite and tool. */
export async function precompiledSuiteValidatorsSource(): Promise<string> {
  // Imported here, not at the top: only the build needs it.
  const { default: standaloneCode } = await import('ajv/dist/standalone/index.js');
  const text = readFileSync(SUITE_SCHEMA_FILE, 'utf8');
  const ajv = suiteAjv(true);
  ajv.addSchema(JSON.parse(text));
  const code = standaloneCode.default(ajv, { suite: SUITE_SCHEMA_ID, tool: `${SUITE_SCHEMA_ID}#/$defs/tool` });
  return `${code}\nexports.schema_sha256 = ${JSON.stringify(schemaSha256(text))};\n`;
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
