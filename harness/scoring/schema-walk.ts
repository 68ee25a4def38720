/**
 * Walks a value alongside its JSON Schema to count what ajv's yes/no answer hides: how many required keys are
 * present and how many present values have the declared JSON type. The walk follows the value's actual
 * structure: an absent key's subtree is not visited (only the key itself counts as missing), while a present
 * value of the wrong kind still owes its schema's required keys (all counted missing).
 *
 * Counted as "typed values": the root, every present property declared in `properties`, and every element
 * covered by `prefixItems` / `items`, when its schema declares a type (`type`, or one implied by `const` or
 * `enum`). Keys under `additionalProperties` / `patternProperties` are not schema-declared fields and are not
 * visited. `$ref` to a local JSON pointer (`#/$defs/x`) is followed; `allOf` branches are all walked;
 * for `anyOf` / `oneOf` the first branch whose type accepts the value is walked.
 */
import type { JsonSchema } from '../suite/types.js';
import { formatPath, type PathSegment } from './paths.js';

export interface SchemaWalkResult {
  required_total: number;
  required_present: number;
  typed_total: number;
  typed_agree: number;
  /** The first few problems, as `path: what` lines. */
  problems: string[];
}

const MAX_PROBLEMS = 5;
const MAX_REF_HOPS = 32;

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

export function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v; // 'object' | 'string' | 'number' | 'boolean'
}

function typeAccepts(t: string, v: unknown): boolean {
  if (t === 'integer') return typeof v === 'number' && Number.isInteger(v);
  return t === jsonType(v);
}

// Schemas are compiled once and walked for every call: remember each node's declared types.
const typeCache = new WeakMap<Obj, string[] | null>();

function declaredTypes(s: Obj): string[] | undefined {
  let t = typeCache.get(s);
  if (t === undefined) typeCache.set(s, (t = computeTypes(s) ?? null));
  return t ?? undefined;
}

/** The JSON types a schema declares (directly, or implied by const/enum); undefined when it declares none. */
function computeTypes(s: Obj): string[] | undefined {
  const t = s.type;
  if (typeof t === 'string') return [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string');
  if ('const' in s) return [jsonType(s.const)];
  if (Array.isArray(s.enum)) return [...new Set(s.enum.map(jsonType))];
  return undefined;
}

export function walkSchema(root: JsonSchema, value: unknown): SchemaWalkResult {
  const r: SchemaWalkResult = { required_total: 0, required_present: 0, typed_total: 0, typed_agree: 0, problems: [] };
  const path: PathSegment[] = [];
  const problem = (what: string) => {
    if (r.problems.length < MAX_PROBLEMS) r.problems.push(`${formatPath(path)}: ${what}`);
  };

  const resolve = (s: unknown): Obj | undefined => {
    for (let hops = 0; isObj(s) && typeof s.$ref === 'string' && s.$ref.startsWith('#'); hops++) {
      if (hops >= MAX_REF_HOPS) return undefined;
      const target = pointer(root, s.$ref.slice(1));
      // A $ref with sibling keywords (2020-12 allows it): the siblings are ignored here, the target is walked.
      s = target;
    }
    return isObj(s) ? s : undefined;
  };

  // `counted` is false when the same value was already type-checked (an allOf branch, a chosen anyOf branch).
  const visit = (schemaIn: unknown, v: unknown, counted: boolean): void => {
    const s = resolve(schemaIn);
    if (!s) return;
    const types = declaredTypes(s);
    if (types && counted) {
      r.typed_total++;
      if (types.some((t) => typeAccepts(t, v))) r.typed_agree++;
      else problem(`expected ${types.join(' or ')}, got ${jsonType(v)}`);
    }
    if (Array.isArray(s.allOf)) for (const sub of s.allOf) visit(sub, v, false);
    const alternatives = Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : undefined;
    if (alternatives && alternatives.length > 0) {
      const fits = alternatives.find((a) => {
        const ra = resolve(a);
        const ta = ra && declaredTypes(ra);
        return !ta || ta.some((t) => typeAccepts(t, v));
      });
      visit(fits ?? alternatives[0], v, !types && counted);
    }

    if (Array.isArray(s.required)) {
      for (const key of s.required) {
        if (typeof key !== 'string') continue;
        r.required_total++;
        if (isObj(v) && Object.hasOwn(v, key)) r.required_present++;
        else problem(`missing required key ${JSON.stringify(key)}`);
      }
    }
    if (isObj(v) && isObj(s.properties)) {
      for (const key in s.properties) {
        if (!Object.hasOwn(s.properties, key) || !Object.hasOwn(v, key)) continue;
        path.push(key);
        visit(s.properties[key], v[key], true);
        path.pop();
      }
    }
    if (Array.isArray(v)) {
      const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : [];
      for (let i = 0; i < v.length; i++) {
        const item = i < prefix.length ? prefix[i] : s.items;
        if (item === undefined) continue;
        path.push(i);
        visit(item, v[i], true);
        path.pop();
      }
    }
  };

  visit(root, value, true);
  return r;
}

/** Resolves a JSON pointer (`/$defs/item`) inside the root schema. */
function pointer(root: unknown, ptr: string): unknown {
  if (ptr === '') return root;
  let cur: unknown = root;
  for (const raw of ptr.split('/').slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObj(cur) && !Array.isArray(cur)) return undefined;
    cur = (cur as Obj)[key];
  }
  return cur;
}
