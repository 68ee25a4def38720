import type { DatasetCall, ToolSpec } from '../suite/types.js';

/** How the response text was turned into a value (see harness/parse/). */
export type ParseStatus =
  | 'json' // the whole text is JSON
  | 'fenced' // JSON inside a ``` code fence
  | 'embedded' // JSON after or between prose
  | 'repaired' // almost JSON (control characters, Python literals, trailing commas, inner quotes...), repaired
  | 'truncated' // JSON cut off (max_tokens); repaired to a prefix value
  | 'fragment' // a value covering only a small part of the text: a failed parse
  | 'empty'
  | 'not_json'
  | 'output_too_deep'; // nested past the depth limit: not parsed at all (see util/json-depth.ts)

/** The classified outcome that format.parse (strict) and format.parse_repaired (strict or repaired) count. */
export type ParseOutcome = 'strict' | 'repaired' | 'fragment' | 'none';

export type { RepairKind } from '../parse/repair.js';
import type { RepairKind } from '../parse/repair.js';

export interface ParsedOutput {
  status: ParseStatus;
  /** Always set by parseToolOutput; a hand-built value may leave it out, and outcomeOf derives it from status. */
  outcome?: ParseOutcome;
  /** For `repaired`: the kinds of damage repaired. */
  repairs?: RepairKind[];
  /** The value, for strict and repaired outcomes only (a fragment's value is never scored). */
  value?: unknown;
  /** Share of the trimmed text the value's source span covers, when it is not the whole text. */
  coverage?: number;
  /** Why parsing failed or what was repaired, for the record. */
  note?: string;
}

/** One metric's value for one call. `value: null` means "not applicable to this call" and is left out of means. */
export interface Score {
  metric: string;
  value: number | null;
  reasons: string[];
}

/** What every scorer receives. Scorers are pure: no I/O, no clocks, no randomness. */
export interface ScoreInput {
  tool: CompiledTool;
  call: DatasetCall;
  /** The parsed response; `undefined` when the target returned no text at all (transport error). */
  parsed: ParsedOutput | undefined;
  /** The run's interruption (Ctrl-C, SIGTERM): a long invariant stops at once instead of finishing. */
  signal?: AbortSignal;
}

/** A tool spec with its schemas and expressions compiled once at load time, so scoring stays cheap. */
export interface CompiledTool {
  spec: ToolSpec;
  /** ajv validator of the response schema. */
  validateResponse: CompiledValidator;
  /** ajv validator of the error schema, when the tool has one. */
  validateError?: CompiledValidator;
  invariants: CompiledInvariant[];
  /** The tool's refusal predicate (spec.refusal, a JSONata expression), when it has one (scoring/refusal.ts). */
  refusal?: (value: unknown, args: unknown) => Promise<boolean>;
  /** Tokens most of the dataset's real errors for this tool share, discounted by semantic (error-boilerplate.ts). */
  errorBoilerplate?: ReadonlySet<string>;
}

export interface CompiledValidator {
  (value: unknown): boolean;
  /** Messages for the last failed validation: JSON path and what was expected. */
  messages(): string[];
}

export interface CompiledInvariant {
  name: string;
  expr: string;
  applies_to: 'result' | 'error' | 'always';
  /** Response fields the expression reads (invariant-fields.ts): a required one missing or ill-typed fails it. */
  reads: string[][];
  /** Evaluates the expression; resolves to true / false, or rejects with an evaluation error. */
  evaluate(bindings: { args: unknown; output: unknown }, opts?: { signal?: AbortSignal }): Promise<unknown>;
}

/** The outcome of a parse, derived from its status when a hand-built ParsedOutput does not carry one. */
export function outcomeOf(p: ParsedOutput): ParseOutcome {
  if (p.outcome) return p.outcome;
  switch (p.status) {
    case 'json':
    case 'fenced':
    case 'embedded':
      return 'strict';
    case 'repaired':
    case 'truncated':
      return 'repaired';
    case 'fragment':
      return 'fragment';
    default:
      return 'none';
  }
}
