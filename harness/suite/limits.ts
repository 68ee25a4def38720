/**
 * The suite's `limits:` section: the caps that keep one hostile or oversized answer, input or invariant from
 * hanging, exhausting or corrupting a run. Every cap has a documented default (README, "Limits"); a suite
 * changes only the ones it needs. Each outcome past a cap is classified and recorded, never silent:
 *   record_text_chars    what a record stores of the raw answer and of each text of its request: whole up
 *                        to it, then the head with the size and sha256 (records/stored-text.ts,
 *                        records/stored-request.ts);
 *   json_depth           bracket nesting past it is `output_too_deep`, never parsed (util/json-depth.ts);
 *   invariant_timeout_ms time budget of one invariant on one answer (an invariant may set its own
 *                        `timeout_ms`); past it the invariant fails with reason `timeout`;
 *   response_bytes       an answer's body is read no further: error class `response_too_large`, the
 *                        record keeps the head (net/capped-body.ts);
 *   prompt_bytes         a rendered prompt past it is refused at plan time, exit 2, naming the tool and
 *                        call (run/prompt-size-check.ts).
 */
import { DEFAULT_MAX_JSON_DEPTH } from '../util/json-depth.js';
import { DEFAULT_RECORD_TEXT_CHARS } from '../records/stored-text.js';
import { DEFAULT_RESPONSE_BYTES } from '../net/capped-body.js';

export interface Limits {
  record_text_chars: number;
  json_depth: number;
  invariant_timeout_ms: number;
  response_bytes: number;
  prompt_bytes: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  record_text_chars: DEFAULT_RECORD_TEXT_CHARS,
  json_depth: DEFAULT_MAX_JSON_DEPTH,
  // Shipped invariants take well under a millisecond per answer; a second is slack for a loaded machine.
  invariant_timeout_ms: 1000,
  response_bytes: DEFAULT_RESPONSE_BYTES,
  // About 250k tokens: past any served model's context. The default suite's prompts are about 3 KB.
  prompt_bytes: 1 << 20,
});

export function resolveLimits(raw: Partial<Limits> | undefined): Limits {
  return { ...DEFAULT_LIMITS, ...(raw ?? {}) };
}
