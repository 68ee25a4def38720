/**
 * `{{history}}`: the session so far, as a prompt shows it. Oldest first, one call per entry:
 *
 *     [1] write_file {"path":"/sandbox/a.txt","content":"hi"}
 *     => {"content":"Successfully wrote to /sandbox/a.txt"}
 *
 * (arguments as compact JSON on the call's line; the response as the target gave it, or the recorded real
 * one under `history: real`; `=> (no response: the call failed)` when there was none). A call outside a
 * session, or the first step, renders as `(none: this is the first call of the session)`.
 *
 * Truncation: a template may set `history_max_tokens`. Whole entries are dropped, oldest first, until the
 * rest fits, and a line says how many were left out; the newest entry is always kept. Tokens are counted
 * with the ratio of tokens to characters that the model server itself reported for this session's earlier
 * prompts (usage.prompt_tokens over the prompt's characters), so no tokenizer is guessed; before the server
 * has reported any (the first step has no history anyway), 1 token per 3 characters is assumed, which
 * overestimates for English and JSON and so errs on the side of fitting.
 */

/** An earlier call of the session as a target sees it. */
export interface SessionTurn {
  tool: string;
  arguments: Record<string, unknown>;
  /** The response text (the target's own, or the recorded real output as JSON); null when the call failed. */
  response: string | null;
}

export const NO_HISTORY = '(none: this is the first call of the session)';
export const DEFAULT_TOKENS_PER_CHAR = 1 / 3;

/** The call line of an entry: `[N] TOOL {json}`; one home for the format (the test stand-ins parse it). */
export const TURN_LINE = /^\[(\d+)\] (\S+) (\{.*\})$/gm;

export interface HistoryOptions {
  maxTokens?: number;
  tokensPerChar?: number;
}

function entry(turn: SessionTurn, n: number): string {
  const response = turn.response === null ? '(no response: the call failed)' : turn.response;
  return `[${n}] ${turn.tool} ${JSON.stringify(turn.arguments)}\n=> ${response}`;
}

export function renderHistory(turns: readonly SessionTurn[], opts: HistoryOptions = {}): string {
  if (!turns.length) return NO_HISTORY;
  const entries = turns.map((t, i) => entry(t, i + 1));
  if (opts.maxTokens === undefined) return entries.join('\n');
  const ratio = opts.tokensPerChar ?? DEFAULT_TOKENS_PER_CHAR;
  let budget = opts.maxTokens;
  let first = entries.length - 1;
  budget -= Math.ceil(entries[first].length * ratio);
  while (first > 0) {
    const cost = Math.ceil((entries[first - 1].length + 1) * ratio);
    if (cost > budget) break;
    budget -= cost;
    first--;
  }
  const kept = entries.slice(first).join('\n');
  return first === 0 ? kept : `(${first} earlier call${first === 1 ? '' : 's'} left out to fit the prompt)\n${kept}`;
}

/** The calls of a rendered history, in order (for stand-ins that replay them). */
export function parseRenderedHistory(prompt: string): { tool: string; arguments: Record<string, unknown> }[] {
  return [...prompt.matchAll(TURN_LINE)].map((m) => ({ tool: m[2], arguments: JSON.parse(m[3]) }));
}
