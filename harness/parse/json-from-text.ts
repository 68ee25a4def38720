/**
 * Takes a JSON value out of a simulator's text, and classifies how: `strict` (the text is JSON, or JSON in a
 * ``` fence or inside prose that it mostly fills), `repaired` (almost JSON, fixed: repair.ts names the kinds),
 * `fragment` (a value was found, but it covers only a small part of the text: a failed parse, its value is
 * not handed to the scorers), `none`. Nothing here throws: any input gives a ParsedOutput.
 *
 * Order of attempts: the whole text strict (`json`); ``` fences strict (`fenced`); a text starting with { or [
 * repaired whole (`repaired`, or `truncated` for a text cut off inside an open container); a balanced {...}
 * or [...] span strict (`embedded`); the first fence's content repaired; the span from the first bracket
 * repaired; then
 * whatever small value was seen becomes a `fragment`. Strict wins over repaired wherever both exist, and a
 * value must cover at least MIN_COVERAGE of the trimmed text to count: a 1,645-character answer with one bad
 * quote must not be scored on a `[]` picked from its middle.
 * Every step is linear in the text: fences are disjoint, the bracket scan has a fixed work budget (a multiple
 * of the text length), and each repair runs on at most three candidate texts.
 */
import type { ParsedOutput } from './parsed-output.js';
import { repairJson, type Repaired } from './repair.js';
import { repairTruncated } from './truncation.js';
import { DEFAULT_MAX_JSON_DEPTH, depthOver } from '../util/json-depth.js';

const NOTE_MAX = 200;
/** Share of the (trimmed) answer a value's source span must cover to count as the answer's value. */
export const MIN_COVERAGE = 0.5;

/** `maxDepth`: bracket nesting past it is `output_too_deep`, with no value (see util/json-depth.ts). */
export function parseToolOutput(raw: string | null | undefined, opts: { maxDepth?: number } = {}): ParsedOutput {
  try {
    const maxDepth = opts.maxDepth ?? DEFAULT_MAX_JSON_DEPTH;
    if (typeof raw === 'string' && depthOver(raw, maxDepth) > 0) {
      return { status: 'output_too_deep', outcome: 'none', note: `brackets nest deeper than ${maxDepth} levels; not parsed (${raw.length} characters)` };
    }
    return parse(raw);
  } catch (err) {
    // A safety net only (for example a stack overflow in JSON.parse or jsonrepair on absurd nesting).
    return { status: 'not_json', outcome: 'none', note: clip(`parser gave up: ${(err as Error)?.message ?? String(err)}`) };
  }
}

/** Found but too small: remembered while the other attempts run, reported only when none of them succeeds. */
interface Fragment {
  at: number;
  length: number;
}

function parse(raw: string | null | undefined): ParsedOutput {
  if (raw === null || raw === undefined) return { status: 'empty', outcome: 'none', note: 'no text' };
  if (typeof raw !== 'string') return { status: 'not_json', outcome: 'none', note: `not text (${typeof raw})` };
  const text = raw.trim(); // trim() also removes a byte-order mark
  if (text === '') return { status: 'empty', outcome: 'none' };
  const n = text.length;
  const covers = (len: number) => len >= MIN_COVERAGE * n;

  const whole = tryJson(text);
  if (whole.ok) return { status: 'json', outcome: 'strict', value: whole.value };

  let fragment: Fragment | undefined;
  const fences = fenceContents(text);
  for (const f of fences) {
    const a = tryJson(f.content);
    if (!a.ok) continue;
    if (covers(f.span)) return { status: 'fenced', outcome: 'strict', value: a.value, note: 'JSON inside a ``` code fence' };
    fragment ??= { at: f.at, length: f.content.length };
  }

  // A text that starts like JSON is repaired whole before any span inside it is looked at: its inner list
  // may parse on its own, and would otherwise win over the whole answer.
  const startsLikeJson = text.charCodeAt(0) === 123 || text.charCodeAt(0) === 91;
  if (startsLikeJson) {
    const r = repairJson(text);
    if (r) return repaired(r, 0, n);
  }

  const scanned = scan(text, covers);
  if (scanned.found) return scanned.found;
  fragment ??= scanned.fragment;

  // Then the first fence's content (a fence may also be left unclosed at a cut), then the first bracket on.
  const main = startsLikeJson ? { at: 0, content: text } : (fences[0] ?? openFence(text));
  if (main && main.at > 0 && covers(main.content.length)) {
    const r = repairJson(main.content);
    if (r) return repaired(r, main.at, n);
  }
  const first = firstBracket(text);
  if (first >= 0 && first !== main?.at && covers(n - first)) {
    const r = repairJson(text.slice(first));
    if (r) return repaired(r, first, n);
  }

  if (fragment) {
    return {
      status: 'fragment',
      outcome: 'fragment',
      coverage: round(fragment.length / n),
      note: `a JSON value of ${fragment.length} characters at character ${fragment.at} covers under ${MIN_COVERAGE * 100}% of the ${n}-character answer; not counted as its value`,
    };
  }
  return {
    status: 'not_json',
    outcome: 'none',
    note: clip(
      scanned.candidates === 0
        ? `no JSON value in the text (${whole.error})`
        : `no bracketed span parses as JSON, even repaired (first error: ${scanned.firstError ?? 'unclosed bracket'})`,
    ),
  };
}

