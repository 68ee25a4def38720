/**
 * The typed value a suite file becomes once loaded and validated.
 * Nothing downstream of harness/suite/ reads YAML or raw JSON: it reads these types.
 */

import type { SessionStep } from './session-step.js';

export type JsonSchema = Record<string, unknown> | boolean;

/** Where something came from in a source file, kept for error messages (1-based line and column). */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

/** A logic invariant: a JSONata expression over `{args, output}` that must evaluate to true. */
import type { Limits } from './limits.js';
import type { ModelEndpoint } from '../endpoint/model-endpoint.js';

export interface InvariantSpec {
  name: string;
  /** JSONata expression; bound variables: `args` (the call's arguments) and `output` (the parsed response). */
  expr: string;
  description?: string;
  /** Which responses the invariant applies to: normal results (default), error responses, or both. */
  applies_to?: 'result' | 'error' | 'always';
  /** Time budget on one answer; default the suite's limits.invariant_timeout_ms. */
  timeout_ms?: number;
}

/** Per-field hints for reference-based semantic scoring. Paths use `a.b[*].c` notation (see scoring/paths.ts). */
export interface SemanticFieldSpec {
  /** Fields that must match exactly (ids, codes, booleans that a faithful tool cannot vary). */
  deterministic?: string[];
  /** Fields ignored by semantic scoring (timestamps, request ids). */
  ignore?: string[];
  /** Relative error at which a numeric field scores 0 (linear in between); default 1.0. */
  numeric_tolerance?: number;
  /** Weight factor per field path (a pattern covers its subtree); default 1 for every field. */
  weights?: Record<string, number>;
}

/**
 * The error shape assumed for a tool with no error_schema: an object with a top-level `error` key. The prompt
 * shown to a simulator and the scorers that judge its answer must agree on it, so it is defined once, here.
 */
export const DEFAULT_ERROR_SCHEMA: JsonSchema = { type: 'object', required: ['error'], properties: { error: {} } };

/** The unified tool template: what a simulator is told about a tool, and what a scorer checks against. */
export interface ToolSpec {
  name: string;
  description: string;
  parameters: JsonSchema;
  response_schema: JsonSchema;
  /** Schema of the tool's error responses; without it an error response is an object with a top-level `error` key. */
  error_schema?: JsonSchema;
  invariants: InvariantSpec[];
  semantic: SemanticFieldSpec;
  /** JSONata predicate over the response value ($output, $args bound): true means the response is a refusal. */
  refusal?: string;
  /** A named set of defaults (tool-presets.ts), e.g. `stabletoolbench` for the {error, response} envelope. */
  preset?: string;
  /** The source position of the tool's definition in the suite file. */
  at?: SourcePosition;
}

/** One row of a dataset: a tool call, with the real tool's recorded output when known. */
export interface DatasetCall {
  id: string;
  tool: string;
  arguments: Record<string, unknown>;
  reference?: unknown;
  /** The call is invalid (wrong type, contradiction, missing field): a faithful tool answers with an error. */
  expect_error?: boolean;
  /** Free-form labels (difficulty, category) carried into records for breakdowns. */
  tags?: string[];
  /** Task-specific gold data that a task metric reads, e.g. `{golden_answers: [...]}` for answer recall. */
  gold?: Record<string, unknown>;
  /** Dataset name and 1-based line, for messages and records. */
  source: { dataset: string; line: number };
  /** Set when the call is a step of a session row (see session-step.ts). */
  session?: SessionStep;
}

export interface DatasetSpec {
  name: string;
  /** Path as written in the suite, resolved against the suite file's folder. */
  path: string;
  /** What to do with malformed rows: fail the run (default) or skip them with a warning per row. */
  on_bad_row: 'fail' | 'skip';
}

interface TargetCommon {
  name: string;
  /** Concurrency for this target; the CLI's --concurrency overrides it. */
  concurrency: number;
  /** Set when the target cannot run in this environment (for example an unset environment variable). */
  not_configured?: string;
  at?: SourcePosition;
}

/**
 * Any OpenAI-compatible server; vLLM serving a GTM checkpoint is the main case. Where and how it is reached
 * (base URLs, model, key variable, sampling, timeout, retries, concurrency) is its ModelEndpoint.
 */
export interface OpenAITargetSpec extends TargetCommon, ModelEndpoint {
  kind: 'openai';
  api: 'chat' | 'completions';
  /** Path of the prompt template file, resolved against the suite file's folder. */
  prompt_template: string;
  stream: boolean;
}

/** A built-in baseline simulator or a registered real tool, addressed by its registry kind. */
export interface RegisteredTargetSpec extends TargetCommon {
  /** e.g. `baseline:reference`, `baseline:schema-faker`, `real:country-facts`; later `real:bm25`, `real:kernel-eval`. */
  kind: string;
  /** Kind-specific options, validated by the target's own factory. */
  options: Record<string, unknown>;
}

export type TargetSpec = OpenAITargetSpec | RegisteredTargetSpec;

export function isOpenAITarget(t: TargetSpec): t is OpenAITargetSpec {
  return t.kind === 'openai';
}

/** The name of a metric family in scoring/metric-registry.ts (format, logic, semantic, judge, answer_recall, ...). */
export type MetricFamilyName = string;

/** The LLM judge: a model endpoint and its rubric. */
export interface JudgeSpec extends ModelEndpoint {
  /** Path of the rubric file (versioned), resolved against the suite file's folder. */
  rubric: string;
}

/**
 * The optional sections a suite may have, by key, with their built values. A section declared in another
 * module (gates and curves in report-sections.ts, serve, agent) adds its key here from its own module by declaration merging
 * (`declare module '../suite/types.js' { interface SuiteSections { ... } }`), so this file never imports
 * upward; see suite/sections.ts for the section contract.
 */
export interface SuiteSections {
  /** The LLM judge; see suite/targets.ts. */
  judge: JudgeSpec;
}

export interface Suite extends Partial<SuiteSections> {
  /** Absolute path of the suite file. */
  file: string;
  name: string;
  description?: string;
  /** Suite format version (the file's `version`), recorded in the manifest. */
  version: string;
  tools: ToolSpec[];
  datasets: DatasetSpec[];
  targets: TargetSpec[];
  metrics: MetricFamilyName[];
  repeats: number;
  seed: number;
  /** Share of calls (0..1) that may fail with transport errors before the run exits 1. */
  max_error_rate: number;
  /** Size, depth and time caps, defaults filled in (suite/limits.ts). */
  limits: Limits;
  /** sha256 of the suite file's bytes. */
  hash: string;
  /** Files the suite pulls in (tool specs given as `file:`), by path relative to the suite file's folder, with the sha256 of their bytes. */
  included_files?: Record<string, string>;
}

/** A suite with its datasets read: what the planner expands. */
export interface LoadedSuite extends Suite {
  calls: DatasetCall[];
  /** sha256 of each dataset file's bytes, by dataset name. */
  dataset_hashes: Record<string, string>;
  /** Rows skipped under `on_bad_row: skip`, with their messages. */
  skipped_rows: string[];
}
