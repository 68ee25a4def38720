import type { DatasetCall } from '../suite/types.js';

/** One unit of work: a call sent to one target once. The plan is an ordered list of these. */
export interface WorkItem {
  /** Hash of canonical JSON of what defines the item (suite hash, call row, target identity, repeat, seed). */
  id: string;
  call: DatasetCall;
  /** Target name as written in the suite. */
  target: string;
  repeat: number;
  /** Seed for this item, derived from the suite seed, call id and repeat (same for every target, so targets are paired). */
  seed: number;
}
