/**
 * Recovers a JSON value from text that is almost JSON, and says which kinds of damage were repaired.
 *
 * Order: (1) raw control characters inside strings are escaped, which is exactly what Python's
 * `json.loads(strict=False)` accepts and the commonest damage in real simulator answers (208 of 600 MirrorAPI
 * answers); (2) unescaped quotes inside strings are escaped where JSON.parse stops just after one (a Python
 * repr pasted into a JSON string: `"{'name': "Et'hem"}"`), the case jsonrepair throws on (see escapeInnerQuotes);
 * (3) a text that ends inside an open string or container gets the hand-written truncation repair
 * (truncation.ts); (4) everything else goes to `jsonrepair`, chosen by measurement over json5, dirty-json,
 * best-effort-json-parser and partial-json (figures in the README's parse section): it handles Python
 * literals and single quotes, trailing commas, unescaped inner quotes and more, is maintained, and is fast.
 *
 * Only texts that start like a JSON container ({ or [) are repaired: jsonrepair turns any prose into a string
 * or a list of words, which would be a "repaired" parse of an answer that holds no JSON at all.
 * The kinds are found by looking at the text (see classify); they describe, they do not decide the outcome.
 */
import { jsonrepair } from 'jsonrepair';
import { endsOpen, repairTruncated } from './truncation.js';

export type RepairKind = 'control_characters' | 'python_literals' | 'trailing_commas' | 'unescaped_quotes' | 'truncation' | 'other';

export interface Repaired {
  value: unknown;
  repairs: RepairKind[];
  note: string;
}

/** Repairs `text` (already trimmed), or returns undefined when it does not start like a container or cannot be repaired. */
export function repairJson(text: string): Repaired | undefined {
  const c = text.charCodeAt(0);
  if (c !== 123 && c !== 91) return undefined;
  const escaped = escapeControlCharacters(text);
  const hadControl = escaped !== text;
  if (hadControl) {
    const v = tryParse(escaped);
    if (v.ok) return { value: v.value, repairs: ['control_characters'], note: 'escaped raw control characters inside strings' };
  }
  const base: RepairKind[] = hadControl ? ['control_characters'] : [];
  const quoted = escapeInnerQuotes(escaped);
  if (quoted.ok)
    return {
      value: quoted.value,
      repairs: [...base, 'unescaped_quotes'],
      note: `escaped ${quoted.escaped} unescaped quote${quoted.escaped === 1 ? '' : 's'} inside strings`,
    };
  const attempts: [string, RepairKind[]][] = [
    [escaped, base],
    [quoted.text, quoted.escaped > 0 ? [...base, 'unescaped_quotes'] : base],
  ];
  for (const [t, kinds] of attempts) {
    if (!endsOpen(t)) continue;
    const r = repairTruncated(t, 0);
    if (r) return { value: r.value, repairs: [...kinds, 'truncation'], note: r.note };
  }
  let fixed: string;
  try {
    fixed = jsonrepair(text);
  } catch {
    return undefined;
  }
  const v = tryParse(fixed);
  if (!v.ok) return undefined;
  const repairs = classify(text, fixed, hadControl);
  return { value: v.value, repairs, note: `repaired: ${repairs.join(', ').replace(/_/g, ' ')}` };
}

type Attempt = { ok: true; value: unknown } | { ok: false };

const MAX_QUOTE_FIXES = 64;
const AT_POSITION = / at position (\d+)/;
const UNTERMINATED = /^Unterminated string/;

/**
 * Escapes quotes that end a string too early. JSON.parse names the position where it stopped; when the text
 * between the last `"` before that position and the position is at most one delimiter (`"Can't` stops at
 * `C`; `"}"` stops after the `}`; `", 'b'` stops at the `'`) and the parse did not stop at a closer (a
 * trailing comma: `"a", ]`), that quote was not the string's end: it is
 * escaped and the parse retried, at most MAX_QUOTE_FIXES times. Returns the value, or the text as far as it
 * was fixed (for the truncation repair) and how many quotes were escaped.
 */
export function escapeInnerQuotes(text: string): { ok: true; value: unknown; escaped: number } | { ok: false; text: string; escaped: number } {
  let t = text;
  for (let escaped = 0; escaped <= MAX_QUOTE_FIXES; escaped++) {
    let message: string;
    try {
      return { ok: true, value: JSON.parse(t), escaped };
    } catch (err) {
      message = (err as Error).message;
    }
    const m = AT_POSITION.exec(message);
    // A text that ends inside a string is a truncation (the closer's job), not a quote problem.
    if (!m || escaped === MAX_QUOTE_FIXES || UNTERMINATED.test(message)) return { ok: false, text: t, escaped };
    const p = Number(m[1]);
    const q = t.lastIndexOf('"', p - 1);
    // A closer at p is a trailing comma or a missing value, not a quote problem.
    // After a closer, only another quote says the string went on (`"}"`); words are prose after the JSON.
    const stop = t.charCodeAt(p) === 125 || t.charCodeAt(p) === 93;
    const gap = t.slice(q + 1, p);
    const closed = /[}\]]/.test(gap) && t.charCodeAt(p) !== 34;
    if (stop || closed || q <= 0 || t.charCodeAt(q - 1) === 92 || !/^\s*[,:}\]]?\s*$/.test(gap)) return { ok: false, text: t, escaped };
    t = t.slice(0, q) + '\\"' + t.slice(q + 1);
  }
  return { ok: false, text: t, escaped: MAX_QUOTE_FIXES };
}

function tryParse(text: string): Attempt {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Escapes U+0000..U+001F inside double-quoted strings; the rest of the text is left alone. */
export function escapeControlCharacters(text: string): string {
  let out: string[] | undefined;
  let from = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!inString) {
      if (c === 34) inString = true;
      continue;
    }
    if (c === 92) i++;
    else if (c === 34) inString = false;
    else if (c < 32) {
      (out ??= []).push(text.slice(from, i), CONTROL_ESCAPES[c] ?? `\\u${c.toString(16).padStart(4, '0')}`);
      from = i + 1;
    }
  }
  return out ? out.join('') + text.slice(from) : text;
}

const CONTROL_ESCAPES: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' };

/**
 * Which kinds of damage the text shows, looked for outside double-quoted strings (Python literals, single
 * quotes, trailing commas), by the text ending open (truncation), and by jsonrepair having escaped quotes
 * the text did not escape (unescaped inner quotes). Heuristic by nature: a text whose strings are already
 * broken can hide a kind; `other` is reported when none is seen.
 */
export function classify(text: string, fixed: string, hadControl: boolean): RepairKind[] {
  const kinds: RepairKind[] = [];
  if (hadControl) kinds.push('control_characters');
  let python = false;
  let trailing = false;
  let inString = false;
  for (let i = 0; i < text.length && !(python && trailing); i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 39) python = true;
    else if (c === 84 || c === 70 || c === 78) python ||= /^(?:True|False|None)\b/.test(text.slice(i, i + 6)) && !/\w/.test(text[i - 1] ?? '');
    else if (c === 44) trailing ||= /^,\s*[}\]]/.test(text.slice(i, i + 64));
  }
  if (python) kinds.push('python_literals');
  if (trailing) kinds.push('trailing_commas');
  if (countEscapedQuotes(fixed) > countEscapedQuotes(text)) kinds.push('unescaped_quotes');
  if (endsOpen(text)) kinds.push('truncation');
  if (kinds.length === 0) kinds.push('other');
  return kinds;
}

function countEscapedQuotes(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\\"'); i >= 0; i = s.indexOf('\\"', i + 2)) n++;
  return n;
}
