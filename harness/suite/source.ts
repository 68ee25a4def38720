/**
 * A YAML or JSON input file kept together with its parse tree, so that any JSON pointer into the parsed
 * value (ajv's `instancePath`, or one we build) can be turned back into file:line:column. JSON goes
 * through the same YAML parser (JSON is YAML 1.2), so both formats get the same positions and messages.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isAlias, isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { Problem } from '../util/errors.js';
import type { SourcePosition } from './types.js';
import { sha256 } from '../util/hash.js';
import { displayPath } from '../util/display-path.js';
import { withoutQuotedText } from '../util/foreign-file.js';

export interface SourceFile {
  /** Absolute path. */
  path: string;
  /** Path as shown in messages: relative to the working folder when inside it. */
  display: string;
  bytes: Buffer;
  text: string;
  sha256: string;
  doc: Document.Parsed;
  lines: LineCounter;
  /** The parsed value (undefined when the file had syntax errors). */
  value: unknown;
  /** YAML syntax problems; when non-empty, `value` is not to be trusted. */
  syntaxProblems: Problem[];
}

/** Reads and parses a file; throws only on read errors (the caller turns those into a problem). */
export function readSource(absPath: string): SourceFile {
  return parseSource(readFileSync(absPath), absPath);
}

/** Parses YAML or JSON text; `display` names it in problems (a dataset row uses its dataset's path). */
export function parseSource(bytes: Buffer, absPath: string, display = displayPath(absPath)): SourceFile {
  const text = bytes.toString('utf8');
  const lines = new LineCounter();
  // prettyErrors off: we print our own `file:line:col` prefix, so yaml's own "at line X" would repeat it.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const src: SourceFile = { path: absPath, display, bytes, text, sha256: sha256(bytes), doc, lines, value: undefined, syntaxProblems: [] };
  for (const err of doc.errors) {
    const { line, col } = lines.linePos(err.pos[0]);
    // Without the text it quotes: a file with syntax errors is not yet known to be a suite (util/foreign-file.ts).
    src.syntaxProblems.push({ file: display, line, column: col, path: '', message: `YAML syntax error: ${withoutQuotedText(err.message)}` });
  }
  if (src.syntaxProblems.length) return src;
  try {
    src.value = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    // toJS refuses alias bombs and similar; the document as a whole is the problem.
    src.syntaxProblems.push({ file: display, line: 1, column: 1, path: '', message: `YAML error: ${(err as Error).message}` });
  }
  return src;
}

export function splitPointer(pointer: string): string[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function joinPointer(parent: string, key: string | number): string {
  return `${parent}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** `key` points at a map key itself (unknown keys); `value` (default) at the value under it. */
export type PointAt = 'value' | 'key';

interface Located {
  /** The node at the pointer, or null when the walk stopped early or landed on a key. */
  node: Node | null;
  /** Offset of what the pointer names, or of the deepest node found on the way. */
  offset: number;
}

/**
 * Walks the parse tree along `pointer`. When the pointer goes further than the tree (a missing key), the
 * deepest node found is used, which for a missing required property is the parent object, as wanted.
 */
function locate(src: SourceFile, pointer: string, at: PointAt): Located {
  let node: Node | null = (src.doc.contents as Node | null) ?? null;
  let offset = node?.range?.[0] ?? 0;
  const segments = splitPointer(pointer);
  for (const [index, segment] of segments.entries()) {
    if (node && isAlias(node)) node = (node.resolve(src.doc) as Node | undefined) ?? null;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
      if (!pair) return { node: null, offset };
      const key = pair.key as Node;
      const value = (pair.value as Node | null) ?? null;
      // An empty value (`key:` with nothing after) has no text of its own: point at its key instead.
      const emptyValue = !value?.range || (isScalar(value) && value.source === '' && value.value === null);
      if (at === 'key' && index === segments.length - 1) return { node: null, offset: key.range![0] };
      offset = emptyValue ? key.range![0] : value.range![0];
      node = value;
    } else if (isSeq(node)) {
      const item = (node.items[Number(segment)] as Node | undefined) ?? null;
      if (!item?.range) return { node: null, offset };
      offset = item.range[0];
      node = item;
    } else {
      return { node: null, offset };
    }
  }
  return { node, offset };
}

export function positionOf(src: SourceFile, pointer: string, at: PointAt = 'value'): SourcePosition {
  const { line, col } = src.lines.linePos(locate(src, pointer, at).offset);
  return { file: src.display, line, column: col };
}

/** The scalar at `pointer` with its raw text, for offsets inside a string (JSONata errors). */
export function scalarAt(src: SourceFile, pointer: string): { type?: string; start: number; raw: string } | undefined {
  const { node } = locate(src, pointer, 'value');
  if (!node || !isScalar(node) || !node.range) return undefined;
  return { type: node.type, start: node.range[0], raw: src.text.slice(node.range[0], node.range[1]) };
}

/** A problem at a pointer of a source file. */
export function problemAt(src: SourceFile, pointer: string, message: string, at: PointAt = 'value'): Problem {
  const pos = positionOf(src, pointer, at);
  return { file: pos.file, line: pos.line, column: pos.column, path: pointer, message };
}

/** Line and column of a character offset in the file. */
export function linePos(src: SourceFile, offset: number): { line: number; column: number } {
  const { line, col } = src.lines.linePos(offset);
  return { line, column: col };
}
