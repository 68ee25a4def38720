import type { DatasetCall, ToolSpec } from '../suite/types.js';
import type { CallError } from '../net/call-error.js';
import type { TokenUsage } from '../records/types.js';
import type { SessionTurn } from '../prompts/history.js';

/** Error classes live with the HTTP helpers (net/), the floor every backend stands on. */
export type { CallError, ErrorClass } from '../net/call-error.js';

/** What a target returns for one call: the raw text and what it cost. Scoring happens elsewhere. */
export interface Observation {
  /** The response text exactly as the backend produced it (model text, or JSON of a real tool's value). */
  raw: string | null;
  /** The request as sent, secrets removed (messages/prompt and sampling for a model; arguments for a tool). */
  request: unknown;
  latency_ms: number;
  /** Time to first token, for streamed model calls. */
  ttft_ms?: number;
  usage?: TokenUsage;
  /** Retries spent on this call (0 when the first attempt answered). */
  retries: number;
  error: CallError | null;
  /** Invalid UTF-8 sequences in the answer's bytes, each now U+FFFD in `raw` (net/capped-body.ts counts them). */
  invalid_utf8?: number;
  /** Finish reason reported by a model server (`stop`, `length`, ...). */
  finish_reason?: string;
  /** For a target with several replicas: the base URL of the replica that made the last attempt. */
  replica?: string;
  /** Set by the response cache wrapper (records/cache/): answered from the cache, sent to the backend, or not cached. */
  cache?: 'hit' | 'miss' | 'off';
  /** The backend that produced this answer when it is not the target's own: a cache hit names the server that wrote it. */
  backend?: string;
  /** When the call that produced this answer started, for an answer given again from an earlier run's record (replay). */
  started_at?: string;
}

/** What the engine hands a target for a call that belongs to a session. */
export interface SessionContext {
  /** Unique per (session, target, repeat): a stateful target keys its live state by it. */
  key: string;
  step: number;
  length: number;
  history: SessionTurn[];
  setup?: unknown;
}

/** Everything a target may need besides the call itself. */
export interface CallContext {
  tool: ToolSpec;
  call: DatasetCall;
  repeat: number;
  /** Per-item seed derived from the suite seed, the call and the repeat. */
  seed: number;
  signal?: AbortSignal;
  /** Set when the call is a step of a multi-turn session (see SessionContext above). */
  session?: SessionContext;
}

/** One interface for every backend: model servers, real tools, baseline simulators. */
export interface Target {
  readonly name: string;
  readonly kind: string;
  /**
   * Identity of the backend for ids and reports, with no secrets: e.g.
   * `openai:http://127.0.0.1:8000/v1#gtm-1.5b`, `baseline:schema-faker@json-schema-faker-0.6.3`.
   */
  readonly backend: string;
  /** Config safe to write into the manifest (no API keys). */
  describe(): Record<string, unknown>;
  /**
   * Set when the backend found at start-up that it cannot run here (e.g. KernelBench problems without
   * torch): the run reports it as not configured with this reason instead of calling it.
   */
  readonly unavailable?: string;
  call(ctx: CallContext): Promise<Observation>;
  /**
   * A target that renders a prompt: the UTF-8 bytes it would send for this call, computed without rendering
   * (past `budget`, some number above it), so the plan can refuse an oversized prompt before any call.
   */
  promptBytes?(tool: ToolSpec, args: Record<string, unknown>, budget: number): number;
  /** Figures only the backend knows, written into the manifest at the end (e.g. replica attempts and ejections). */
  runtimeStats?(): Record<string, unknown> | undefined;
  close?(): Promise<void>;
  /** A session ended (or was cut short): a stateful target drops what it kept for this key. */
  endSession?(key: string): Promise<void>;
}
