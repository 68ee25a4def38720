/**
 * The ajv instances the harness needs: one for suite.schema.json itself, and two for the JSON Schemas that tools
 * bring (parameters, response_schema, error_schema): the loader's (strict, verbose: it rejects a schema ajv would
 * silently half-ignore and says where) and the scorers' (not strict, so a number such as 1e999 that JSON.parse
 * reads as Infinity still counts as a number, as it always has). A schema accepted at load compiles on both.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { _, Ajv2020, type Options } from 'ajv/dist/2020.js';
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
 * Options of the tool-schema instances. `tool`: draft 2020-12 with formats, and strict about unknown keywords and
 * formats, so a typo such as `requried` is caught at load instead of silently accepting everything; type-strictness
 * warnings are off (real tools' schemas often omit `type` beside `properties`, which is valid). `scoring`: not
 * strict (see the top of this file); scoring/compile.ts validates answers with it.
 */
export const TOOL_SCHEMA_OPTIONS = {
  tool: {
    allErrors: true,
    verbose: true,
    strictSchema: true,
    strictNumbers: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    logger: false,
  },
  scoring: { allErrors: true, strict: false },
} satisfies Record<string, Options>;

export type ToolSchemaAjvKind = keyof typeof TOOL_SCHEMA_OPTIONS;

const META_SCHEMA_ID = 'https://json-schema.org/draft/2020-12/schema';

/**
 * Every instance checks each schema it compiles against the draft 2020-12 meta-schema, and compiling that
 * meta-schema is the dearest part of a small suite's load (~55 ms per instance). bin/build.js writes ajv's
 * standalone code of the meta-schema's validator, made with each kind's own options, next to this module; an
 * instance then takes it as the meta-schema's compiled validator, so ajv's checks, errors and messages stay its
 * own. Used only when made by the ajv version installed now; from the sources (tsx) ajv compiles it as before.
 */
export const PRECOMPILED_META_VALIDATORS: Record<ToolSchemaAjvKind, string> = {
  tool: 'tool-schema-meta-validator.cjs',
  scoring: 'scoring-schema-meta-validator.cjs',
};

function ajvVersion(): string {
  return (createRequire(import.meta.url)('ajv/package.json') as { version: string }).version;
}

function precompiledMetaValidator(kind: ToolSchemaAjvKind): ValidateFunction | undefined {
  const file = new URL(PRECOMPILED_META_VALIDATORS[kind], import.meta.url);
  if (file.protocol !== 'file:' || !existsSync(file)) return undefined;
  const mod = createRequire(import.meta.url)(fileURLToPath(file)) as { ajv_version: string; meta: ValidateFunction };
  return mod.ajv_version === ajvVersion() ? mod.meta : undefined;
}

/** A new tool-schema instance of the given kind (see TOOL_SCHEMA_OPTIONS). */
export function createToolSchemaAjv(kind: ToolSchemaAjvKind = 'tool'): Ajv2020 {
  const ajv = new Ajv2020(TOOL_SCHEMA_OPTIONS[kind]);
  addFormats.default(ajv);
  const meta = precompiledMetaValidator(kind);
  const env = ajv.schemas[META_SCHEMA_ID];
  // ajv.getSchema (behind validateSchema and compile's own check) uses an entry's validator when it has one.
  if (meta && env && typeof env === 'object') env.validate = meta;
  return ajv;
}

/** The sources of PRECOMPILED_META_VALIDATORS (for bin/build.js), by file name. */
export async function precompiledMetaValidatorSources(): Promise<[string, string][]> {
  // Imported here, not at the top: only the build needs it.
  const { default: standaloneCode } = await import('ajv/dist/standalone/index.js');
  return (Object.keys(TOOL_SCHEMA_OPTIONS) as ToolSchemaAjvKind[]).map((kind) => {
    // The formats the instance has from ajv-formats, required by the generated code.
    const formats = _`require("ajv-formats/dist/formats").fullFormats`;
    const ajv = new Ajv2020({ ...TOOL_SCHEMA_OPTIONS[kind], code: { source: true, formats } });
    addFormats.default(ajv);
    const code = standaloneCode.default(ajv, { meta: META_SCHEMA_ID });
    return [PRECOMPILED_META_VALIDATORS[kind], `${code}\nexports.ajv_version = ${JSON.stringify(ajvVersion())};\n`];
  });
}

let shared: Ajv2020 | undefined;

/** One loader's tool-schema ajv for the process. */
export function toolSchemaAjv(): Ajv2020 {
  shared ??= createToolSchemaAjv();
  return shared;
}

const compiled = new Map<string, ValidateFunction>();

/**
 * Compiles a tool's schema on the shared instance, once per process for equal schemas (the loader checks a
 * tool's parameters, the datasets then validate their rows with them), then forgets it on the instance: tools
 * may reuse one `$id`, which the instance would otherwise refuse the second time. The function keeps working.
 */
export function compileToolSchema(schema: unknown): ValidateFunction {
  // Key order kept: it decides the order of ajv's errors, and so which problem a user is shown first.
  const key = JSON.stringify(schema);
  const known = compiled.get(key);
  if (known) return known;
  const ajv = toolSchemaAjv();
  try {
    const validate = ajv.compile(schema as object);
    compiled.set(key, validate);
    return validate;
  } finally {
    // Boolean schemas are never registered (removeSchema would reject them).
    if (schema && typeof schema === 'object') ajv.removeSchema(schema as object);
  }
}
