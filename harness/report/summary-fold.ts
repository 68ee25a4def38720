/**
 * The run summary as a fold: records go in one at a time (`add`, in any order, straight from the streamed
 * records file) and `result()` gives the Summary, byte for byte the one the records would give all at once.
 * What it keeps per record is what the summary cannot do without, in typed arrays (util/typed-list.ts,
 * score-column.ts): the record's place in item-id order, whether it was answered, its latency, its group in
 * each breakdown and a slot per metric (one byte while a metric has few distinct values). About 30 bytes a
 * record with the default suite's format + logic metrics (a million records: ~30 MB), where holding the records
 * themselves took ~20 KB each in memory.
 *
 * Why per-record values at all: a mean is a float sum, and the summary's bytes must not depend on which call
 * finished first, so values are summed in item-id order (as they always were), which needs them all at the
 * end; the t interval's second pass needs them again; a Wilson interval would not, but a metric's kind does
 * not promise its values are 0/1. Counts, sums of integers and first-by-id examples are folded as they come.
 */
import type { RunRecord } from '../records/types.js';
import { metricDef } from '../scoring/metric-registry.js';
import { percentile, summarise } from '../scoring/stats.js';
import { redactMessage } from '../util/redact.js';
import { Float64List, Uint32List, Uint8List } from '../util/typed-list.js';
import { groupValues } from './group-by.js';
import { NO_SCORE, ScoreColumn } from './score-column.js';
import {
  reasonKind,
  type LatencySummary,
  type MetricSummary,
  type PlannedTargetInfo,
  type Summary,
  type SummaryOptions,
  type TargetSummary,
} from './summary.js';
import type { ServerSummary } from './server-summary.js';

const HEX_ID = /^[0-9a-f]{16}$/;

/** Item ids as sort keys: two 32-bit words for the usual 16 hex digits, the strings themselves otherwise. */
class IdKeys {
  private hi = new Uint32List();
  private lo = new Uint32List();
  private strings: string[] | undefined;

  push(id: string): void {
    if (!this.strings && HEX_ID.test(id)) {
      this.hi.push(parseInt(id.slice(0, 8), 16));
      this.lo.push(parseInt(id.slice(8), 16));
      return;
    }
    if (!this.strings) {
      // An id of another shape (an older or hand-made run): fall back to comparing strings, for every id.
      this.strings = [];
      for (let i = 0; i < this.hi.length; i++) this.strings.push(this.hex(i));
    }
    this.strings.push(id);
  }

  private hex(i: number): string {
    return this.hi.at(i).toString(16).padStart(8, '0') + this.lo.at(i).toString(16).padStart(8, '0');
  }

  /** Record indices in item-id order (ties: file order, as the stable sort of the records gave). */
  order(n: number): Uint32Array {
    const idx = new Uint32Array(n);
    for (let i = 0; i < n; i++) idx[i] = i;
    const s = this.strings;
    if (s) return idx.sort((a, b) => (s[a] < s[b] ? -1 : s[a] > s[b] ? 1 : a - b));
    const hi = this.hi.view();
    const lo = this.lo.view();
    return idx.sort((a, b) => hi[a] - hi[b] || lo[a] - lo[b] || a - b);
  }
}

/** Counts that one group of a breakdown (or the whole target) folds as records come. */
interface GroupCounts {
  of: number;
  answered: number;
  /** Metrics any record of the group has (value or null), and how many answered records have a value. */
  answeredWithValue: Map<string, number>;
}

const newCounts = (): GroupCounts => ({ of: 0, answered: 0, answeredWithValue: new Map() });

/** One breakdown (by tool, by dataset, by a --group-by field): each record's groups by index. */
class Axis {
  readonly names: string[] = [];
  private readonly ids = new Map<string, number>();
  readonly counts: GroupCounts[] = [];
  /**
   * The first group of each record, one byte a record while there are at most 256 groups (tools, datasets: a
   * handful), four beyond; a record in several groups (two tags) keeps the rest in `extra`.
   */
  private first: Uint8List | Uint32List = new Uint8List();
  private readonly extra = new Map<number, number[]>();

