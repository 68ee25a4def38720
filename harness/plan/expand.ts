/**
 * Expands a loaded suite into the ordered, deterministic list of work items. The same suite, data and
 * targets always give the same items with the same ids; --limit, --target, --shard (plan/shard.ts) and
 * --resume (run/resume.ts) are filters over this list, not separate code paths.
 */
import type { LoadedSuite } from '../suite/types.js';
import { hashId, hashIdInto, ID_BYTES } from '../util/hash.js';
import { UserError } from '../util/errors.js';
import { Plan } from './plan.js';

/** What the plan needs to know of a target: its name and an identity that changes when its results could. */
export interface PlannedTarget {
  name: string;
  /** Config without secrets (Target.describe()); hashed into item ids. */
  identity: Record<string, unknown>;
}

export type LimitMode = 'stratified' | 'first';

export interface PlanOptions {
  /** Keep only N dataset calls, for every target and repeat (which ones: limitMode). */
  limit?: number;
  /**
   * `stratified` (the default of `run --limit`): N calls spread over the strata (tool, valid or invalid call)
   * in proportion, at least one from each while N allows, so a short run still sees invalid calls.
   * `first`: the first N in file order (what every run made before the stratified sample planned).
   */
  limitMode?: LimitMode;
}

/**
 * N calls of the list, in file order, sampled per stratum (tool x expect_error): largest-remainder shares of
 * N in proportion to the strata's sizes (at least one each while N allows), and within a stratum
 * evenly spaced picks over the file (deterministic: no seed, so the same suite and N always pick the same calls).
 */
export function stratifiedCalls<C extends { tool: string; expect_error?: boolean }>(calls: readonly C[], n: number): C[] {
  if (n >= calls.length) return [...calls];
  const strata = new Map<string, number[]>();
  calls.forEach((c, i) => {
    const key = `${c.tool}\u0000${c.expect_error === true}`;
    let list = strata.get(key);
    if (!list) strata.set(key, (list = []));
    list.push(i);
  });
  const groups = [...strata.values()];
  // Largest-remainder shares of n in proportion to the strata's sizes; a stratum whose share rounds to 0 still
  // gets one while n allows (taken from the largest), so no kind of call vanishes from a short run.
  const exact = groups.map((list) => (list.length * n) / calls.length);
  const take = exact.map((x) => Math.floor(x));
  let remaining = n - take.reduce((a, b) => a + b, 0);
  const byFraction = exact.map((x, g) => ({ g, frac: x - Math.floor(x) })).sort((a, b) => b.frac - a.frac || a.g - b.g);
  for (const { g } of byFraction) {
    if (remaining <= 0) break;
    take[g]++;
    remaining--;
  }
  for (let g = 0; g < groups.length; g++) {
    if (take[g] > 0) continue;
    const largest = take.indexOf(Math.max(...take));
    if (take[largest] <= 1) break;
    take[largest]--;
    take[g] = 1;
  }
  const picked = groups.flatMap((list, g) => Array.from({ length: take[g] }, (_, i) => list[Math.floor(((i + 0.5) * list.length) / take[g])]));
  return picked.sort((a, b) => a - b).map((i) => calls[i]);
}

/** Per-call seed, shared by every target so that their responses to one call and repeat are paired. */
export function itemSeed(suiteSeed: number, callId: string, repeat: number): number {
  return parseInt(hashId({ seed: suiteSeed, call: callId, repeat }).slice(0, 8), 16);
}

/** The most items one plan holds: their ids alone are 2 GiB (and positions are 32-bit). */
export const MAX_PLAN_ITEMS = 2 ** 28;

export function expandPlan(suite: LoadedSuite, targets: PlannedTarget[], opts: PlanOptions = {}): Plan {
  const calls =
    opts.limit === undefined ? suite.calls : opts.limitMode === 'first' ? suite.calls.slice(0, opts.limit) : stratifiedCalls(suite.calls, opts.limit);
  const total = calls.length * suite.repeats * targets.length;
  if (total > MAX_PLAN_ITEMS) {
    throw new UserError(
      `${suite.file}: the plan has ${total.toLocaleString('en-US')} work items (${calls.length.toLocaleString('en-US')} calls x ${suite.repeats.toLocaleString('en-US')} repeats x ${targets.length} targets); a plan holds at most ${MAX_PLAN_ITEMS.toLocaleString('en-US')} (every item's id is kept while it runs): lower repeats, or use --limit or --target`,
    );
  }
  const ids = Buffer.alloc(total * ID_BYTES);
  const seeds = new Uint32Array(calls.length * suite.repeats);
  let at = 0;
  // Call-major order: a run cut short has covered every target on the same calls.
  for (const [c, call] of calls.entries()) {
    const { source: _source, ...definingCall } = call;
    for (let repeat = 0; repeat < suite.repeats; repeat++) {
      const seed = itemSeed(suite.seed, call.id, repeat);
      seeds[c * suite.repeats + repeat] = seed;
      for (const target of targets) {
        hashIdInto({ suite: suite.hash, call: definingCall, target: target.identity, repeat, seed }, ids, at);
        at += ID_BYTES;
      }
    }
  }
  return new Plan(
    calls,
    targets.map((t) => t.name),
    suite.repeats,
    ids,
    seeds,
  );
}
