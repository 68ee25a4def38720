/**
 * What keeps an invariant from passing vacuously (issue 11 item 7). JSONata over a missing field yields
 * nothing, and `$count(nothing) <= 5`, `nothing != nothing`, a filter over nothing are all true: `{}`,
 * `{"results": "oops"}` and an unmapped raw body used to score logic.invariants 1.0 on the search tool.
 *
 * Rule: an invariant reads fields (every `output.a.b` / `$output.a.b` path in its expression, taken from the
 * JSONata syntax tree at load time); when a field it reads is one the response schema REQUIRES, and the
 * response lacks it or holds a value of another JSON type than the schema declares, the invariant fails with
 * a reason naming the field. Optional fields are the invariant's own business (`$exists(output.speedup)`).
 * A value holding none of the required top-level fields fails every invariant (notAResult).
 * Arrays are looked through (`output.results.score` checks `score` in every element of `results`). Schemas
 * are followed through `properties`, `items` and local `$ref`s; where the schema says nothing, nothing is checked.
 */
import jsonata from 'jsonata';
import type { JsonSchema } from '../suite/types.js';

type Node = { type?: string; value?: unknown; steps?: Node[]; [k: string]: unknown };

/** Every field chain the expression reads from the response, e.g. [["results"], ["results", "score"]]. */
export function fieldsRead(expr: string): string[][] {
  const chains = new Map<string, string[]>();
  const visit = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(visit);
    if (n === null || typeof n !== 'object') return;
    const node = n as Node;
    if (node.type === 'path' && Array.isArray(node.steps)) {
      const [head, ...rest] = node.steps;
      const fromOutput = head && head.value === 'output' && (head.type === 'name' || head.type === 'variable');
      if (fromOutput) {
        const chain: string[] = [];
        for (const s of rest) {
          if (s.type !== 'name' || typeof s.value !== 'string') break;
          chain.push(s.value);
        }
        if (chain.length > 0) chains.set(chain.join('\u0000'), chain);
      }
    }
    for (const v of Object.values(node)) if (v !== null && typeof v === 'object') visit(v);
  };
  visit(jsonata(expr).ast());
  return [...chains.values()];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Whether the value is no result of this tool at all: the response schema requires top-level fields and the
 * value holds none of them (`{}`, an unmapped raw body). Then every invariant fails, including those that
 * read only optional fields and would otherwise hold by having nothing to check.
 */
export function notAResult(schema: JsonSchema, value: unknown): string | undefined {
  const s = isObj(schema) ? schema : undefined;
  const required = s && Array.isArray(s.required) ? (s.required as string[]) : [];
  if (required.length === 0) return undefined;
  if (isObj(value) && required.some((k) => Object.hasOwn(value, k))) return undefined;
  return `the response holds none of the fields the response schema requires (${required.join(', ')})`;
}

/** The first problem with the required fields an invariant reads, or undefined when there is none. */
export function missingRequiredField(schema: JsonSchema, value: unknown, chains: readonly string[][]): string | undefined {
  for (const chain of chains) {
    const why = walk(schema, schema, value, chain, 0, 'output');
    if (why) return why;
  }
  return undefined;
}

function walk(root: JsonSchema, schema: JsonSchema, value: unknown, chain: readonly string[], i: number, at: string): string | undefined {
  const s = resolve(root, schema);
  if (!isObj(s) || i >= chain.length) return undefined;
  if (Array.isArray(value)) {
    // Looked through, as JSONata does: every element must have the field.
    for (let k = 0; k < value.length; k++) {
      const why = walk(root, s.items as JsonSchema, value[k], chain, i, `${at}[${k}]`);
      if (why) return why;
    }
    return undefined;
  }
  const key = chain[i];
  const required = Array.isArray(s.required) && s.required.includes(key);
  const props = isObj(s.properties) ? s.properties : undefined;
  const sub = props?.[key] as JsonSchema | undefined;
  if (!required) return undefined;
  const where = `${at}.${key}`;
  if (!isObj(value) || !Object.hasOwn(value, key)) return `reads ${where}, which the response schema requires and the response lacks`;
  const v = value[key];
  const want = declaredTypes(resolve(root, sub));
  if (want && !want.some((t) => hasType(v, t))) return `reads ${where}, which the response schema declares ${want.join(' or ')}, got ${typeName(v)}`;
  return walk(root, sub ?? true, v, chain, i + 1, where);
}

function resolve(root: JsonSchema, s: JsonSchema | undefined): JsonSchema | undefined {
  let cur = s;
  for (let guard = 0; guard < 16 && isObj(cur) && typeof cur.$ref === 'string' && cur.$ref.startsWith('#/'); guard++) {
    let target: unknown = root;
    for (const part of cur.$ref.slice(2).split('/')) target = isObj(target) ? target[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
    cur = target as JsonSchema | undefined;
  }
  return cur;
}

function declaredTypes(s: JsonSchema | undefined): string[] | undefined {
  if (!isObj(s) || s.type === undefined) return undefined;
  return Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
}

function hasType(v: unknown, t: string): boolean {
  switch (t) {
    case 'integer':
      return Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    case 'array':
      return Array.isArray(v);
    case 'object':
      return isObj(v);
    case 'null':
      return v === null;
    default:
      return typeof v === t;
  }
}

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}