  constructor(readonly field: string) {}

  add(i: number, r: RunRecord): GroupCounts[] {
    const groups = groupValues(r, this.field).map((v) => {
      let g = this.ids.get(v);
      if (g === undefined) {
        this.ids.set(v, (g = this.names.length));
        this.names.push(v);
        this.counts.push(newCounts());
      }
      return g;
    });
    if (groups[0] > 255 && this.first instanceof Uint8List) {
      const wide = new Uint32List(Math.max(1024, this.first.length * 2));
      for (let j = 0; j < this.first.length; j++) wide.push(this.first.at(j));
      this.first = wide;
    }
    this.first.push(groups[0]);
    if (groups.length > 1) this.extra.set(i, groups.slice(1));
    return groups.map((g) => this.counts[g]);
  }

  /** Calls fn with each group of record `i`. */
  forEachGroup(i: number, fn: (g: number) => void): void {
    fn(this.first.at(i));
    if (this.extra.size) for (const g of this.extra.get(i) ?? []) fn(g);
  }
}

class Replica {
  calls = 0;
  errors = 0;
  latency = new Float64List(64);
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Mean and nearest-rank percentiles; the mean summed in ascending order, as it always was. */
function latencyOf(values: Float64List): LatencySummary | null {
  if (values.length === 0) return null;
  const xs = Float64Array.from(values.view()).sort();
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += xs[i];
  return {
    mean: round(sum / xs.length),
    p50: round(percentile(xs, 50)),
    p90: round(percentile(xs, 90)),
    p99: round(percentile(xs, 99)),
    max: round(xs[xs.length - 1]),
  };
}

const earlier = (a: string, b: string | undefined) => b === undefined || a < b;

class TargetFold {
  n = 0;
  private readonly keys = new IdKeys();
  private readonly answered = new Uint8List();
  readonly latency = new Float64List();
  private readonly ttft = new Float64List(16);
  private readonly total = newCounts();
  private readonly columns = new Map<string, ScoreColumn>();
  private readonly axes: Axis[];
  private errors = 0;
  private retries = 0;
  private prompt = 0;
  private completion = 0;
  private sawUsage = false;
  private readonly invalidUtf8 = { calls: 0, sequences: 0 };
  private readonly errorClasses = new Map<string, { count: number; firstId: string; message: string }>();
  private first: { id: string; backend: string } | undefined;
  private readonly replicas = new Map<string, Replica>();

  constructor(
    readonly info: PlannedTargetInfo,
    private readonly groupBy: readonly string[],
    private readonly kinds: Map<string, number>,
  ) {
    this.axes = ['tool', 'dataset', ...groupBy].map((f) => new Axis(f));
  }

  private kindId(reasons: readonly string[] | undefined): number {
    const k = reasonKind(reasons);
    let id = this.kinds.get(k);
    if (id === undefined) this.kinds.set(k, (id = this.kinds.size));
    return id;
  }

  add(r: RunRecord): void {
    const i = this.n++;
    this.keys.push(r.item_id);
    if (earlier(r.item_id, this.first?.id)) this.first = { id: r.item_id, backend: r.backend };
    const answered = r.error === null && r.raw !== null;
    this.answered.push(answered ? 1 : 0);
    this.latency.push(r.latency_ms);
    if (r.ttft_ms !== undefined) this.ttft.push(r.ttft_ms);
    this.retries += r.retries;
    if (r.invalid_utf8) {
      this.invalidUtf8.calls++;
      this.invalidUtf8.sequences += r.invalid_utf8;
    }
    if (r.error) {
      this.errors++;
      const c = this.errorClasses.get(r.error.class);
      if (!c) this.errorClasses.set(r.error.class, { count: 1, firstId: r.item_id, message: r.error.message });
      else {
        c.count++;
        if (r.item_id < c.firstId) Object.assign(c, { firstId: r.item_id, message: r.error.message });
      }
    }
    if (r.usage) {
      this.sawUsage = true;
      this.prompt += r.usage.prompt_tokens;
      this.completion += r.usage.completion_tokens;
    }
    if (r.replica) {
      let rep = this.replicas.get(r.replica);
      if (!rep) this.replicas.set(r.replica, (rep = new Replica()));
      rep.calls++;
      if (r.error) rep.errors++;
      rep.latency.push(r.latency_ms);
    }
    const groups = [this.total, ...this.axes.flatMap((a) => a.add(i, r))];
    for (const g of groups) {
      g.of++;
      if (answered) g.answered++;
    }
    for (const metric in r.scores) {
      const s = r.scores[metric];
      let col = this.columns.get(metric);
      if (!col) this.columns.set(metric, (col = new ScoreColumn()));
      const hasValue = s.value !== null;
      col.set(i, s.value, hasValue ? NO_SCORE : this.kindId(s.reasons));
      for (const g of groups) g.answeredWithValue.set(metric, (g.answeredWithValue.get(metric) ?? 0) + (answered && hasValue ? 1 : 0));
    }
  }

