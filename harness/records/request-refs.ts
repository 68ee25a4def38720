/**
 * A record's request with its shared texts taken out (for the line) and put back (for a reader that shows or
 * sends the request). `request_refs` (record version 2) lists, per text taken out, the JSON Pointer of the string
 * it was in, its character offset in the whole string, its sha256 (its line in the run folder's texts.jsonl,
 * text-store.ts) and its length. Refs of one string are in ascending offset order, so putting them back in
 * order rebuilds the string exactly.
 */
import { UserError } from '../util/errors.js';
import { markSharedTexts, valueAt, withValuesAt, type SharedPiece } from '../util/shared-text.js';
import { hasSecrets, redactText } from '../util/redact.js';
import type { TextIds, TextStore } from './text-store.js';
import type { RequestRef, RunRecord } from './types.js';

/**
 * Characters either side of a place where a text is taken out that are checked with the redactor: a secret (or a
 * URL's credentials) spanning the join must not escape the line's redaction by being split in two, nor may the
 * two sides, now next to each other in the line, look like one.
 */
const JOIN_WINDOW = 64;

const joinIsClean = (left: string, right: string): boolean => {
  const l = left.slice(-JOIN_WINDOW);
  const r = right.slice(0, JOIN_WINDOW);
  // Without a registered secret the redactor changes only URL credentials, which need an '@': the usual case
  // (a prompt's schemas beside a call's arguments) is decided without building and scanning the joined text.
  if (!hasSecrets() && !l.includes('@') && !r.includes('@')) return true;
  const t = l + r;
  return redactText(t) === t;
};

/**
 * The request without its shared texts, and the refs that put them back; undefined when nothing is taken out (a
 * mark that does not match the request, or no text that can be stored), and the request goes into the line whole.
 */
export function requestWithoutShared(request: unknown, shared: readonly SharedPiece[], texts: TextIds): { request: unknown; refs: RequestRef[] } | undefined {
  const refs: RequestRef[] = [];
  const strings = new Map<string, { whole: string; kept: string; from: number }>();
  for (const p of shared) {
    let s = strings.get(p.path);
    if (!s) {
      const whole = valueAt(request, p.path);
      if (typeof whole !== 'string') return undefined;
      strings.set(p.path, (s = { whole, kept: '', from: 0 }));
    }
    const end = p.at + p.text.length;
    // The mark must describe this very request: in order, inside the string, and the text really there.
    // slice + === rather than startsWith(text, at): V8 compares the latter character by character (~8 µs for a
    // 3 KB prompt part, on every call), the former as a block.
    // The string the template built (the same object: a pointer compare) needs no look at the text itself.
    if (p.at < s.from || end > s.whole.length || (s.whole !== p.in && s.whole.slice(p.at, end) !== p.text)) return undefined;
    const before = s.kept + s.whole.slice(s.from, p.at);
    const after = s.whole.slice(end, end + JOIN_WINDOW);
    if (!joinIsClean(before, p.text) || !joinIsClean(p.text, after) || !joinIsClean(before, after)) continue;
    const id = texts.idOf(p.text);
    if (id === undefined) continue;
    s.kept = before;
    s.from = end;
    refs.push({ path: p.path, at: p.at, sha256: id, chars: p.text.length });
  }
  if (refs.length === 0) return undefined;
  const values = new Map<string, string>();
  for (const [path, s] of strings) if (s.from > 0) values.set(path, s.kept + s.whole.slice(s.from));
  return { request: withValuesAt(request, values), refs };
}

/**
 * The request as it was sent: the record's request with each referenced text put back from `texts`, marked as
 * holding those shared texts again (so a record made from it, by replay, stores them once too). A record
 * without refs (version 1, or nothing shared) gives its request as it is. A ref that does not resolve (the text is
 * not in texts.jsonl, the path is not a string, the offset is past its end) is an error naming `where` (file
 * and line of the record) and the texts file.
 */
export function resolveRequest(record: Pick<RunRecord, 'request' | 'request_refs'>, texts: TextStore | undefined, where: string): unknown {
  const refs = record.request_refs;
  if (!refs?.length) return record.request;
  const fail = (i: number, why: string): never => {
    throw new UserError(`${where}: request_refs[${i}] (${refs[i]?.path}): ${why}`);
  };
  const strings = new Map<string, string>();
  const pieces: SharedPiece[] = [];
  refs.forEach((ref, i) => {
    if (ref === null || typeof ref !== 'object' || typeof ref.path !== 'string' || typeof ref.sha256 !== 'string' || !Number.isInteger(ref.at) || ref.at < 0) {
      fail(i, 'not a reference {path, at, sha256, chars}');
    }
    const text = texts?.get(ref.sha256);
    if (text === undefined) fail(i, `text ${ref.sha256} is not in ${texts?.file ?? 'texts.jsonl (the run folder has none)'}`);
    let s = strings.get(ref.path);
    if (s === undefined) {
      const v = valueAt(record.request, ref.path);
      if (typeof v !== 'string') fail(i, 'the request has no string there');
      s = v as string;
    }
    if (ref.at > s.length) fail(i, `offset ${ref.at} is past the end of the string (${s.length} characters with the texts before it)`);
    strings.set(ref.path, s.slice(0, ref.at) + text + s.slice(ref.at));
    pieces.push({ path: ref.path, at: ref.at, text: text! });
  });
  return markSharedTexts(withValuesAt(record.request, strings) as object, pieces);
}

/** The sha256 of the first ref of `record` that `texts` lacks, or undefined when all resolve (report's check). */
export function missingText(record: Pick<RunRecord, 'request_refs'>, texts: TextStore | undefined): string | undefined {
  for (const ref of record.request_refs ?? []) if (!texts?.has(ref?.sha256)) return String(ref?.sha256);
  return undefined;
}
