/**
 * A synchronous evaluator for the part of JSONata that invariants use, compiled once per expression from
 * JSONata's own parse tree (jsonata(...).ast(): the same parser, so the same grammar and precedence) into
 * plain closures. No eval, no code generation.
 *
 * Why: JSONata 2.x evaluates asynchronously, every node is an awaited promise, and that plumbing is most of
 * what an invariant costs (about 15 µs per invariant per answer, and garbage for the collector). Invariants
 * are small boolean expressions over a parsed answer, which need none of it.
 *
 * Safety and equivalence: the evaluation rules are jsonata 2.2.2's, ported function by function (sequences,
 * singleton unwrapping, path flattening, filters, comparisons). Only a subset is compiled (`supported`);
 * anything else, and at run time any case JSONata answers with an error, a value the port does not model, or
 * an evaluation that runs past its time slice, "bails": the caller then evaluates the expression with JSONata
 * itself (invariant-runner.ts), so the fast path only ever answers what JSONata would have answered.
 * test/jsonata-sync.test.ts checks that, verdict by verdict, on every shipped invariant over the recorded
 * answers and hostile inputs.
 */
import jsonata from 'jsonata';
import { BUILTINS, type SyncLambda } from './builtins.js';
import {
  append,
  bail,
  boolize,
  createSequence,
  isDeepEqual,
  isFunction,
  isNumeric,
  isSequence,
  lookup,
  toBoolean,
  toJsonataString,
  type Seq,
} from './values.js';

type Node = Record<string, unknown> & { type: string; value?: unknown };
type Fn = (input: unknown, env: Frame) => unknown;

interface RunState {
  start: number;
  ticks: number;
  sliceMs: number;
}

/** Node entries between two reads of the clock (as in invariant-runner.ts: entry is the hottest path). */
const CHECK_EVERY = 64;
/** A range longer than this is left to JSONata (which yields to the event loop while it walks one). */
const MAX_RANGE = 1_000_000;
const NOT_FOUND = Symbol('not found');

class Frame {
  readonly vars = new Map<string, unknown>();
  constructor(
    readonly parent: Frame | undefined,
    readonly run: RunState,
  ) {}
  lookup(name: string): unknown {
    for (let f: Frame | undefined = this; f; f = f.parent) if (f.vars.has(name)) return f.vars.get(name);
    return NOT_FOUND;
  }
  tick(): void {
    const r = this.run;
    if (++r.ticks % CHECK_EVERY === 0 && Date.now() - r.start > r.sliceMs) bail('time slice used up');
  }
}

/** Thrown at compile time: the expression is outside the subset, JSONata evaluates it. */
class Unsupported extends Error {}
function unsupported(why: string): never {
  throw new Unsupported(why);
}