  result(kindNames: string[]): TargetSummary {
    const order = this.keys.order(this.n);
    const errors_by_class: Record<string, number> = {};
    const error_examples: Record<string, string> = {};
    for (const [cls, c] of [...this.errorClasses].sort((a, b) => (a[1].firstId < b[1].firstId ? -1 : a[1].firstId > b[1].firstId ? 1 : 0))) {
      errors_by_class[cls] = c.count;
      error_examples[cls] = redactMessage(c.message);
    }
    const metricNames = [...this.columns.keys()].sort();
    const summary: TargetSummary = {
      name: this.info.name,
      kind: this.info.kind,
      backend: this.first?.backend ?? this.info.backend,
      status: this.n ? 'ran' : 'not run',
      calls: this.n,
      errors: this.errors,
      error_rate: this.n ? this.errors / this.n : null,
      errors_by_class,
      ...(this.errors ? { error_examples } : {}),
      retries: this.retries,
      latency_ms: latencyOf(this.latency),
      metrics: this.topLevel(order, metricNames, kindNames),
      by_tool: this.breakdown(order, this.axes[0], metricNames),
      by_dataset: this.breakdown(order, this.axes[1], metricNames),
    };
    if (this.groupBy.length) summary.by_group = Object.fromEntries(this.axes.slice(2).map((a) => [a.field, this.breakdown(order, a, metricNames)]));
    if (this.sawUsage) summary.tokens = { prompt: this.prompt, completion: this.completion };
    if (this.invalidUtf8.calls) summary.invalid_utf8 = { ...this.invalidUtf8 };
    if (this.ttft.length) summary.ttft_ms = latencyOf(this.ttft)!;
    if (this.replicas.size > 0) {
      summary.by_replica = Object.fromEntries(
        [...this.replicas.keys()].sort().map((url) => {
          const rep = this.replicas.get(url)!;
          return [url, { calls: rep.calls, errors: rep.errors, error_rate: rep.errors / rep.calls, latency_ms: latencyOf(rep.latency) }];
        }),
      );
    }
    return summary;
  }

  /** A metric's values in item-id order. */
  private values(col: ScoreColumn, order: Uint32Array): Float64Array {
    const out = new Float64List(256);
    for (let j = 0; j < order.length; j++) {
      const v = col.value(order[j]);
      if (!Number.isNaN(v)) out.push(v);
    }
    return out.view();
  }

  private metricSummary(values: Float64Array, metric: string, c: GroupCounts): MetricSummary {
    const s = summarise(values, metricDef(metric));
    return {
      n: s.n,
      mean: s.mean,
      ci_low: s.ci_low,
      ci_high: s.ci_high,
      method: s.method,
      of: c.of,
      no_answer: c.of - c.answered,
      not_applicable: c.answered - (c.answeredWithValue.get(metric) ?? 0),
    };
  }

