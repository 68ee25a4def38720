/**
 * What parsing a response text gives: the status, the classified outcome and the value. Defined here, beside
 * the parser that produces it; scoring, records and the engine read it.
 */
import type { RepairKind } from './repair.js';

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
