/**
 * --shard I/N: a deterministic slice of the plan, so N machines (a Kubernetes indexed Job, a Slurm array,
 * N CI jobs) can split one suite and `gtm-bench merge` can join them. The unit of a shard is the dataset
 * call, not the work item: every target and repeat of one call land in the same shard, so the paired
 * comparisons between targets are made on answers produced side by side, on one machine, at one time.
 * Calls are dealt round-robin (call i goes to shard i mod N, in suite order after --limit) rather than in
 * contiguous ranges, because datasets are often sorted by tool or difficulty and a range would hand one
 * machine all the hard calls.
 */
import { createHash } from 'node:crypto';
import type { Plan } from './plan.js';
import { UserError } from '../util/errors.js';

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

/**
 * Keeps the items of the calls dealt to this shard; the plan's call-major order is kept. Call i is the i-th of
 * the planned calls (their ids are unique: the suite loader refuses a duplicate).
 */
export function shardPlan(plan: Plan, shard: Shard | undefined): Plan {
  if (!shard || shard.count === 1) return plan;
  return plan.select((i) => plan.callIndex(i) % shard.count === shard.index);
}

/** sha256 of the ordered item ids joined by newlines: two runs with the same value planned exactly the same work. */
export function planHash(plan: Plan): string {
  const hash = createHash('sha256');
  // In chunks: the joined text of a million ids is 17 MB, and one update per id costs more than the hashing.
  let chunk = '';
  for (let i = 0; i < plan.length; i++) {
    chunk += i === 0 ? plan.id(i) : '\n' + plan.id(i);
    if (chunk.length >= 1 << 16) {
      hash.update(chunk);
      chunk = '';
    }
  }
  hash.update(chunk);
  return hash.digest('hex');
}
