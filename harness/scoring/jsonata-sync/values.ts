/**
 * JSONata's value model, ported from jsonata 2.2.2 (jsonata.js: createSequence, isNumeric, isFunction,
 * boolean, isDeepEqual, append, lookup, string) so the synchronous evaluator (compile.ts) gives exactly the
 * values JSONata gives. Anything JSONata would answer with an error is not reproduced: `bail()` hands the
 * evaluation back to JSONata itself, which then gives its own error (or verdict).
 */

/** Thrown to hand an evaluation back to JSONata (an error case, an unsupported value, a time slice used up). */
export class Bail extends Error {
  constructor(why: string) {
    super(why);
    this.name = 'Bail';
  }
}

export function bail(why: string): never {
  throw new Bail(why);
}

/** A JSONata sequence: an array with an enumerable `sequence` flag, as createSequence makes it. */
export type Seq = unknown[] & { sequence?: boolean; keepSingleton?: boolean; cons?: boolean; outerWrapper?: boolean; tupleStream?: boolean };

export function createSequence(...items: unknown[]): Seq {
  const s: Seq = [];
  s.sequence = true;
  if (items.length === 1) s.push(items[0]);
  return s;
}

export function isSequence(v: unknown): v is Seq {
  return Array.isArray(v) && (v as Seq).sequence === true;
}

/** JSONata's isNumeric: a number that is not NaN; an infinite one is its error D1001. */
export function isNumeric(n: unknown): n is number {
  if (typeof n !== 'number' || Number.isNaN(n)) return false;
  if (!Number.isFinite(n)) bail('D1001 infinite number');
  return true;
}

/** JSONata treats any object with these flags as a function (an input document can carry them). */
export function isFunction(v: unknown): boolean {
  if (typeof v === 'function') return true;
  if (v === null || typeof v !== 'object') return false;
  const o = v as { _jsonata_function?: unknown; _jsonata_lambda?: unknown };
  return o._jsonata_function === true || o._jsonata_lambda === true;
}

/** $boolean: JSONata's effective boolean value (undefined stays undefined). */
export function toBoolean(arg: unknown): boolean | undefined {
  if (arg === undefined) return undefined;
  if (Array.isArray(arg)) {
    if (arg.length === 1) return toBoolean(arg[0]);
    // every item is cast, as JSONata's filter() does: an infinite number anywhere is its error, not `true`
    if (arg.length > 1) return arg.filter((v) => toBoolean(v)).length > 0;
    return false;
  }
  if (typeof arg === 'string') return arg.length > 0;
  if (isNumeric(arg)) return arg !== 0;
  if (arg !== null && typeof arg === 'object' && !isFunction(arg)) return Object.keys(arg).length > 0;
  return arg === true;
}

/** evaluateBinary's boolize: undefined counts as false. */
export function boolize(v: unknown): boolean {
  return toBoolean(v) ?? false;
}

export function isDeepEqual(lhs: unknown, rhs: unknown): boolean {
  if (lhs === rhs) return true;
  if (typeof lhs === 'object' && typeof rhs === 'object' && lhs !== null && rhs !== null) {
    if (Array.isArray(lhs) && Array.isArray(rhs)) {
      if (lhs.length !== rhs.length) return false;
      for (let i = 0; i < lhs.length; i++) if (!isDeepEqual(lhs[i], rhs[i])) return false;
      return true;
    }
    const lk = Object.getOwnPropertyNames(lhs).sort();
    const rk = Object.getOwnPropertyNames(rhs).sort();
    if (lk.length !== rk.length) return false;
    for (let i = 0; i < lk.length; i++) if (lk[i] !== rk[i]) return false;
    for (const k of lk) if (!isDeepEqual((lhs as Record<string, unknown>)[k], (rhs as Record<string, unknown>)[k])) return false;
    return true;
  }
  return false;
}

/** fn.append: undefined is dropped, non-arrays are wrapped, the result is a plain array (concat). */
export function append(a: unknown, b: unknown): unknown {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const l = Array.isArray(a) ? a : createSequence(a);
  const r = Array.isArray(b) ? b : [b];
  return l.concat(r);
}

/** fn.lookup: a field of an object, mapped (and flattened one level) over an array. */
export function lookup(input: unknown, key: string): unknown {
  if (Array.isArray(input)) {
    const out = createSequence();
    for (const item of input) {
      const r = lookup(item, key);
      if (r === undefined) continue;
      if (Array.isArray(r)) for (const v of r) out.push(v);
      else out.push(r);
    }
    return out;
  }
  if (input !== null && typeof input === 'object' && Object.prototype.hasOwnProperty.call(input, key) && !isFunction(input)) {
    return (input as Record<string, unknown>)[key];
  }
  return undefined;
}

/** fn.string without prettify: numbers to 15 significant digits, as JSONata writes them. */
export function toJsonataString(arg: unknown): string | undefined {
  if (arg === undefined) return undefined;
  if (typeof arg === 'string') return arg;
  if (isFunction(arg)) return '';
  if (typeof arg === 'number' && !Number.isFinite(arg)) bail('D3001 non-finite number');
  const v = Array.isArray(arg) && (arg as Seq).outerWrapper ? arg[0] : arg;
  return JSON.stringify(v, (_k, val: unknown) => {
    if (val !== undefined && val !== null && isNumeric(val)) return !Number.isInteger(val) ? Number(val.toPrecision(15)) : val;
    return val && isFunction(val) ? '' : val;
  });
}
