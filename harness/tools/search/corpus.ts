/**
 * Retrieval corpora in the two de-facto JSONL shapes:
 *   {id, contents}      Search-R1 / FlashRAG (wiki-18): the first line of `contents` is the title
 *                       (wiki-18 wraps it in double quotes, which the title field drops, as Search-R1's own
 *                       BM25 server does), the rest is the text;
 *   {id, title, text}   DPR / BEIR style.
 * Every document keeps `contents` exactly as served by a Search-R1 retriever: the corpus line's own `contents`,
 * byte for byte (quotes, inner spacing and all), or for a DPR-style row `title\ntext`. Trainers build their
 * `<information>` blocks from it, so a changed byte is a changed training input.
 * Extra keys are allowed and ignored (corpora often carry urls or metadata). A bad row is reported as
 * file:line with what was expected; under on_bad_row 'skip' it is left out and the reading goes on.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { UserError, type Problem } from '../../util/errors.js';
import { forEachJsonlLine } from './jsonl-lines.js';

export interface CorpusDoc {
  id: string;
  title: string;
  text: string;
  /** What a Search-R1 retriever serves as `document.contents`: the row's `contents` unchanged. */
  contents: string;
}

export interface CorpusReadOptions {
  /** Path as shown in messages (default: the path itself). */
  display?: string;
  on_bad_row?: 'fail' | 'skip';
  /** At most this many problems are collected before a failing read stops (default 20). */
  max_problems?: number;
}

export interface CorpusReadResult {
  docs: number;
  /** Problems of skipped rows (on_bad_row 'skip'). */
  skipped: Problem[];
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const idOf = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' && Number.isInteger(v) ? String(v) : undefined);

/** Splits Search-R1's `contents` into title (first line, surrounding quotes removed) and text. */
export function splitContents(contents: string): { title: string; text: string } {
  const nl = contents.indexOf('\n');
  const first = (nl === -1 ? contents : contents.slice(0, nl)).trim();
  const title = first.length >= 2 && first.startsWith('"') && first.endsWith('"') ? first.slice(1, -1) : first;
  return { title, text: nl === -1 ? '' : contents.slice(nl + 1).trim() };
}

/** The Search-R1 `contents` of a document: title line, then text. */
export function joinContents(doc: { title: string; text: string }): string {
  return doc.text ? `${doc.title}\n${doc.text}` : doc.title;
}

/** One corpus line to a document, or the reason it is not one. */
export function parseCorpusRow(text: string): { doc?: CorpusDoc; error?: { path: string; message: string } } {
  let row: unknown;
  try {
    row = JSON.parse(text);
  } catch (err) {
    return { error: { path: '', message: `not valid JSON: ${(err as Error).message}` } };
  }
  if (!isObject(row)) return { error: { path: '', message: 'expected an object {id, contents} or {id, title, text}' } };
  const id = idOf(row.id);
  if (id === undefined) return { error: { path: 'id', message: `expected a non-empty string or integer id, found ${JSON.stringify(row.id) ?? 'nothing'}` } };
  if (typeof row.contents === 'string') {
    const { title, text: body } = splitContents(row.contents);
    if (!title && !body) return { error: { path: 'contents', message: 'expected non-empty contents (title on the first line, then the text)' } };
    return { doc: { id, title, text: body, contents: row.contents } };
  }
  if (typeof row.title === 'string' || typeof row.text === 'string') {
    const title = typeof row.title === 'string' ? row.title.trim() : '';
    const body = typeof row.text === 'string' ? row.text.trim() : '';
    if (row.text !== undefined && typeof row.text !== 'string') return { error: { path: 'text', message: 'expected a string' } };
    if (row.title !== undefined && typeof row.title !== 'string') return { error: { path: 'title', message: 'expected a string' } };
    if (!title && !body) return { error: { path: 'text', message: 'expected a non-empty title or text' } };
    return { doc: { id, title, text: body, contents: joinContents({ title, text: body }) } };
  }
  return { error: { path: 'contents', message: 'expected "contents" (Search-R1 style) or "title"/"text" (DPR style) strings' } };
}

/**
 * Streams a corpus file to `onDoc`. Duplicate ids are bad rows too (a retriever would return one id for two
 * documents). Throws a UserError listing the problems when a row is bad and on_bad_row is 'fail'.
 */
export function readCorpus(path: string, onDoc: (doc: CorpusDoc) => void, opts: CorpusReadOptions = {}): CorpusReadResult {
  const display = opts.display ?? path;
  const skip = opts.on_bad_row === 'skip';
  const maxProblems = opts.max_problems ?? 20;
  const seen = new Set<string>();
  const problems: Problem[] = [];
  let docs = 0;
  let jsonSeen = false;
  try {
    forEachJsonlLine(path, (text, line) => {
      // A row's problem quotes JSON.parse's message (a piece of the line): only once the file has shown itself to be
      // JSON lines; a path that is not a corpus is refused without quoting it (util/foreign-file.ts).
      if (!jsonSeen) {
        try {
          JSON.parse(text);
          jsonSeen = true;
        } catch {
          throw new UserError(`corpus ${display}: not a JSONL corpus: line ${line} is not JSON`);
        }
      }
      const { doc, error } = parseCorpusRow(text);
      let problem = error;
      if (doc && seen.has(doc.id)) problem = { path: 'id', message: `duplicate id "${doc.id}"` };
      if (problem) {
        problems.push({ file: display, line, column: 1, ...problem });
        if (!skip && problems.length >= maxProblems) throw new StopReading();
        return;
      }
      seen.add(doc!.id);
      docs++;
      if (skip || problems.length === 0) onDoc(doc!);
    });
  } catch (err) {
    if (!(err instanceof StopReading)) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new UserError(`corpus ${display}: no such file`);
      throw err;
    }
  }
  if (problems.length && !skip) {
    throw new UserError(
      `corpus ${display}: ${problems.length}${problems.length >= maxProblems ? '+' : ''} bad row(s); fix them or set on_bad_row: skip`,
      problems,
    );
  }
  if (docs === 0) throw new UserError(`corpus ${display}: no documents`);
  return { docs, skipped: problems };
}

class StopReading extends Error {}

/** sha256 of a file's bytes, read in chunks (corpora can be larger than a string may hold). */
export function sha256File(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(1 << 22);
  try {
    for (let n = readSync(fd, buf, 0, buf.length, null); n > 0; n = readSync(fd, buf, 0, buf.length, null)) hash.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}
