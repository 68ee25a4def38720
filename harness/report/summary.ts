/**
 * The summary is a pure reduction over records.jsonl plus the manifest's list of targets: everything it
 * says can be recomputed from those two files, and the same records always give the same summary.
 */
import type { RunRecord } from '../records/types.js';
import { metricDef } from '../scoring/metric-registry.js';
import { percentile, summarise, type MeanFigures } from '../scoring/stats.js';
import { redactMessage } from '../util/redact.js';
import type { ServerSummary } from './server-summary.js';
import { groupValues } from './group-by.js';

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

/** Every metric per group of `field`: groups sorted by name, each call in every group it falls in. */
function breakdown(records: readonly RunRecord[], field: string): Record<string, Record<string, MetricSummary>> {
  const groups = new Map<string, RunRecord[]>();
  for (const r of records) {
    for (const v of groupValues(r, field)) {
      let list = groups.get(v);
      if (!list) groups.set(v, (list = []));
      list.push(r);
    }
  }
  return Object.fromEntries([...groups.keys()].sort().map((v) => [v, metricSummaries(groups.get(v)!)]));
}

const round = (x: number) => Math.round(x * 1000) / 1000;

function latency(records: RunRecord[], pick: (r: RunRecord) => number = (r) => r.latency_ms): LatencySummary | null {
  if (records.length === 0) return null;
  const xs = records.map(pick).sort((a, b) => a - b);
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    mean: round(mean),
    p50: round(percentile(xs, 50)),
    p90: round(percentile(xs, 90)),
    p99: round(percentile(xs, 99)),
    max: round(xs[xs.length - 1]),
  };
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

/**
 * Every metric any answered call of the set has (value or null), with its mean over the calls that have a value
 * and the interval its kind fixes. `withReasons`: also count why the others were not applicable.
 */
function metricSummaries(records: readonly RunRecord[], withReasons = false): Record<string, MetricSummary> {
  const values = new Map<string, number[]>();
  for (const r of records) {
    for (const [metric, s] of Object.entries(r.scores)) {
      let list = values.get(metric);
      if (!list) values.set(metric, (list = []));
      if (s.value !== null) list.push(s.value);
    }
  }
  const answered = records.filter((r) => r.error === null && r.raw !== null);
  const noAnswer = records.length - answered.length;
  const out: Record<string, MetricSummary> = {};
  for (const metric of [...values.keys()].sort()) {
    const s = summarise(values.get(metric)!, metricDef(metric));
    let notApplicable = 0;
    const why: Record<string, number> = {};
    for (const r of answered) {
      const sc = r.scores[metric];
      if (sc && sc.value !== null) continue;
      notApplicable++;
      if (withReasons) {
        const k = sc ? reasonKind(sc.reasons) : NOT_EMITTED;
        why[k] = (why[k] ?? 0) + 1;
      }
    }
    const m: MetricSummary = {
      n: s.n,
      mean: s.mean,
      ci_low: s.ci_low,
      ci_high: s.ci_high,
      method: s.method,
      of: records.length,
      no_answer: noAnswer,
      not_applicable: notApplicable,
    };
    if (withReasons && notApplicable > 0) m.not_applicable_reasons = why;
    out[metric] = m;
  }
  return out;
}

function summariseTarget(info: PlannedTargetInfo, records: RunRecord[], groupBy: readonly string[]): TargetSummary {
  if (info.status === 'not configured') {
    return {
      ...info,
      calls: 0,
      errors: 0,
      error_rate: null,
      errors_by_class: {},
      retries: 0,
      latency_ms: null,
      metrics: {},
      by_tool: {},
      by_dataset: {},
    };
  }
  const errors_by_class: Record<string, number> = {};
  const error_examples: Record<string, string> = {};
  let errors = 0;
  let retries = 0;
  let prompt = 0;
  let completion = 0;
  let sawUsage = false;
  const invalid = { calls: 0, sequences: 0 };
  for (const r of records) {
    retries += r.retries;
    if (r.invalid_utf8) {
      invalid.calls++;
      invalid.sequences += r.invalid_utf8;
    }
    if (r.error) {
      errors++;
      errors_by_class[r.error.class] = (errors_by_class[r.error.class] ?? 0) + 1;
      error_examples[r.error.class] ??= redactMessage(r.error.message);
    }
    if (r.usage) {
      sawUsage = true;
      prompt += r.usage.prompt_tokens;
      completion += r.usage.completion_tokens;
    }
  }
  const summary: TargetSummary = {
    name: info.name,
    kind: info.kind,
    backend: records[0]?.backend ?? info.backend,
    status: records.length ? 'ran' : 'not run',
    calls: records.length,
    errors,
    error_rate: records.length ? errors / records.length : null,
    errors_by_class,
    ...(errors ? { error_examples } : {}),
    retries,
    latency_ms: latency(records),
    metrics: metricSummaries(records, true),
    by_tool: breakdown(records, 'tool'),
    by_dataset: breakdown(records, 'dataset'),
  };
  if (groupBy.length) summary.by_group = Object.fromEntries(groupBy.map((field) => [field, breakdown(records, field)]));
  if (sawUsage) summary.tokens = { prompt, completion };
  if (invalid.calls) summary.invalid_utf8 = invalid;
  const streamed = records.filter((r) => r.ttft_ms !== undefined);
  if (streamed.length) summary.ttft_ms = latency(streamed, (r) => r.ttft_ms!)!;
  const replicas = [...new Set(records.flatMap((r) => (r.replica ? [r.replica] : [])))].sort();
  if (replicas.length > 0) {
    summary.by_replica = Object.fromEntries(
      replicas.map((url) => {
        const mine = records.filter((r) => r.replica === url);
        const failed = mine.filter((r) => r.error).length;
        return [url, { calls: mine.length, errors: failed, error_rate: failed / mine.length, latency_ms: latency(mine) }];
      }),
    );
  }
  return summary;
}

export function summariseRun(
  suite: { name: string; hash: string },
  targets: PlannedTargetInfo[],
  records: RunRecord[],
  server?: ServerSummary[],
  opts: SummaryOptions = {},
): Summary {
  const groupBy = [...new Set(opts.groupBy ?? [])];
  // Records are appended in completion order; sorting by item id makes every float sum, and so the summary's
  // bytes, independent of which call happened to finish first.
  const ordered = [...records].sort((a, b) => (a.item_id < b.item_id ? -1 : a.item_id > b.item_id ? 1 : 0));
  const byTarget = new Map<string, RunRecord[]>();
  for (const r of ordered) {
    let list = byTarget.get(r.target);
    if (!list) byTarget.set(r.target, (list = []));
    list.push(r);
  }
  return {
    kind: 'fidelity',
    suite,
    records: records.length,
    targets: targets.map((t) => summariseTarget(t, byTarget.get(t.name) ?? [], groupBy)),
    ...(server?.length ? { server } : {}),
    ...(groupBy.length ? { group_by: groupBy } : {}),
  };
}