  /** Every metric over the whole target, with why the answered calls without a value had none (first seen first, by item id). */
  private topLevel(order: Uint32Array, metricNames: string[], kindNames: string[]): Record<string, MetricSummary> {
    const out: Record<string, MetricSummary> = {};
    for (const metric of metricNames) {
      const col = this.columns.get(metric)!;
      const m = this.metricSummary(this.values(col, order), metric, this.total);
      if (m.not_applicable > 0) {
        const why: Record<string, number> = {};
        for (let j = 0; j < order.length; j++) {
          const i = order[j];
          if (!this.answered.at(i) || !Number.isNaN(col.value(i))) continue;
          const k = kindNames[col.kind(i)];
          why[k] = (why[k] ?? 0) + 1;
        }
        m.not_applicable_reasons = why;
      }
      out[metric] = m;
    }
    return out;
  }

  /**
   * Every metric per group of one axis: groups sorted by name, each record in every group it falls in. One pass
   * over the records per metric, so only one metric's values are copied out at a time.
   */
  private breakdown(order: Uint32Array, axis: Axis, metricNames: string[]): Record<string, Record<string, MetricSummary>> {
    const perGroup: Record<string, MetricSummary>[] = axis.names.map(() => ({}));
    for (const metric of metricNames) {
      const col = this.columns.get(metric)!;
      const lists = axis.names.map(() => new Float64List(64));
      for (let j = 0; j < order.length; j++) {
        const i = order[j];
        const v = col.value(i);
        if (!Number.isNaN(v)) axis.forEachGroup(i, (g) => lists[g].push(v));
      }
      axis.counts.forEach((counts, g) => {
        if (counts.answeredWithValue.has(metric)) perGroup[g][metric] = this.metricSummary(lists[g].view(), metric, counts);
      });
    }
    const names = axis.names.map((name, g) => ({ name, g })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return Object.fromEntries(names.map(({ name, g }) => [name, perGroup[g]]));
  }
}

/** Folds records into a run's Summary; see the file comment. */
export class SummaryFold {
  private readonly folds = new Map<string, TargetFold>();
  /** Reason kinds by id, shared by the targets (id 0: no score for this call). */
  private readonly kinds = new Map<string, number>([[reasonKind(undefined), NO_SCORE]]);
  private readonly fields: string[];
  private count = 0;

  constructor(
    private readonly targets: readonly PlannedTargetInfo[],
    groupBy: readonly string[] = [],
  ) {
    const fields = (this.fields = [...new Set(groupBy)]);
    for (const t of targets) if (t.status !== 'not configured' && !this.folds.has(t.name)) this.folds.set(t.name, new TargetFold(t, fields, this.kinds));
  }

  add(r: RunRecord): void {
    this.count++;
    this.folds.get(r.target)?.add(r);
  }

  /** Latencies of one target's records, in the order they were added (for charts; do not keep while adding). */
  latencies(target: string): Float64Array {
    return this.folds.get(target)?.latency.view() ?? new Float64Array(0);
  }

  result(suite: { name: string; hash: string }, server?: ServerSummary[]): Summary {
    const fields = this.fields;
    const kindNames: string[] = [];
    for (const [k, id] of this.kinds) kindNames[id] = k;
    return {
      kind: 'fidelity',
      suite,
      records: this.count,
      targets: this.targets.map((t) => (t.status === 'not configured' ? notConfigured(t) : this.folds.get(t.name)!.result(kindNames))),
      ...(server?.length ? { server } : {}),
      ...(fields.length ? { group_by: fields } : {}),
    };
  }
}

function notConfigured(info: PlannedTargetInfo): TargetSummary {
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

/**
 * The summary of a set of records already in memory (trend, baseline, tests); finish-run and report stream the
 * records file through a SummaryFold instead; this is the same fold over an array.
 */
export function summariseRun(
  suite: { name: string; hash: string },
  targets: PlannedTargetInfo[],
  records: readonly RunRecord[],
  server?: ServerSummary[],
  opts: SummaryOptions = {},
): Summary {
  const fold = new SummaryFold(targets, opts.groupBy);
  for (const r of records) fold.add(r);
  return fold.result(suite, server);
}