function repaired(r: Repaired, at: number, n: number): ParsedOutput {
  const truncated = r.repairs.includes('truncation');
  const where = at > 0 ? `JSON at character ${at}; ` : '';
  return {
    status: truncated ? 'truncated' : 'repaired',
    outcome: 'repaired',
    repairs: r.repairs,
    value: r.value,
    coverage: round((n - at) / n),
    note: clip(where + r.note),
  };
}

type Attempt = { ok: true; value: unknown } | { ok: false; error: string };

/** JSON.parse without throwing; texts that cannot start a JSON value are refused without the cost of an exception. */
function tryJson(text: string): Attempt {
  const c = text.charCodeAt(0);
  // { [ " - 0-9 t f n
  const plausible = c === 123 || c === 91 || c === 34 || c === 45 || (c >= 48 && c <= 57) || c === 116 || c === 102 || c === 110;
  if (!plausible) return { ok: false, error: 'does not start like JSON' };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

/**
 * Closed ``` fences and their trimmed content, in order; `span` counts the fence with its markers, which is
 * what the coverage rule weighs. The info string (json, JSON, js...) is not checked.
 */
function fenceContents(text: string): { at: number; content: string; span: number }[] {
  const out: { at: number; content: string; span: number }[] = [];
  let at = text.indexOf('```');
  while (at >= 0) {
    const body = fenceBody(text, at);
    const close = text.indexOf('```', body);
    if (close < 0) break;
    const content = text.slice(body, close).trim();
    if (content !== '') out.push({ at: body, content, span: close + 3 - at });
    at = text.indexOf('```', close + 3);
  }
  return out;
}

/** An info string is a single word on the fence's line; anything else (```{"a":1}```) is already content. */
function fenceBody(text: string, at: number): number {
  const body = at + 3;
  const eol = text.indexOf('\n', body);
  return eol >= 0 && /^[\w+.-]*[ \t]*\r?$/.test(text.slice(body, eol)) ? eol + 1 : body;
}

/** The content of a fence opened and never closed (an answer cut off inside its fence). */
function openFence(text: string): { at: number; content: string } | undefined {
  const at = text.indexOf('```');
  if (at < 0 || text.indexOf('```', at + 3) >= 0) return undefined;
  const body = fenceBody(text, at);
  const content = text.slice(body).trim();
  return content === '' ? undefined : { at: body, content };
}

function firstBracket(text: string): number {
  return nextOpen(text, 0);
}

interface ScanResult {
  found?: ParsedOutput;
  fragment?: Fragment;
  candidates: number;
  firstError?: string;
}

/**
 * Bracket scan. Candidates start at each { or [ in document order; a candidate's end is found by depth counting
 * that skips string contents. A closed candidate that parses and covers enough of the text is the answer
 * (`embedded`); a smaller one is remembered as a fragment and the scan goes on past it. An unclosed candidate
 * is offered to the truncation repair. After a failed candidate the scan restarts just inside it (to find JSON
 * nested in a prose bracket) until the budget is spent, then jumps past it, so the total work stays linear.
 */
function scan(text: string, covers: (len: number) => boolean): ScanResult {
  const n = text.length;
  let budget = 8 * n + 4096;
  let repairsLeft = 3;
  const result: ScanResult = { candidates: 0 };
  let pos = 0;
  while (pos < n) {
    const s = nextOpen(text, pos);
    if (s < 0) break;
    result.candidates++;
    const e = matchingClose(text, s);
    budget -= (e < 0 ? n : e + 1) - s;
    if (e >= 0) {
      const a = tryJson(text.slice(s, e + 1));
      if (a.ok) {
        const len = e + 1 - s;
        if (covers(len)) {
          result.found = {
            status: 'embedded',
            outcome: 'strict',
            value: a.value,
            coverage: round(len / n),
            note: `JSON at character ${s}; ${n - len} characters of surrounding text ignored`,
          };
          return result;
        }
        result.fragment ??= { at: s, length: len };
        pos = e + 1;
        continue;
      }
      result.firstError ??= a.error;
      pos = budget > 0 ? s + 1 : e + 1;
    } else {
      if (repairsLeft > 0 && covers(n - s)) {
        repairsLeft--;
        const r = repairTruncated(text, s);
        budget -= n - s;
        if (r) {
          result.found = { status: 'truncated', outcome: 'repaired', repairs: ['truncation'], value: r.value, coverage: round((n - s) / n), note: r.note };
          return result;
        }
      }
      if (budget <= 0) break; // everything after s lies inside this unclosed candidate
      pos = s + 1;
    }
  }
  return result;
}

function nextOpen(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 123 || c === 91) return i;
  }
  return -1;
}

/** Index of the bracket closing the one at `s`, or -1. Counts depth only; a mismatch is caught by JSON.parse. */
function matchingClose(text: string, s: number): number {
  let depth = 0;
  let inString = false;
  for (let i = s; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      if (--depth === 0) return i;
    }
  }
  return -1;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function clip(s: string, max = NOTE_MAX): string {
  return s.length > max ? s.slice(0, max - 3) + '...' : s;
}