/** The keys a node of each kind may carry; any other key (keepArray, tuple, focus, ...) means a feature not ported. */
const COMMON = ['type', 'value', 'position', 'predicate', 'group'];
const KEYS: Record<string, string[]> = {
  path: ['steps'],
  binary: ['lhs', 'rhs'],
  unary: ['expression', 'expressions', 'lhs', 'consarray'],
  name: ['stages'],
  string: [],
  number: [],
  value: [],
  variable: ['stages'],
  condition: ['condition', 'then', 'else'],
  block: ['expressions'],
  bind: ['lhs', 'rhs'],
  function: ['arguments', 'procedure'],
  lambda: ['arguments', 'body', 'thunk'],
};
const BINARY = new Set(['and', 'or', '=', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', '%', '&', 'in', '..']);

export interface SyncExpression {
  /**
   * The expression's value when it is a boolean; undefined when the evaluation bailed or gave anything else
   * (the caller asks JSONata, which also words the reason). Never throws, never waits.
   */
  evaluate(input: unknown, bindings: Record<string, unknown>, sliceMs: number): { value: boolean } | undefined;
}

/** The synchronous form of `source`, or undefined when it uses anything outside the subset. */
export function compileSync(source: string): SyncExpression | undefined {
  let ast: Node;
  try {
    ast = jsonata(source).ast() as unknown as Node;
  } catch {
    return undefined; // the caller's own compile reports the syntax error
  }
  let root: Fn;
  try {
    root = new Compiler(ast).compile(ast, 'top');
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
  return {
    evaluate(input, bindings, sliceMs) {
      // A top-level array is wrapped by JSONata (outerWrapper), a case the invariants' {args, output} never hits.
      if (Array.isArray(input)) return undefined;
      const env = new Frame(undefined, { start: Date.now(), ticks: 0, sliceMs });
      for (const k of Object.keys(bindings)) env.vars.set(k, bindings[k]);
      env.vars.set('$', input);
      try {
        const v = root(input, env);
        return typeof v === 'boolean' ? { value: v } : undefined;
      } catch {
        // A bail, or anything the port did not foresee (a stack overflow on a deep value): JSONata decides.
        return undefined;
      }
    },
  };
}

type Where = 'top' | 'block' | 'arg' | 'other';

class Compiler {
  /** Every name the expression binds ($x := ..., lambda parameters): calling one of these is not a built-in. */
  private readonly bound = new Set<string>(['args', 'output']);
  constructor(ast: Node) {
    this.collectBound(ast);
  }

  private collectBound(n: unknown): void {
    if (Array.isArray(n)) return n.forEach((x) => this.collectBound(x));
    if (n === null || typeof n !== 'object') return;
    const node = n as Node;
    if (node.type === 'bind') this.bound.add(String((node.lhs as Node).value));
    if (node.type === 'lambda') for (const p of node.arguments as Node[]) this.bound.add(String(p.value));
    for (const v of Object.values(node)) this.collectBound(v);
  }

  compile(node: Node, where: Where): Fn {
    const allowed = KEYS[node.type];
    if (!allowed) unsupported(`node type ${node.type}`);
    // (the parser leaves some keys present but undefined, e.g. a function node's `name`)
    for (const k of Object.keys(node)) if (node[k] !== undefined && !COMMON.includes(k) && !allowed.includes(k)) unsupported(`${node.type}.${k}`);
    if (node.type === 'bind' && where !== 'block' && where !== 'top') unsupported('binding outside a block');
    if (node.type === 'lambda' && where !== 'arg') unsupported('lambda outside a $filter argument');
    const core = this.core(node);
    const preds = node.predicate === undefined ? undefined : this.filters(node.predicate);
    const group = node.type !== 'path' && node.group !== undefined ? this.group((node.group as Node).lhs) : undefined;
    return (input, env) => {
      env.tick();
      let r = core(input, env);
      if (preds) for (const p of preds) r = p(r, env);
      if (group) r = group(r, env);
      // evaluate()'s last step: a sequence of none is nothing, a sequence of one is its item
      if (r !== undefined && isSequence(r) && !r.tupleStream) {
        if (r.length === 0) r = undefined;
        else if (r.length === 1 && !r.keepSingleton) r = r[0];
      }
      return r;
    };
  }

  private core(node: Node): Fn {
    switch (node.type) {
      case 'string':
      case 'number':
      case 'value': {
        const v = node.value;
        return () => v;
      }
      case 'name': {
        if (node.stages !== undefined) unsupported('stages outside a path');
        const key = String(node.value);
        return (input) => lookup(input, key);
      }
      case 'variable':
        return this.variable(node);
      case 'path':
        return this.path(node);
      case 'binary':
        return this.binary(node);
      case 'unary':
        return this.unary(node);
      case 'condition': {
        const cond = this.compile(node.condition as Node, 'other');
        const then = this.compile(node.then as Node, 'other');
        const otherwise = node.else === undefined ? undefined : this.compile(node.else as Node, 'other');
        return (input, env) => (toBoolean(cond(input, env)) ? then(input, env) : otherwise?.(input, env));
      }
      case 'block': {
        const parts = (node.expressions as Node[]).map((e) => this.compile(e, 'block'));
        return (input, env) => {
          const frame = new Frame(env, env.run);
          let r: unknown;
          for (const p of parts) r = p(input, frame);
          return r;
        };
      }
      case 'bind': {
        const name = String((node.lhs as Node).value);
        const rhs = this.compile(node.rhs as Node, 'other');
        return (input, env) => {
          const v = rhs(input, env);
          env.vars.set(name, v);
          return v;
        };
      }
      case 'function':
        return this.call(node);
      case 'lambda':
        return this.lambda(node);
    }
    return unsupported(node.type);
  }

  private variable(node: Node): Fn {
    if (node.stages !== undefined) unsupported('stages outside a path');
    const name = String(node.value);
    if (name === '') return (input) => (Array.isArray(input) && (input as Seq).outerWrapper ? input[0] : input);
    // `$$` is the root; any other free name must be one the expression or the caller binds (not a built-in)
    if (name !== '$' && !this.bound.has(name)) unsupported(`free variable $${name}`);
    return (_input, env) => {
      const v = env.lookup(name);
      return v === NOT_FOUND ? bail(`$${name} not bound`) : v;
    };
  }

  private path(node: Node): Fn {
    const steps = node.steps as Node[];
    const fns = steps.map((s) => {
      if (s.consarray) unsupported('array constructor as a path step');
      const stages = s.stages === undefined ? undefined : this.filters(s.stages);
      const { stages: _s, ...rest } = s;
      return { fn: this.compile(rest as Node, 'other'), stages };
    });
    const absolute = steps[0].type === 'variable';
    const group = node.group === undefined ? undefined : this.group((node.group as Node).lhs);
    const generic: Fn = (input, env) => {
      let seq: unknown[] = Array.isArray(input) && !absolute ? input : createSequence(input);
      let result: unknown[] = seq;
      for (let i = 0; i < fns.length; i++) {
        result = step(fns[i].fn, fns[i].stages, seq, env, i === fns.length - 1);
        if (result.length === 0) break;
        seq = result;
      }
      return group ? group(result, env) : result;
    };
    // `output.a.b` over objects: the generic walk would build two sequences per step to end where this ends.
    const plainNames = !group && steps.every((st) => st.type === 'name' && st.stages === undefined && st.predicate === undefined && st.group === undefined);
    if (!plainNames) return generic;
    const keys = steps.map((st) => String(st.value));
    return (input, env) => {
      let cur = input;
      for (const k of keys) {
        // an array anywhere means mapping and flattening: the generic walk does that
        if (Array.isArray(cur)) return generic(input, env);
        if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, k) || isFunction(cur)) return undefined;
        cur = (cur as Record<string, unknown>)[k];
      }
      // the last value as it is (an array too: evaluateStep returns a lone array from the last step unflattened)
      return cur;
    };
  }

  /** Predicates ([...]) and path-step stages, all of type filter. */
  private filters(list: unknown): Array<(input: unknown, env: Frame) => unknown> {
    return (list as Node[]).map((p) => {
      for (const k of Object.keys(p)) if (!['type', 'expr', 'position'].includes(k)) unsupported(`predicate.${k}`);
      if (p.type !== 'filter') unsupported(`stage ${p.type}`);
      const pred = p.expr as Node;
      if (pred.type === 'number') {
        const index = Math.floor(pred.value as number);
        return (input) => indexFilter(index, input);
      }
      const fn = this.compile(pred, 'other');
      return (input, env) => filter(fn, input, env);
    });
  }

  private group(pairs: unknown): (input: unknown, env: Frame) => unknown {
    const compiled = (pairs as Node[][]).map(([k, v]) => [this.compile(k, 'other'), this.compile(v, 'other')] as const);
    return (input, env) => group(compiled, input, env);
  }

  private binary(node: Node): Fn {
    const op = String(node.value);
    if (!BINARY.has(op)) unsupported(`operator ${op}`);
    const lhs = this.compile(node.lhs as Node, 'other');
    const rhs = this.compile(node.rhs as Node, 'other');
    if (op === 'and') return (i, e) => boolize(lhs(i, e)) && boolize(rhs(i, e));
    if (op === 'or') return (i, e) => boolize(lhs(i, e)) || boolize(rhs(i, e));
    return (i, e) => {
      const l = lhs(i, e);
      const r = rhs(i, e);
      switch (op) {
        case '=':
          return l !== undefined && r !== undefined && isDeepEqual(l, r);
        case '!=':
          return l !== undefined && r !== undefined && !isDeepEqual(l, r);
        case '<':
        case '<=':
        case '>':
        case '>=':
          return compare(l, r, op);
        case '&':
          return (l === undefined ? '' : toJsonataString(l)!) + (r === undefined ? '' : toJsonataString(r)!);
        case 'in':
          return includes(l, r);
        case '..':
          return range(l, r);
        default:
          return arithmetic(l, r, op);
      }
    };
  }

  private unary(node: Node): Fn {
    if (node.value === '-') {
      const e = this.compile(node.expression as Node, 'other');
      return (i, env) => {
        const v = e(i, env);
        if (v === undefined) return undefined;
        return isNumeric(v) ? -v : bail('D1002 negating a non-number');
      };
    }
    if (node.value === '{') return this.group(node.lhs);
    if (node.value !== '[') unsupported(`unary ${String(node.value)}`);
    const items = (node.expressions as Node[]).map((e) => ({ fn: this.compile(e, 'other'), nested: e.value === '[' }));
    const cons = node.consarray === true;
    return (i, env) => {
      let result: unknown[] = [];
      for (const item of items) {
        const v = item.fn(i, env);
        if (v === undefined) continue;
        if (item.nested) result.push(v);
        else result = append(result, v) as unknown[];
      }
      if (cons) Object.defineProperty(result, 'cons', { enumerable: false, configurable: false, value: true });
      return result;
    };
  }

  private call(node: Node): Fn {
    const proc = node.procedure as Node;
    if (proc.type !== 'variable' || proc.predicate !== undefined || proc.stages !== undefined) unsupported('computed procedure');
    const name = String(proc.value);
    const impl = Object.hasOwn(BUILTINS, name) ? BUILTINS[name] : undefined;
    if (!impl || this.bound.has(name)) unsupported(`function $${name}`);
    const args = (node.arguments as Node[]).map((a) => {
      if (a.type === 'lambda' && name !== 'filter') unsupported('lambda argument');
      return this.compile(a, 'arg');
    });
    if (args.length === 1) {
      const [a0] = args;
      return (input, env) => impl([a0(input, env)], env);
    }
    return (input, env) =>
      impl(
        args.map((a) => a(input, env)),
        env,
      );
  }

  private lambda(node: Node): Fn {
    if (node.thunk) unsupported('thunk outside a lambda body');
    const params = (node.arguments as Node[]).map((p) => String(p.value));
    let bodyNode = node.body as Node;
    // A body that is a function call is wrapped by the parser in a thunk lambda (tail calls); JSONata's
    // trampoline then applies the call in the same frame. Its value is only ever cast to a boolean here
    // ($filter), where evaluating the call directly gives the same truth value.
    if (bodyNode.type === 'lambda' && bodyNode.thunk === true && (bodyNode.arguments as Node[]).length === 0) bodyNode = bodyNode.body as Node;
    const body = this.compile(bodyNode, 'other');
    return (input, env): SyncLambda => ({
      _jsonata_lambda: true,
      arity: params.length,
      call(args) {
        const frame = new Frame(env, env.run);
        params.forEach((p, i) => frame.vars.set(p, args[i]));
        return body(input, frame);
      },
    });
  }
}

/** evaluateStep: apply a step to each item of the input sequence, flattening the results one level. */
function step(fn: Fn, stages: Array<(input: unknown, env: Frame) => unknown> | undefined, input: unknown[], env: Frame, last: boolean): unknown[] {
  const result: unknown[] = [];
  for (const item of input) {
    let r = fn(item, env);
    if (stages) for (const s of stages) r = s(r, env);
    if (r !== undefined) result.push(r);
  }
  if (last && result.length === 1 && Array.isArray(result[0]) && !isSequence(result[0])) return result[0];
  const out = createSequence();
  for (const r of result) {
    if (!Array.isArray(r) || (r as Seq).cons) out.push(r);
    else for (const v of r) out.push(v);
  }
  return out;
}

/** evaluateFilter with a literal number: the item at that index (negative counts from the end). */
function indexFilter(index: number, input: unknown): unknown {
  const list = Array.isArray(input) ? input : createSequence(input);
  const i = index < 0 ? list.length + index : index;
  const item = list[i];
  if (item === undefined) return createSequence();
  if (Array.isArray(item)) return item;
  return createSequence(item);
}

/** evaluateFilter: keep the items for which the predicate is true, or whose index it names. */
function filter(pred: Fn, input: unknown, env: Frame): Seq {
  const out = createSequence();
  const list = Array.isArray(input) ? input : createSequence(input);
  for (let index = 0; index < list.length; index++) {
    const item = list[index];
    let r = pred(item, env);
    if (isNumeric(r)) r = [r];
    if (isArrayOfNumbers(r)) {
      for (const n of r) {
        let ii = Math.floor(n);
        if (ii < 0) ii = list.length + ii;
        if (ii === index) out.push(item);
      }
    } else if (toBoolean(r)) out.push(item);
  }
  return out;
}

function isArrayOfNumbers(v: unknown): v is number[] {
  if (!Array.isArray(v)) return false;
  let all = true;
  for (const x of v) if (!isNumeric(x)) all = false; // every item is checked: an infinite one is an error
  return all;
}

/** evaluateGroupExpression without a tuple stream: {key: value} grouping. */
function group(pairs: ReadonlyArray<readonly [Fn, Fn]>, input: unknown, env: Frame): unknown {
  const result: Record<string, unknown> = Object.create(null);
  const groups: Record<string, { data: unknown; exprIndex: number }> = Object.create(null);
  let list = Array.isArray(input) ? input : createSequence(input);
  if (list.length === 0) {
    // JSONata pushes `undefined` into the input array itself here; on an array of the answer that changes the
    // answer the next invariant sees, so that case stays JSONata's
    if (!isSequence(list)) bail('empty array grouped');
    list = createSequence(undefined);
  }
  for (const item of list) {
    pairs.forEach(([keyFn], pairIndex) => {
      const key = keyFn(item, env);
      if (key === undefined) return;
      if (typeof key !== 'string') bail('T1003 key not a string');
      if (key === '_jsonata_lambda' || key === '_jsonata_function') bail('D1013');
      if (Object.prototype.hasOwnProperty.call(groups, key)) {
        if (groups[key].exprIndex !== pairIndex) bail('D1009');
        groups[key].data = append(groups[key].data, item);
      } else groups[key] = { data: item, exprIndex: pairIndex };
    });
  }
  for (const key of Object.keys(groups)) {
    const v = pairs[groups[key].exprIndex][1](groups[key].data, env);
    if (v !== undefined) result[key] = v;
  }
  return result;
}

function compare(l: unknown, r: unknown, op: string): boolean | undefined {
  const lt = typeof l;
  const rt = typeof r;
  const lok = lt === 'undefined' || lt === 'string' || lt === 'number';
  const rok = rt === 'undefined' || rt === 'string' || rt === 'number';
  if (!lok || !rok) bail('T2010 not comparable');
  if (l === undefined || r === undefined) return undefined;
  if (lt !== rt) bail('T2009 different types');
  const a = l as number;
  const b = r as number;
  return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
}

function includes(l: unknown, r: unknown): boolean {
  if (l === undefined || r === undefined) return false;
  const list = Array.isArray(r) ? r : [r];
  for (const v of list) if (v === l) return true;
  return false;
}

function range(l: unknown, r: unknown): unknown {
  if (l !== undefined && !Number.isInteger(l)) bail('T2003');
  if (r !== undefined && !Number.isInteger(r)) bail('T2004');
  if (l === undefined || r === undefined) return undefined;
  const lo = l as number;
  const hi = r as number;
  if (lo > hi) return undefined;
  if (hi - lo + 1 > MAX_RANGE) bail('long range');
  const out = new Array<number>(hi - lo + 1) as number[] & { sequence?: boolean };
  for (let v = lo, i = 0; v <= hi; v++, i++) out[i] = v;
  out.sequence = true;
  return out;
}

function arithmetic(l: unknown, r: unknown, op: string): number | undefined {
  if (l !== undefined && !isNumeric(l)) bail('T2001');
  if (r !== undefined && !isNumeric(r)) bail('T2002');
  if (l === undefined || r === undefined) return undefined;
  const a = l as number;
  const b = r as number;
  return op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : op === '/' ? a / b : a % b;
}
