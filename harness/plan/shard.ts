/**
 * --shard I/N: a deterministic slice of the plan, so N machines (a Kubernetes indexed Job, a Slurm array,
 * N CI jobs) can split one suite and `gtm-bench merge` can join them. The unit of a shard is the dataset
 * call, not the work item: every target and repeat of one call land in the same shard, so the paired
 * comparisons between targets are made on answers produced side by side, on one machine, at one time.
 * Calls are dealt round-robin (call i goes to shard i mod N, in suite order after --limit) rather than in
 * contiguous ranges, because datasets are often sorted by tool or difficulty and a range would hand one
 * machine all the hard calls.
 */
import type { WorkItem } from './types.js';
import { UserError } from '../util/errors.js';
import { sha256 } from '../util/hash.js';

export interface Shard {
  /** 0-based, like JOB_COMPLETION_INDEX. */
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new UserError(`--shard ${text}: expected I/N with 0 <= I < N, e.g. --shard 0/4 or --shard $JOB_COMPLETION_INDEX/4`);
  const shard = { index: Number(m[1]), count: Number(m[2]) };
  if (shard.count < 1 || shard.index >= shard.count) {
    throw new UserError(`--shard ${text}: expected I/N with 0 <= I < N (I is 0-based), found I=${shard.index}, N=${shard.count}`);
  }
  return shard;
}

/** Keeps the items of the calls dealt to this shard; the plan's call-major order is kept. */
export function shardPlan(items: WorkItem[], shard: Shard | undefined): WorkItem[] {
  if (!shard || shard.count === 1) return items;
  const callIndex = new Map<string, number>();
  for (const item of items) if (!callIndex.has(item.call.id)) callIndex.set(item.call.id, callIndex.size);
  return items.filter((item) => callIndex.get(item.call.id)! % shard.count === shard.index);
}

/** sha256 of the ordered item ids: two runs with the same value planned exactly the same work. */
export function planHash(items: WorkItem[]): string {
  return sha256(items.map((i) => i.id).join('\n'));
}
