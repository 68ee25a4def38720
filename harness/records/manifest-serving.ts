/** Manifest entries written by the serving features: the response cache, --resume, merge and --replay. */
import type { CacheMode } from './cache/response-store.js';

export interface ManifestCache {
  mode: CacheMode;
  /** The SQLite file (null when the cache is off). */
  path: string | null;
  hits: number;
  misses: number;
  stored: number;
  /** Misses not stored because the request sent differed from the one the key was computed for. */
  unpredicted: number;
}

export interface ManifestResume {
  at: string;
  /** The command line that continued the run. */
  argv: string[];
  /** Records already in records.jsonl and kept. */
  records_kept: number;
  /** Records dropped to be run again (calls cut off by an interruption; with --retry-errors, failed calls). */
  records_dropped: number;
  /** A line cut short by a kill, removed before appending (or completed with its newline). */
  torn_tail: string | null;
  /** Items still to run when the run was continued. */
  remaining: number;
}

export interface ManifestMergedShard {
  run_id: string;
  dir: string;
  shard: string;
  status: string;
  items: number;
  records: number;
}

export interface ManifestReplay {
  run_id: string;
  dir: string;
  /** Planned items re-scored from the original run's records. */
  from_records: number;
  /** Planned items the records lacked, answered from the response cache. */
  from_cache: number;
  /** Planned items found in neither: recorded as failed calls (tool_failure) of their target. */
  missing: number;
}
