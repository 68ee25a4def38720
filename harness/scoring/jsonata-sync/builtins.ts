/**
 * The JSONata built-in functions the synchronous evaluator runs itself, each with the argument checks of its
 * JSONata signature (jsonata 2.2.2). An argument JSONata would refuse (T0410...) bails, so JSONata reports
 * its own error. Every other built-in, and any of these called another way, is left to JSONata (compile.ts).
 */
import { bail, createSequence, isDeepEqual, isFunction, isNumeric, isSequence, lookup, toBoolean, toJsonataString, type Seq } from './values.js';

/** A lambda made by the synchronous evaluator: `arity` is its parameter count, as JSONata's hofFuncArgs reads it. */
export interface SyncLambda {
  _jsonata_lambda: true;
  arity: number;
  call(args: unknown[]): unknown;
}

function isSyncLambda(v: unknown): v is SyncLambda {
  return isFunction(v) && typeof (v as Partial<SyncLambda>).call === 'function' && typeof (v as Partial<SyncLambda>).arity === 'number';
}

/** `clock.tick()` counts a step against the evaluation's time slice (compile.ts). */
type Builtin = (args: unknown[], clock: { tick(): void }) => unknown;

/** Exactly `n` arguments, none of them a function (JSONata would wrap one in a closure first). */
function plain(args: unknown[], n: number): void {
  if (args.length !== n) bail(`expected ${n} argument(s)`);
  for (const a of args) if (a !== undefined && isFunction(a)) bail('function argument');
}

/** A `<s-:s>` argument: a string or nothing. */
function str(args: unknown[]): string | undefined {
  plain(args, 1);
  const s = args[0];
  if (s !== undefined && typeof s !== 'string') bail('not a string');
  return s;
}

/** `$distinct` in linear time for primitives (JSONata compares every pair; the result is the same). */
function distinct(arr: unknown, clock: { tick(): void }): unknown {
  if (arr === undefined) return undefined;
  if (!Array.isArray(arr) || arr.length <= 1) return arr;
  const out: unknown[] = isSequence(arr) ? createSequence() : [];
  const seen = new Set<unknown>();
  const objects: unknown[] = [];
  for (const v of arr) {
    clock.tick();
    if (v !== null && typeof v === 'object') {
      // deep equality between objects stays quadratic: a long list of them is left to JSONata
      if (objects.length > 1000) bail('too many objects for $distinct');
      if (objects.some((o) => isDeepEqual(v, o))) continue;
      objects.push(v);
      out.push(v);
    } else {
      if (typeof v === 'number' && Number.isNaN(v)) bail('NaN in $distinct'); // NaN !== NaN, but a Set says equal
      if (seen.has(v)) continue;
      seen.add(v);
      out.push(v);
    }
  }
  return out;
}

function keys(arg: unknown): Seq {
  const out = createSequence();
  if (Array.isArray(arg)) {
    const merged: Record<string, true> = Object.create(null);
    for (const item of arg) for (const k of keys(item)) merged[k as string] = true;
    return keys(merged);
  }
  if (arg !== null && typeof arg === 'object' && !isFunction(arg)) for (const k of Object.keys(arg)) out.push(k);
  return out;
}

function typeOf(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (v === null) return 'null';
  if (isNumeric(v)) return 'number';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  if (Array.isArray(v)) return 'array';
  if (isFunction(v)) return 'function';
  return 'object';
}

function filter(args: unknown[], clock: { tick(): void }): unknown {
  if (args.length !== 2) bail('expected 2 arguments');
  let [arr, fn] = args;
  if (!isSyncLambda(fn)) bail('$filter needs a lambda');
  if (arr === undefined) return undefined;
  if (isFunction(arr)) bail('function argument');
  if (!Array.isArray(arr)) arr = [arr]; // the `a` signature wraps a single value
  const list = arr as unknown[];
  const out = createSequence();
  for (let i = 0; i < list.length; i++) {
    clock.tick();
    const callArgs = fn.arity >= 3 ? [list[i], i, list] : fn.arity >= 2 ? [list[i], i] : [list[i]];
    if (toBoolean(fn.call(callArgs))) out.push(list[i]);
  }
  return out;
}

export const BUILTINS: Readonly<Record<string, Builtin>> = {
  count(args) {
    plain(args, 1);
    const a = args[0];
    return a === undefined ? 0 : Array.isArray(a) ? a.length : 1;
  },
  exists(args) {
    plain(args, 1);
    return args[0] !== undefined;
  },
  distinct(args, clock) {
    plain(args, 1);
    return distinct(args[0], clock);
  },
  not(args) {
    plain(args, 1);
    return args[0] === undefined ? undefined : !toBoolean(args[0]);
  },
  boolean(args) {
    plain(args, 1);
    return toBoolean(args[0]);
  },
  type(args) {
    plain(args, 1);
    return typeOf(args[0]);
  },
  string(args) {
    plain(args, 1);
    return toJsonataString(args[0]);
  },
  uppercase(args) {
    return str(args)?.toUpperCase();
  },
  length(args) {
    const s = str(args);
    if (s === undefined) return undefined;
    let n = 0;
    for (const _ of s) n++; // code points, as JSONata's stringToArray counts them
    return n;
  },
  trim(args) {
    const s = str(args);
    if (s === undefined) return undefined;
    let r = s.replace(/[ \t\n\r]+/gm, ' ');
    if (r.charAt(0) === ' ') r = r.substring(1);
    if (r.charAt(r.length - 1) === ' ') r = r.substring(0, r.length - 1);
    return r;
  },
  abs(args) {
    plain(args, 1);
    const n = args[0];
    if (n === undefined) return undefined;
    if (typeof n !== 'number') bail('not a number');
    return Math.abs(n);
  },
  keys(args) {
    plain(args, 1);
    return keys(args[0]);
  },
  lookup(args) {
    plain(args, 2);
    if (args[1] !== undefined && typeof args[1] !== 'string') bail('key not a string');
    if (args[1] === undefined) bail('missing key'); // JSONata looks up the key "undefined"; not worth copying
    return lookup(args[0], args[1]);
  },
  filter,
};
