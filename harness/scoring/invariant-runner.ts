/**
 * Runs one compiled JSONata invariant under a time budget. The budget counts the time this evaluation itself
 * ran, not the wall time since it started: a run scores many answers at once, and JSONata evaluates through
 * promises, so concurrent evaluations interleave microtask by microtask and each one's wall clock would also
 * count every other's work (measured: 40 evaluations of 25 ms each, started together, all past a 1000 ms wall
 * budget; on the default suite under load, 58-169 of 1,200 records timed out, so two runs of the same code
 * differed). Therefore async evaluations take turns (one at a time, in arrival order), and a hook on node
 * entry keeps the clock: every 20 ms of its own running it yields to the event loop (so SIGINT/SIGTERM and
 * I/O get their turn; the yield is not charged), throws `InvariantTimeout` past the budget, and stops at once
 * when the run's AbortSignal fired. JSONata's own `timeout` option is not used: it is a wall clock from the
 * start. A budget is a clock in a scorer, the one exception to "scorers are pure": an invariant that finishes
 * in time gives the same result on every run; one past its budget is reported as `timeout`, not as a verdict.
 * The clock still reads wall time while the evaluation runs, so a machine loaded far past its cores stretches
 * it; the default budget is ~1,000x a shipped invariant's cost for that reason.
 * A single built-in call that is slow on its own ($distinct on a huge array is quadratic) cannot be cut
 * short; the budget is checked when it returns. The response caps bound how large such an input can be.
 */
import jsonata from 'jsonata';
import { compileSync, type SyncExpression } from './jsonata-sync/compile.js';
import { BUILTINS } from './jsonata-sync/builtins.js';

/** Default time budget of one invariant on one answer, when neither the invariant nor the suite sets one. */
export const DEFAULT_INVARIANT_TIMEOUT_MS = 1000;

/** Thrown (rejected) when an invariant runs past its budget. */
export class InvariantTimeout extends Error {
  readonly budgetMs: number;
  constructor(budgetMs: number) {
    super(`timeout: did not finish within ${budgetMs} ms`);
    this.name = 'InvariantTimeout';
    this.budgetMs = budgetMs;
  }
}

/** Thrown (rejected) when the run was interrupted while scoring: the item is recorded as cut off (`aborted`). */
export class ScoringInterrupted extends Error {
  constructor() {
    super('interrupted while scoring');
    this.name = 'ScoringInterrupted';
  }
}

/** Per-evaluation state, bound as a variable the node-entry hook looks up (the hook itself is per expression). */
const STATE = '__gtm_bench_eval';
const YIELD_EVERY_MS = 20;
/** The clock is read on every 64th node only: node entry is the hottest path of an evaluation. */
const CHECK_EVERY = 64;

interface EvalState {
  signal?: AbortSignal;
  budgetMs: number;
  /** Time run before the current slice (ms); the time spent yielded is not in it. */
  ranMs: number;
  /** When the current slice began (performance.now()). */
  sliceStart: number;
  ticks: number;
}

type Environment = { lookup(name: string): unknown };

function onEntry(_expr: unknown, _input: unknown, env: Environment): Promise<void> | undefined {
  const st = env.lookup(STATE) as EvalState | undefined;
  if (!st || ++st.ticks % CHECK_EVERY !== 0) return undefined;
  if (st.signal?.aborted) throw new ScoringInterrupted();
  const now = performance.now();
  const slice = now - st.sliceStart;
  if (st.ranMs + slice > st.budgetMs) throw new InvariantTimeout(st.budgetMs);
  if (slice < YIELD_EVERY_MS) return undefined;
  st.ranMs += slice;
  return new Promise((resolve) =>
    setImmediate(() => {
      st.sliceStart = performance.now();
      resolve();
    }),
  );
}

/**
 * Async evaluations take turns: the tail of the queue. Each evaluation waits for the one before it, so only one
 * JSONata evaluation is ever in progress and its clock counts its own work (plus the other tasks of an event
 * loop turn between its node entries' microtasks, which are short: no other evaluation is among them).
 */
let turn: Promise<void> = Promise.resolve();

async function takingTurns<T>(work: () => Promise<T>): Promise<T> {
  const before = turn;
  let done!: () => void;
  turn = new Promise<void>((resolve) => (done = resolve));
  try {
    await before;
    return await work();
  } finally {
    done();
  }
}

export interface BudgetedExpression {
  /**
   * The value computed synchronously (jsonata-sync/compile.ts) when the expression is in the supported subset
   * and the answer is a boolean reached within one yield slice (20 ms, or the budget when smaller); undefined
   * otherwise, and the caller then awaits `evaluate`, which redoes the work in JSONata under the full budget
   * (so an invariant that bails late may use budget + 20 ms in all). Scores do not change: the fast path only
   * answers where JSONata gives the same boolean.
   */
  evaluateSync(input: unknown, opts?: { signal?: AbortSignal; bindings?: Record<string, unknown> }): { value: boolean } | undefined;
  /** `bindings`: the $variables (default: the input's own fields, so `$args` and `args` mean the same). */
  evaluate(input: unknown, opts?: { signal?: AbortSignal; bindings?: Record<string, unknown> }): Promise<unknown>;
  registerFunction(name: string, fn: (...args: unknown[]) => unknown): void;
}

/** Compiles `source` (throws JSONata's syntax error) into an expression evaluated within `budgetMs`. */
export function budgetedExpression(source: string, budgetMs: number): BudgetedExpression {
  const expr = jsonata(source);
  // assign() binds in the expression's own environment, where JSONata looks its hooks up by symbol.
  (expr.assign as (name: unknown, value: unknown) => void)(Symbol.for('jsonata.__evaluate_entry'), onEntry);
  let sync: SyncExpression | undefined = compileSync(source);
  const sliceMs = Math.min(YIELD_EVERY_MS, budgetMs);
  return {
    evaluateSync(input, opts = {}) {
      if (opts.signal?.aborted) throw new ScoringInterrupted();
      if (!sync) return undefined;
      return sync.evaluate(input, opts.bindings ?? ownFields(input), sliceMs);
    },
    async evaluate(input, opts = {}) {
      if (opts.signal?.aborted) throw new ScoringInterrupted();
      return takingTurns(async () => {
        if (opts.signal?.aborted) throw new ScoringInterrupted();
        const state: EvalState = { signal: opts.signal, budgetMs, ranMs: 0, sliceStart: performance.now(), ticks: 0 };
        const vars = opts.bindings ?? ownFields(input);
        return await expr.evaluate(input, { ...vars, [STATE]: state });
      });
    },
    registerFunction(name, fn) {
      // a registered function that shadows a built-in the fast path runs itself: JSONata alone knows it
      if (Object.hasOwn(BUILTINS, name)) sync = undefined;
      expr.registerFunction(name, fn);
    },
  };
}

/** The default bindings: the input's own fields, so `$args` and `args` mean the same. */
function ownFields(input: unknown): Record<string, unknown> {
  return input !== null && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
}
