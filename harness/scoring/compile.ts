/**
 * Compiles a tool spec once at load time: its schemas into ajv validators, its invariants into JSONata
 * expressions. Scoring then only calls functions; nothing is compiled per call.
 *
 * One Ajv instance (suite/schema-ajv.ts's `scoring` kind: JSON Schema 2020-12, all errors, formats, not strict)
 * is shared by every tool, and validators are cached by the schema's canonical
 * JSON, so two tools with the same schema share a validator and a schema with an `$id` is not added twice.
 *
 * Invariant bindings: the expression is evaluated with `{args, output}` as its input object AND with `$args`
 * and `$output` bound as variables, so `args.limit` and `$args.limit` mean the same thing. The variable form is
 * the safe one inside nested paths (where the context is no longer the root). `$now`, `$millis` and `$random`
 * are shadowed by functions that fail, since a scorer must give the same result on every run.
 */
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { budgetedExpression, DEFAULT_INVARIANT_TIMEOUT_MS, type BudgetedExpression } from './invariant-runner.js';
import { createToolSchemaAjv } from '../suite/schema-ajv.js';
import { DEFAULT_ERROR_SCHEMA, type JsonSchema, type ToolSpec } from '../suite/types.js';
import { canonicalJson } from '../util/hash.js';
import { fieldRules } from './semantic-spec.js';
import { fieldsRead } from './invariant-fields.js';
import { compileRefusal } from './refusal.js';
import type { CompiledInvariant, CompiledTool, CompiledValidator } from './types.js';

let ajv: ReturnType<typeof createToolSchemaAjv> | undefined;
// Made on first use: commands that load this module without compiling a tool (targets, validate) skip it.
const scoringAjv = () => (ajv ??= createToolSchemaAjv('scoring'));

const validators = new Map<string, CompiledValidator>();

export { DEFAULT_ERROR_SCHEMA };

/** A cached validator for a schema. Throws (at load time) when ajv cannot compile the schema. */
export function compileSchema(schema: JsonSchema): CompiledValidator {
  const key = canonicalJson(schema);
  let v = validators.get(key);
  if (!v) {
    v = wrap(scoringAjv().compile(schema));
    validators.set(key, v);
  }
  return v;
}

function wrap(fn: ValidateFunction): CompiledValidator {
  const v = ((value: unknown) => fn(value) === true) as CompiledValidator;
  v.messages = () => (fn.errors ?? []).map(formatError);
  return v;
}

/** `instancePath: message`, with the detail ajv keeps in params where the message alone is vague. */
function formatError(e: ErrorObject): string {
  const where = e.instancePath === '' ? '(root)' : e.instancePath;
  const p = e.params as Record<string, unknown>;
  let detail = '';
  if (e.keyword === 'additionalProperties') detail = ` (${JSON.stringify(p.additionalProperty)})`;
  else if (e.keyword === 'enum') detail = ` (${JSON.stringify(p.allowedValues)})`;
  else if (e.keyword === 'const') detail = ` (${JSON.stringify(p.allowedValue)})`;
  return `${where}: ${e.message ?? e.keyword}${detail}`;
}

const IMPURE = ['now', 'millis', 'random'];

export { DEFAULT_INVARIANT_TIMEOUT_MS };

/**
 * A JSONata expression with the clock and randomness shut off, evaluated within `budgetMs`
 * (invariant-runner.ts); `where` names it in a syntax error.
 */
export function compilePureExpression(text: string, where: string, budgetMs = DEFAULT_INVARIANT_TIMEOUT_MS): BudgetedExpression {
  let expr: BudgetedExpression;
  try {
    expr = budgetedExpression(text, budgetMs);
  } catch (err) {
    throw new Error(`${where}: JSONata syntax error: ${(err as Error).message}`);
  }
  for (const name of IMPURE) {
    expr.registerFunction(name, () => {
      throw new Error(`$${name}() is not allowed in an invariant: scores must not depend on when or how often they run`);
    });
  }
  return expr;
}

function compileInvariant(tool: string, inv: ToolSpec['invariants'][number], budgetMs: number): CompiledInvariant {
  const expr = compilePureExpression(inv.expr, `tool ${tool}: invariant ${inv.name}`, inv.timeout_ms ?? budgetMs);
  return {
    name: inv.name,
    expr: inv.expr,
    applies_to: inv.applies_to ?? 'result',
    reads: fieldsRead(inv.expr),
    evaluate: ({ args, output }, opts) => expr.evaluate({ args, output }, opts),
    evaluateSync: ({ args, output }, opts) => expr.evaluateSync({ args, output }, opts),
  };
}

/** `invariantTimeoutMs`: the suite's limits.invariant_timeout_ms (an invariant's own timeout_ms wins). */
export function compileTool(spec: ToolSpec, opts: { invariantTimeoutMs?: number } = {}): CompiledTool {
  const schema = (which: string, s: JsonSchema) => {
    try {
      return compileSchema(s);
    } catch (err) {
      throw new Error(`tool ${spec.name}: ${which} does not compile: ${(err as Error).message}`);
    }
  };
  const tool: CompiledTool = {
    spec,
    validateResponse: schema('response_schema', spec.response_schema),
    invariants: spec.invariants.map((inv) => compileInvariant(spec.name, inv, opts.invariantTimeoutMs ?? DEFAULT_INVARIANT_TIMEOUT_MS)),
  };
  if (spec.refusal !== undefined) tool.refusal = compileRefusal(spec.name, spec.refusal);
  fieldRules(spec); // parse the semantic field paths now, so a malformed one fails at load
  if (spec.error_schema !== undefined) tool.validateError = schema('error_schema', spec.error_schema);
  return tool;
}

/** The validator for the tool's error responses: its error_schema, else the default `{error: ...}` shape. */
export function errorValidator(tool: CompiledTool): CompiledValidator {
  return tool.validateError ?? compileSchema(DEFAULT_ERROR_SCHEMA);
}

/** The schema an error response is checked against (see errorValidator). */
export function errorSchema(tool: CompiledTool): JsonSchema {
  return tool.spec.error_schema ?? DEFAULT_ERROR_SCHEMA;
}

export { isErrorResponse } from './refusal.js';
