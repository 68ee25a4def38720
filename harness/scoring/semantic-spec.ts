/**
 * A tool's semantic field rules (suite `semantic:`), parsed once per tool spec. compileTool calls this so a
 * malformed path fails when the suite loads, not in the middle of a run; the scorer then reads the cache.
 */
import type { SemanticFieldSpec, ToolSpec } from '../suite/types.js';
import { parsePattern, type PatternToken } from './paths.js';

export interface FieldRules {
  deterministic: PatternToken[][];
  ignore: PatternToken[][];
  /** Relative error at which a number scores 0. */
  numeric_tolerance: number;
  /** Weight factors by path pattern, in the suite's order; the first matching pattern applies. Default: none (1 per field). */
  weights: [PatternToken[], number][];
}

const DEFAULT_TOLERANCE = 1.0;
const cache = new WeakMap<ToolSpec, FieldRules>();

export function fieldRules(spec: ToolSpec): FieldRules {
  let rules = cache.get(spec);
  if (!rules) cache.set(spec, (rules = compileRules(spec.name, spec.semantic ?? {})));
  return rules;
}

function compileRules(tool: string, s: SemanticFieldSpec): FieldRules {
  const parse = (list: string[] | undefined, what: string) =>
    (list ?? []).map((p) => {
      try {
        return parsePattern(p);
      } catch (err) {
        throw new Error(`tool ${tool}: semantic.${what}: ${(err as Error).message}`);
      }
    });
  const tol = s.numeric_tolerance ?? DEFAULT_TOLERANCE;
  if (!(tol > 0) || !Number.isFinite(tol)) throw new Error(`tool ${tool}: semantic.numeric_tolerance must be a positive number`);
  const weights: [PatternToken[], number][] = Object.entries(s.weights ?? {}).map(([path, w]) => {
    if (!(w >= 0) || !Number.isFinite(w)) throw new Error(`tool ${tool}: semantic.weights.${path} must be a number >= 0`);
    return [parse([path], 'weights')[0], w];
  });
  return { deterministic: parse(s.deterministic, 'deterministic'), ignore: parse(s.ignore, 'ignore'), numeric_tolerance: tol, weights };
}
