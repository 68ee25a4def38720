/**
 * What an error message may quote of a file the user named. Any path is allowed (a dataset outside the suite's
 * folder is normal), so a typo can point `dataset:` or `file:` at /etc/shadow, a key file or a binary, and
 * the message must not print its contents. The rule: a file's text is quoted only once it looks like the
 * kind of file it was named as (a JSONL file whose first line is JSON, a YAML mapping with at least one key of
 * its kind); before that, the message says what it is not and where, and quotes nothing. A row of a
 * valid-looking dataset may be quoted (it is the user's data, and seeing it is how they fix it).
 */

import { LineCounter, parseDocument } from 'yaml';

/** Byte offset of the first NUL (binary data: no text file has one), or -1. */
export function nulAt(bytes: Uint8Array): number {
  return bytes.indexOf(0);
}

/** Why `bytes` is not a file of JSON lines, quoting none of it; undefined when its first non-blank line is JSON. */
export function notJsonLines(bytes: Buffer): string | undefined {
  const nul = nulAt(bytes);
  if (nul >= 0) return `it holds binary data (a NUL byte at byte ${nul})`;
  // Only the first non-blank line is decoded: the file may be gigabytes.
  let line = 0;
  for (let start = 0; start < bytes.length;) {
    const nl = bytes.indexOf(0x0a, start);
    const end = nl < 0 ? bytes.length : nl;
    line++;
    const text = bytes.toString('utf8', start, end).replace(/^\uFEFF/, '');
    if (text.trim()) {
      try {
        JSON.parse(text);
        return undefined;
      } catch {
        return `line ${line} is not JSON`;
      }
    }
    start = end + 1;
  }
  return undefined;
}

/**
 * Why a parsed YAML/JSON file is not a mapping of `kind` (one of whose `keys` it must have), quoting none of
 * it; undefined when it looks like one.
 */
export function notMappingOf(value: unknown, bytes: Uint8Array, keys: readonly string[]): string | undefined {
  const nul = nulAt(bytes);
  if (nul >= 0) return `it holds binary data (a NUL byte at byte ${nul})`;
  if (value === null || value === undefined) return 'it is empty';
  if (typeof value !== 'object' || Array.isArray(value))
    return `its top level is ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}, not a mapping of keys`;
  if (!Object.keys(value).some((k) => keys.includes(k))) return `none of its top-level keys is one it would have (${keys.slice(0, 5).join(', ')}, ...)`;
  return undefined;
}

/**
 * A YAML parser's message without the text it quotes (`Unexpected scalar token in YAML stream: "..."`): a file
 * with syntax errors is not yet known to be what it was named as; the position says where to look.
 */
export function withoutQuotedText(message: string): string {
  return message.replace(/"(?:[^"\\]|\\.)*"/g, '(text not shown)');
}

/**
 * A YAML file named by the user (a prompt template, a judge rubric) parsed; throws an Error whose message quotes
 * none of it: binary data, or the syntax error with its line and column (yaml's pretty errors print the line).
 */
export function parseUserYaml(bytes: Buffer): unknown {
  const nul = nulAt(bytes);
  if (nul >= 0) throw new Error(`not a text file: it holds binary data (a NUL byte at byte ${nul})`);
  const text = bytes.toString('utf8');
  const lines = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, lineCounter: lines });
  const err = doc.errors[0];
  if (err) {
    const { line, col } = lines.linePos(err.pos[0]);
    throw new Error(`not valid YAML: line ${line}, column ${col}: ${withoutQuotedText(err.message)}`);
  }
  return doc.toJS({ maxAliasCount: 1000 });
}

/**
 * JSON.parse's message without the piece of the text V8 quotes (`Unexpected token 'r', "root:$6$sa"... is not
 * valid JSON`), for a JSON file that may not be one; positions ("at position 12") are kept.
 */
export function jsonErrorWithoutText(message: string): string {
  const first = message.split('\n')[0];
  return / is not valid JSON$/.test(first) ? 'it is not JSON' : withoutQuotedText(first).slice(0, 200);
}
