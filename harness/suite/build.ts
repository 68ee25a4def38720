/**
 * Typed values with every default filled in, from raw sections that passed the schema and checks.
 * Defaults live here (and in targets.ts) only; suite.schema.json repeats them as annotations for editors.
 */
import { dirname, resolve } from 'node:path';
import { positionOf } from './source.js';
import { TOOL_PRESETS } from './tool-presets.js';
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
    ...(inv.timeout_ms !== undefined ? { timeout_ms: inv.timeout_ms } : {}),
  }));
  const sem: Raw = v.semantic ?? {};
  const semantic: SemanticFieldSpec = {
    deterministic: sem.deterministic ?? [],
    ignore: sem.ignore ?? [],
    numeric_tolerance: sem.numeric_tolerance ?? DEFAULT_NUMERIC_TOLERANCE,
    ...(sem.weights !== undefined ? { weights: sem.weights } : {}),
  };
  const preset = v.preset !== undefined ? TOOL_PRESETS[v.preset as string] : undefined;
  const refusal = v.refusal ?? preset?.refusal;
  const errorSchema = v.error_schema ?? preset?.error_schema;
  const at = positionOf(t.src, t.pointer);
  return {
    name: v.name,
    description: v.description,
    parameters: v.parameters as JsonSchema,
    response_schema: v.response_schema as JsonSchema,
    ...(errorSchema !== undefined ? { error_schema: errorSchema as JsonSchema } : {}),
    invariants,
    semantic,
    ...(refusal !== undefined ? { refusal } : {}),
    ...(v.preset !== undefined ? { preset: v.preset } : {}),
    at: { ...at, file: t.src.path },
  };
}

export function buildDatasets(suiteFile: string, raw: Raw[]): DatasetSpec[] {
  return raw.map((d) => ({ name: d.name, path: resolve(dirname(suiteFile), d.path), on_bad_row: d.on_bad_row ?? 'fail' }));
}
