/**
 * Expands a loaded suite into the ordered, deterministic list of work items. The same suite, data and
 * targets always give the same items with the same ids; --limit, --target, --shard (plan/shard.ts) and
 * --resume (run/resume.ts) are filters over this list, not separate code paths.
 */
import type { LoadedSuite } from '../suite/types.js';
import { hashId } from '../util/hash.js';
import type { WorkItem } from './types.js';

/** What the plan needs to know of a target: its name and an identity that changes when its results could. */
export interface PlannedTarget {
  name: string;
  /** Config without secrets (Target.describe()); hashed into item ids. */
  identity: Record<string, unknown>;
}

export interface PlanOptions {
  /** Keep only the first N dataset calls (in file order), for every target and repeat. */
  limit?: number;
}

/** Per-call seed, shared by every target so that their responses to one call and repeat are paired. */
export function itemSeed(suiteSeed: number, callId: string, repeat: number): number {
  return parseInt(hashId({ seed: suiteSeed, call: callId, repeat }).slice(0, 8), 16);
}

export function expandPlan(suite: LoadedSuite, targets: PlannedTarget[], opts: PlanOptions = {}): WorkItem[] {
  const calls = opts.limit === undefined ? suite.calls : suite.calls.slice(0, opts.limit);
  const items: WorkItem[] = [];
  // Call-major order: a run cut short has covered every target on the same calls.
  for (const call of calls) {
    const { source: _source, ...definingCall } = call;
    for (let repeat = 0; repeat < suite.repeats; repeat++) {
      const seed = itemSeed(suite.seed, call.id, repeat);
      for (const target of targets) {
        const id = hashId({ suite: suite.hash, call: definingCall, target: target.identity, repeat, seed });
        items.push({ id, call, target: target.name, repeat, seed });
      }
    }
  }
  return items;
}
