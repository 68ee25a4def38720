import type { DatasetCall, ToolSpec } from '../suite/types.js';
import type { ParsedOutput } from '../parse/parsed-output.js';

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
  /** The same verdict computed synchronously when it can be (invariant-runner.ts); undefined: await `evaluate`. */
  evaluateSync?(bindings: { args: unknown; output: unknown }, opts?: { signal?: AbortSignal }): { value: boolean } | undefined;
}
