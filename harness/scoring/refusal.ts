/**
 * "Is this response a refusal?" per tool. Order: the tool's `refusal` predicate (a JSONata expression
 * evaluated on the response value, with `$output` and `$args` bound; only `true` counts), else its
 * error_schema (a value that validates is an error response), else the default: an object whose `error`
 * key holds something non-empty. The default used to be "has an `error` key", which made every answer of a
 * StableToolBench-style `{"error": "", "response": ...}` envelope a refusal (a false-refusal rate of 1.000
 * for the real responses themselves). An expression that fails to evaluate is not a refusal, and says so.
 */
import { budgetedExpression, DEFAULT_INVARIANT_TIMEOUT_MS, type BudgetedExpression } from './invariant-runner.js';
import type { CompiledTool } from './types.js';

export type RefusalPredicate = (value: unknown, args: unknown) => Promise<boolean>;

export function compileRefusal(tool: string, expr: string): RefusalPredicate {
  let e: BudgetedExpression;
  try {
    // Under the same time budget as the invariants: a predicate that never ends must not hang the run.
    e = budgetedExpression(expr, DEFAULT_INVARIANT_TIMEOUT_MS);
  } catch (err) {
    throw new Error(`tool ${tool}: refusal: JSONata syntax error: ${(err as Error).message}`);
  }
  return async (value, args) => {
    try {
      return (await e.evaluate(value, { bindings: { output: value, args } })) === true;
    } catch {
      return false;
    }
  };
}

/** The default and schema-based rule, synchronous (format's reasons use it). */
export function isErrorResponse(tool: CompiledTool, value: unknown): boolean {
  if (tool.validateError) return tool.validateError(value);
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, 'error')) return false;
  return !isEmptyValue((value as Record<string, unknown>).error);
}

export async function isRefusal(tool: CompiledTool, value: unknown, args: unknown): Promise<boolean> {
  return tool.refusal ? tool.refusal(value, args) : isErrorResponse(tool, value);
}

function isEmptyValue(v: unknown): boolean {
  if (v === null || v === undefined || v === false) return true;
  if (typeof v === 'string') return v.trim() === '';
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v).length === 0;
  return false;
}
