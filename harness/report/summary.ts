/**
 * What a run's summary says (summary.json), and how a scorer's reason is counted. The summary is a pure
 * reduction over records.jsonl plus the manifest's list of targets (summary-fold.ts): everything it says can be
 * recomputed from those two files, and the same records always give the same summary.
 */
import type { MeanFigures } from '../scoring/stats.js';
import type { ServerSummary } from './server-summary.js';

/**
 * One metric's mean over a set of calls, and the denominator spelled out: the mean is over `n` scored calls
 * of the `of` calls in the set; the others are counted beside it, never dropped silently.
 */
export interface MetricSummary extends MeanFigures {
  /** Every call in the set: n + no_answer + not_applicable. */
  of: number;
  /** Calls that got no answer (transport error): nothing to score; they count in the error rate. */
  no_answer: number;
  /** Answered calls the metric does not apply to (no reference, an invalid-call metric on a valid call, ...). */
  not_applicable: number;
  /** Why, for the calls not applicable: the scorer's first reason (up to its first colon) -> calls. Top level only. */
  not_applicable_reasons?: Record<string, number>;
}

export interface LatencySummary {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface TargetSummary {
  name: string;
  kind: string;
  /** The backend that produced these numbers (from the records), or the configured one if nothing ran. */
  backend: string;
  status: 'ran' | 'not configured' | 'not run';
  reason?: string;
  calls: number;
  /** Calls that got no usable answer from the backend (transport errors); they carry no fidelity scores. */
  errors: number;
  error_rate: number | null;
  errors_by_class: Record<string, number>;
  /** One verbatim message per error class (the first by item id, secrets redacted); present when a call failed. */
  error_examples?: Record<string, string>;
  /** Answers that held bytes that are not UTF-8 (stored as U+FFFD; the records' `invalid_utf8`), and the sequences replaced. */
  invalid_utf8?: { calls: number; sequences: number };
  retries: number;
  latency_ms: LatencySummary | null;
  /** Time to first token as the harness saw it (streamed calls only), next to the server's own figure. */
  ttft_ms?: LatencySummary;
  tokens?: { prompt: number; completion: number };
  metrics: Record<string, MetricSummary>;
  by_tool: Record<string, Record<string, MetricSummary>>;
  /** Every metric per dataset of the suite (dataset name -> metric -> summary). */
  by_dataset: Record<string, Record<string, MetricSummary>>;
  /** `--group-by FIELD`: field -> group -> metric -> summary (report/group-by.ts says what a group is). */
  by_group?: Record<string, Record<string, Record<string, MetricSummary>>>;
  /** A target with several replicas: calls (by the replica that made the last attempt), errors and latency per replica. */
  by_replica?: Record<string, ReplicaSummary>;
}

export interface ReplicaSummary {
  calls: number;
  errors: number;
  error_rate: number;
  latency_ms: LatencySummary | null;
}

export interface PlannedTargetInfo {
  name: string;
  kind: string;
  backend: string;
  status: 'ran' | 'not configured';
  reason?: string;
}

export interface Summary {
  /** Agent runs write their own summary with kind `agent` (agents/agent-files.ts). */
  kind?: 'fidelity';
  suite: { name: string; hash: string };
  records: number;
  targets: TargetSummary[];
  /** Server-side figures from vLLM's /metrics (server-metrics.json), when a server exposed them. */
  server?: ServerSummary[];
  /** The `--group-by` fields every target's by_group is keyed by. */
  group_by?: string[];
}

export interface SummaryOptions {
  /** Fields to break every metric down by (`--group-by`, kept in the manifest). */
  groupBy?: readonly string[];
}

const NOT_EMITTED = 'not scored for this call';

/**
 * The reason's kind, for counting calls by it: the scorer's first reason without the call's details (from the
 * first parenthesis on, anything after a second colon, numbers), so `judge_error: timeout: after 60000 ms` and the
 * same error on another call count together.
 */
export function reasonKind(reasons: readonly string[] | undefined): string {
  const first = reasons?.[0];
  if (!first) return NOT_EMITTED;
  const plain = first
    .split(' (')[0]
    .split(':')
    .slice(0, 2)
    .join(':')
    .replace(/-?\d+(\.\d+)?/g, 'N')
    .trim();
  return (plain || first).slice(0, 80);
}
