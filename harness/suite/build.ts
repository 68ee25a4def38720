/**
 * Typed values with every default filled in, from raw sections that passed the schema and checks.
 * Defaults live here (and in targets.ts) only; suite.schema.json repeats them as annotations for editors.
 */
import { dirname, resolve } from 'node:path';
import { positionOf } from './source.js';
import type { ToolSource } from './tool-checks.js';
import type { DatasetSpec, InvariantSpec, JsonSchema, MetricFamilyName, SemanticFieldSpec, ToolSpec } from './types.js';

type Raw = Record<string, any>;

export const DEFAULT_METRICS: MetricFamilyName[] = ['format', 'logic', 'semantic'];
export const DEFAULT_NUMERIC_TOLERANCE = 1;

export function buildTool(t: ToolSource): ToolSpec {
  const v = t.value as Raw;
  const invariants: InvariantSpec[] = (v.invariants ?? []).map((inv: Raw) => ({
    name: inv.name,
    expr: inv.expr,
    ...(inv.description !== undefined ? { description: inv.description } : {}),
    applies_to: inv.applies_to ?? 'result',
  }));
  const sem: Raw = v.semantic ?? {};
  const semantic: SemanticFieldSpec = {
    deterministic: sem.deterministic ?? [],
    ignore: sem.ignore ?? [],
    numeric_tolerance: sem.numeric_tolerance ?? DEFAULT_NUMERIC_TOLERANCE,
  };
  const at = positionOf(t.src, t.pointer);
  return {
    name: v.name,
    description: v.description,
    parameters: v.parameters as JsonSchema,
    response_schema: v.response_schema as JsonSchema,
    ...(v.error_schema !== undefined ? { error_schema: v.error_schema as JsonSchema } : {}),
    invariants,
    semantic,
    at: { ...at, file: t.src.path },
  };
}

export function buildDatasets(suiteFile: string, raw: Raw[]): DatasetSpec[] {
  return raw.map((d) => ({ name: d.name, path: resolve(dirname(suiteFile), d.path), on_bad_row: d.on_bad_row ?? 'fail' }));
}
