/**
 * The one contract every metric plugs in through. A family (format, logic, semantic, judge, answer recall,
 * kernel agreement, the per-call figures) declares each metric it can emit: its label, definition, direction,
 * kind, range and aggregation. Reports, gates, trend and worst cases read all of that from the registry
 * (metric-registry.ts) instead of keeping their own lists, and the kind fixes the confidence interval
 * (stats.ts), so a new family brings its reporting with it.
 *
 * Modelled on lm-evaluation-harness's MetricConfig (name, aggregation, higher_is_better in one record) and
 * inspect_ai's @scorer(metrics=...) (the scorer declares what it reports), with promptfoo's rule that the
 * registry is the single source of a type's metadata and handler.
 */
import type { DatasetCall } from '../suite/types.js';
import type { ParsedOutput } from '../parse/parsed-output.js';
import type { CompiledTool, Score } from './types.js';

/**
 * What fixes a metric's interval and range:
 *   binary     every value is 0 or 1 (a proportion): Wilson score interval;
 *   bounded    any value in [range.min, range.max] (a share, a similarity): t interval clipped to the range;
 *   unbounded  a quantity (milliseconds, a log ratio): t interval, clipped below at range.min when there is one.
 */
export type MetricKind = 'binary' | 'bounded' | 'unbounded';

export type Direction = 'higher' | 'lower';

/** How per-call values become the summary's figure. Only the mean is implemented; the field says so explicitly. */
export type Aggregation = 'mean';

export interface MetricDef {
  label: string;
  /** How the metric is computed, printed under "How the metrics are computed" in every report. */
  how: string;
  /** Which way is better: reports word it, gates and trend orient differences by it, worst cases turn it around. */
  direction: Direction;
  kind: MetricKind;
  /** The values the metric can take. binary and bounded default to [0, 1]; unbounded to [0, +Infinity]. */
  range?: { min: number; max: number };
  aggregation?: Aggregation;
}

/** A metric's definition as the registry hands it out: defaults filled in, its family named. */
export interface ResolvedMetricDef extends Required<MetricDef> {
  name: string;
  family: string;
}

/** What a family needs before it can score: the dataset's recorded real output, or a judge endpoint. */
export interface FamilyNeeds {
  reference?: boolean;
  judge?: boolean;
}

/** One answered call as every family sees it. Families are pure given this input (the judge's I/O is in ctx). */
export interface FamilyInput {
  tool: CompiledTool;
  call: DatasetCall;
  /** The parsed response; `undefined` when the target returned no text at all (transport error). */
  parsed: ParsedOutput | undefined;
  /** The real tool's recorded output for this call, when the dataset has one. */
  reference: unknown | undefined;
  /** The response text exactly as the target returned it. */
  raw: string;
  /** For a step of a multi-turn session: the earlier steps with their parsed answers (session-consistency.ts). */
  earlier?: SessionCall[];
}

/** A session step as session invariants see it: `calls[i].args`, `calls[i].output`. */
export interface SessionCall {
  tool: string;
  args: Record<string, unknown>;
  /** The parsed answer (undefined when none could be parsed or the call failed). */
  output: unknown;
  /** The transport error class when the call failed, else null. */
  error: string | null;
}

/** The judge as a family sees it: a service that turns one call and its raw answer into judge.* scores. */
export interface JudgeService {
  judge(tool: CompiledTool['spec'], call: DatasetCall, simulatedRaw: string): Promise<Score[]>;
}

export interface ScoreContext {
  /** Present only when the suite asks for the judge and its endpoint is configured. */
  judge?: JudgeService;
  /** The run's interruption: a long invariant stops at once (scoring/invariant-runner.ts). */
  signal?: AbortSignal;
}

interface FamilyBase {
  /** The name a suite writes in `metrics` (lowercase), and the prefix of every metric it emits. */
  name: string;
  /** One line for listings and validation messages. */
  description: string;
  /** Every metric the family can emit, by full name (`family.metric`), in report order. */
  metrics: Record<string, MetricDef>;
  needs: FamilyNeeds;
}

/** A family that scores answered calls; a suite names it in `metrics`, and its scores are written to the record. */
export interface ResponseFamily extends FamilyBase {
  source: 'response';
  score(input: FamilyInput, ctx: ScoreContext): Score[] | Promise<Score[]>;
}

/** What every record carries besides its scores (records/types.ts RunRecord has both fields). */
export interface RecordFields {
  error: unknown;
  latency_ms: number;
}

/**
 * A family that is always on and reads fields every record already has (error, latency) rather than scoring
 * the answer: nothing is added to the record, and reports compute its values with `fromRecord`.
 */
export interface RecordFamily extends FamilyBase {
  source: 'record';
  fromRecord(record: RecordFields): Record<string, number>;
}

export type MetricFamily = ResponseFamily | RecordFamily;
