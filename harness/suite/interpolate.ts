/**
 * Environment interpolation for `targets` and `judge`: `${VAR}` and `${VAR:-default}` in string values
 * (`$${` writes a literal `${`). A variable that is unset or empty, with no default, does not make the
 * suite invalid: the target is marked not configured and the field keeps its literal text, so that a run
 * of the other targets still works and a command-line flag can still supply the value.
 */
import { joinPointer } from './source.js';

const REF = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$\{/g;

export interface Interpolated<T> {
  value: T;
  /** Variables referenced without a default and unset or empty, in order of first use. */
  missing: string[];
  /** Pointers (relative to the section) of strings holding a `${` that is not a well-formed reference. */
  malformed: { pointer: string; text: string }[];
  /** Pointers of strings that were changed, for messages that want to say where a value came from. */
  changed: Set<string>;
  /** Pointers of strings left as literal text because a variable in them is missing. */
  unresolved: Set<string>;
}

type Env = Record<string, string | undefined>;

function interpolateString(text: string, env: Env, missing: string[]): { text: string; ok: boolean; wellFormed: boolean } {
  let ok = true;
  let wellFormed = true;
  const out = text.replace(REF, (match, name: string | undefined, fallback: string | undefined) => {
    if (match === '$${') return '${';
    if (name === undefined) {
      wellFormed = false;
      return match;
    }
    const v = env[name];
    if (v !== undefined && v !== '') return v;
    if (fallback !== undefined) return fallback;
    ok = false;
    if (!missing.includes(name)) missing.push(name);
    return match;
  });
  // A field with an unresolved variable keeps its whole literal text (a half-filled URL helps no one).
  return { text: ok && wellFormed ? out : text, ok, wellFormed };
}

/** Interpolates every string inside `value` (objects and arrays walked); keys are left alone. */
export function interpolate<T>(value: T, env: Env): Interpolated<T> {
  const result: Interpolated<unknown> = { value: undefined, missing: [], malformed: [], changed: new Set(), unresolved: new Set() };
  const walk = (v: unknown, pointer: string): unknown => {
    if (typeof v === 'string') {
      if (!v.includes('${')) return v;
      const r = interpolateString(v, env, result.missing);
      if (!r.wellFormed) result.malformed.push({ pointer, text: v });
      if (r.text !== v) result.changed.add(pointer);
      if (!r.ok) result.unresolved.add(pointer);
      return r.text;
    }
    if (Array.isArray(v)) return v.map((item, i) => walk(item, joinPointer(pointer, i)));
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item, joinPointer(pointer, k))]));
    }
    return v;
  };
  result.value = walk(value, '');
  return result as Interpolated<T>;
}

export function notConfiguredReason(missing: string[]): string | undefined {
  if (!missing.length) return undefined;
  return missing.length === 1 ? `environment variable ${missing[0]} is not set` : `environment variables ${missing.join(', ')} are not set`;
}
