import type { DatasetCall, ToolSpec } from '../suite/types.js';

/** How the response text was turned into a value (see harness/parse/). */
export type ParseStatus =
  | 'json' // the whole text is JSON
  | 'fenced' // JSON inside a ``` code fence
  | 'embedded' // JSON after or between prose
  | 'truncated' // JSON cut off (max_tokens); repaired to a prefix value where possible
  | 'empty'
  | 'not_json';

export interface ParsedOutput {
  status: ParseStatus;
  /** The value when one could be recovered (for `truncated`, the repaired prefix when possible). */
  value?: unknown;
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
}

/** A tool spec with its schemas and expressions compiled once at load time, so scoring stays cheap. */
export interface CompiledTool {
  spec: ToolSpec;
  /** ajv validator of the response schema. */
  validateResponse: CompiledValidator;
  /** ajv validator of the error schema, when the tool has one. */
  validateError?: CompiledValidator;
  invariants: CompiledInvariant[];
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
  /** Evaluates the expression; resolves to true / false, or rejects with an evaluation error. */
  evaluate(bindings: { args: unknown; output: unknown }): Promise<unknown>;
}
