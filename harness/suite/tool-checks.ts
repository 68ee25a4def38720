/**
 * Checks of one tool spec that its schema cannot express: its three JSON Schemas must themselves be valid
 * (and compile), its invariant names must be unique, and every invariant must parse as JSONata. Each
 * problem is placed at the offending node, inside the suite or inside the tool's own file.
 */
import jsonata from 'jsonata';
import type { Problem } from '../util/errors.js';
import { ajvProblems } from './ajv-problems.js';
import { didYouMean, showValue } from './describe.js';
import { compileToolSchema, toolSchemaAjv } from './schema-ajv.js';
import { joinPointer, linePos, positionOf, problemAt, scalarAt, type SourceFile } from './source.js';

/** A tool object and where it lives: inline in the suite (`/tools/2`) or at the root of its own file (``). */
export interface ToolSource {
  src: SourceFile;
  pointer: string;
  value: Record<string, unknown>;
}

const SCHEMA_FIELDS = ['parameters', 'response_schema', 'error_schema'] as const;
const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

/** Keys whose children are names chosen by the schema author, not keywords. */
const NAME_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas', 'dependentRequired']);

/** Depth-first search for the first `key: value` in a schema for which `test` holds; returns its pointer. */
function findKeyword(node: unknown, test: (key: string, value: unknown) => boolean, pointer = '', inNameMap = false): string | undefined {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const hit = findKeyword(node[i], test, joinPointer(pointer, i));
      if (hit !== undefined) return hit;
    }
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      const here = joinPointer(pointer, key);
      if (!inNameMap && test(key, value)) return here;
      const hit = findKeyword(value, test, here, !inNameMap && NAME_MAPS.has(key));
      if (hit !== undefined) return hit;
    }
  }
  return undefined;
}

function badRegex(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    new RegExp(value, 'u');
    return false;
  } catch {
    return true;
  }
}

/**
 * Compile errors come as bare messages; find the node they are about so the problem points at it.
 * Returns the pointer relative to the schema, and the message in plain words.
 */
function locateCompileError(schema: unknown, err: Error & { missingRef?: string }, keywords: string[]): { at: string; message: string; key?: boolean } {
  const unknownKeyword = /unknown keyword: "([^"]+)"/.exec(err.message);
  if (unknownKeyword) {
    const word = unknownKeyword[1];
    const guess = didYouMean(word, keywords);
    return {
      at: findKeyword(schema, (k) => k === word) ?? '',
      message: `unknown JSON Schema keyword "${word}"${guess ? ` (did you mean "${guess}"?)` : ''}`,
      key: true,
    };
  }
  const unknownFormat = /unknown format "([^"]+)" ignored in schema at path "#([^"]*)"/.exec(err.message);
  if (unknownFormat) {
    return { at: `${unknownFormat[2]}/format`, message: `unknown format "${unknownFormat[1]}"` };
  }
  if (err.missingRef !== undefined) {
    const ref = err.missingRef;
    const at = findKeyword(schema, (k, v) => k === '$ref' && typeof v === 'string' && (v === ref || ref.endsWith(v)));
    return { at: at ?? '', message: `$ref "${ref}" points at nothing in this schema` };
  }
  if (err instanceof SyntaxError && /regular expression/i.test(err.message)) {
    const at = findKeyword(schema, (k, v) => k === 'pattern' && badRegex(v));
    return { at: at ?? '', message: err.message };
  }
  return { at: '', message: err.message };
}

/** Problems with one of the tool's JSON Schemas, or none. */
function checkJsonSchema(tool: ToolSource, field: string): Problem[] {
  const schema = tool.value[field];
  const pointer = joinPointer(tool.pointer, field);
  if (schema === undefined || (typeof schema !== 'object' && typeof schema !== 'boolean') || schema === null) return []; // the suite schema already said so
  const ajv = toolSchemaAjv();
  const dialect = typeof schema === 'object' ? (schema as Record<string, unknown>).$schema : undefined;
  if (dialect !== undefined && dialect !== DRAFT_2020_12) {
    // ajv would throw "no schema with key or ref"; say which dialect is read instead.
    const message = `tool schemas are read as JSON Schema draft 2020-12, found $schema ${showValue(dialect)}; remove $schema or set it to ${DRAFT_2020_12}`;
    return [problemAt(tool.src, pointer + '/$schema', message)];
  }
  if (!ajv.validateSchema(schema)) {
    return ajvProblems(tool.src, ajv.errors ?? [], pointer).map((p) => ({ ...p, message: `not a valid JSON Schema: ${p.message}` }));
  }
  try {
    compileToolSchema(schema);
    return [];
  } catch (err) {
    const { at, message, key } = locateCompileError(schema, err as Error, Object.keys(ajv.RULES.all));
    return [problemAt(tool.src, pointer + at, `not a usable JSON Schema: ${message}`, key ? 'key' : 'value')];
  }
}

/** Where in the file a JSONata error position falls, when the expression's text maps 1:1 onto the file. */
function exprOffset(src: SourceFile, pointer: string, expr: string, index: number): number | undefined {
  const scalar = scalarAt(src, pointer);
  if (!scalar) return undefined;
  if (scalar.raw === expr) return scalar.start + index;
  const quoted = scalar.type === 'QUOTE_DOUBLE' || scalar.type === 'QUOTE_SINGLE';
  if (quoted && scalar.raw.slice(1, -1) === expr) return scalar.start + 1 + index;
  return undefined; // block scalars, escapes, folded lines: the offset would lie
}

function checkInvariants(tool: ToolSource): Problem[] {
  const problems: Problem[] = [];
  const invariants = tool.value.invariants;
  if (!Array.isArray(invariants)) return problems;
  const firstByName = new Map<string, number>();
  invariants.forEach((inv, i) => {
    const at = joinPointer(joinPointer(tool.pointer, 'invariants'), i);
    if (!inv || typeof inv !== 'object') return;
    const { name, expr } = inv as Record<string, unknown>;
    if (typeof name === 'string') {
      const first = firstByName.get(name);
      if (first !== undefined) {
        const pos = positionOf(tool.src, joinPointer(joinPointer(tool.pointer, 'invariants'), first) + '/name');
        problems.push(problemAt(tool.src, at + '/name', `duplicate invariant name "${name}" in this tool; it is first used at line ${pos.line}`));
      } else firstByName.set(name, i);
    }
    if (typeof expr !== 'string' || !expr) return;
    try {
      jsonata(expr);
    } catch (err) {
      const e = err as { message?: string; position?: number; token?: unknown; code?: string };
      const atEnd = e.token === '(end)' || (e.position ?? 0) >= expr.length;
      // JSONata's position is just after the offending token; step back to its start.
      const index = atEnd ? expr.length : Math.max(0, (e.position ?? 0) - (typeof e.token === 'string' ? e.token.length : 0));
      const where = atEnd ? 'at the end of the expression' : `at character ${index + 1} of the expression`;
      const problem = problemAt(
        tool.src,
        at + '/expr',
        `not a valid JSONata expression: ${e.message ?? String(err)} (${where}${e.code ? `, JSONata error ${e.code}` : ''})`,
      );
      const offset = exprOffset(tool.src, at + '/expr', expr, index);
      if (offset !== undefined) Object.assign(problem, linePos(tool.src, offset));
      problems.push(problem);
    }
  });
  return problems;
}

export function checkTool(tool: ToolSource): Problem[] {
  return [...SCHEMA_FIELDS.flatMap((f) => checkJsonSchema(tool, f)), ...checkInvariants(tool)];
}
