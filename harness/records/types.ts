import type { CallError } from '../net/call-error.js';
import type { ParseOutcome, ParseStatus } from '../parse/parsed-output.js';
import type { RepairKind } from '../parse/repair.js';
import type { TextCut } from './stored-text.js';
import type { RequestCut } from './stored-request.js';

/**
 * 2: the request may leave out shared texts, stored once in the run folder's texts.jsonl (`request_refs`,
 * request-refs.ts), and `output` is left out when it is JSON.parse(raw) (record-output.ts). 1: both whole. Readers accept both (RECORD_VERSIONS); a record is always written as 2.
 */
export const RECORD_VERSION = 2;
export const RECORD_VERSIONS: readonly number[] = [1, 2];

/** A shared text left out of a record's request (records/request-refs.ts puts it back). */
export interface RequestRef {
  /** JSON Pointer (RFC 6901) of the string in the request, e.g. `/messages/1/content`. */
  path: string;
  /** Character offset (UTF-16 code units) of the text in the whole string. */
  at: number;
  sha256: string;
  /** The text's length in UTF-16 code units. */
  chars: number;
}

/** Token counts as the model server reported them for a call (OpenAI `usage`). */
export interface TokenUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** One line of records.jsonl: everything about one work item. The summary is a pure reduction over these. */
export interface RunRecord {
  v: 1 | typeof RECORD_VERSION;
  item_id: string;
  call_id: string;
  tool: string;
  dataset: string;
  expect_error: boolean;
  tags?: string[];
  target: string;
  /** The backend that produced this record (see Target.backend): every number names its producer. */
  backend: string;
  repeat: number;
  seed: number;
  started_at: string;
  request: unknown;
  raw: string | null;
  /** Set when `raw` holds only the head of a longer answer (see stored-text.ts). */
  raw_cut?: TextCut;
  /** Shared texts left out of `request`, stored once in texts.jsonl (request-refs.ts resolves them). */
  request_refs?: RequestRef[];
  /** Texts of `request` stored as their head (records/stored-request.ts): where each was, its size and sha256. */
  request_cut?: RequestCut[];
  /** Invalid UTF-8 sequences the server sent, stored as U+FFFD in `raw` (so raw is not byte for byte the answer). */
  invalid_utf8?: number;
  parse: { status: ParseStatus | 'none'; outcome?: ParseOutcome; repairs?: RepairKind[]; coverage?: number; note?: string };
  /** The parsed value; left out (since version 2) when it is JSON.parse(raw): read it with recordOutput() (record-output.ts). */
  output?: unknown;
  latency_ms: number;
  ttft_ms?: number;
  usage?: TokenUsage;
  retries: number;
  finish_reason?: string;
  /** For a target with several replicas: the base URL of the replica that made the last attempt. */
  replica?: string;
  /** Whether the response came from the response cache (`hit`), was sent for (`miss`), or the cache was not used (`off`). */
  cache?: 'hit' | 'miss' | 'off';
  error: CallError | null;
  /** metric name -> value (null = not applicable) and the scorer's reasons. */
  scores: Record<string, { value: number | null; reasons: string[] }>;
  /** For a step of a multi-turn session: the session row's id, the 0-based step and the session's length. */
  session?: { id: string; step: number; length: number };
}
