/**
 * Manifest entries written by the serving features: the served checkpoint (serve/ fills it), the response
 * cache, --resume, merge and --replay. Defined here with the manifest format, which serve/ writes into.
 */
import type { CacheMode } from './cache/response-store.js';

export interface ManifestCache {
  mode: CacheMode;
  /** The SQLite file (null when the cache is off). */
  path: string | null;
  hits: number;
  misses: number;
  stored: number;
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

/** The `serve` entry: the vLLM server gtm-bench started for the run (serve/served-model.ts). */
export interface ManifestServe {
  /**
   * `starting` only in the manifest written before the server answered; `skipped` when a resumed run had
   * nothing left to call and so did not start it.
   */
  status: 'starting' | 'ran' | 'failed' | 'skipped' | 'not configured';
  reason?: string;
  executable?: string;
  vllm_version?: string | null;
  version_error?: string;
  command?: string[];
  checkpoint?: CheckpointInfo;
  base_url?: string;
  model?: string;
  targets: string[];
  pid?: number;
  /** File in the run folder holding the server's output. */
  log?: string | null;
  ready_after_ms?: number | null;
  /** Set when the server exited before gtm-bench stopped it. */
  exited_during_run?: ExitInfo;
  stopped?: StopInfo;
}

/** How a served process ended (serve/vllm-process.ts). */
export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface StopInfo extends ExitInfo {
  /** SIGTERM sufficed, SIGKILL was needed, or the process had already exited. */
  how: 'SIGTERM' | 'SIGKILL' | 'already exited';
  after_ms: number;
}

/** What identifies a checkpoint on disk (serve/checkpoint-info.ts computes it). */
export interface CheckpointInfo {
  path: string;
  local: boolean;
  config_sha256: string | null;
  weights_index:
    | { kind: 'safetensors-index'; file: string; sha256: string }
    | { kind: 'safetensors-files'; files: { name: string; bytes: number }[]; sha256: string }
    | null;
  /** sha256 over the two above: the checkpoint's identity in cache keys and resume checks. Null when not local. */
  fingerprint: string | null;
  /** What could not be read, when something could not. */
  note?: string;
}
