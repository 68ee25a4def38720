/**
 * What a record keeps of a long text (the raw answer, a rendered prompt): the whole text up to a cap, else its
 * head with the full size and sha256, so the record says exactly what was cut and two runs' answers can still
 * be told equal or different. One 200 MB answer must not become a 200 MB line in every later read.
 */
import { sha256 } from '../util/hash.js';

/** Default cap on the raw answer text a record stores (characters). */
export const DEFAULT_RECORD_TEXT_CHARS = 1 << 20;

export interface TextCut {
  /** Length of the whole text in UTF-16 code units (what String.length gives) and in UTF-8 bytes. */
  chars: number;
  bytes: number;
  sha256: string;
  /** Characters kept. */
  kept: number;
}

/** The text to store and, when cut, what was cut. A surrogate pair is never split. */
export function storedText(text: string, cap: number): { text: string; cut?: TextCut } {
  if (text.length <= cap) return { text };
  let end = cap;
  const c = text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return { text: text.slice(0, end), cut: { chars: text.length, bytes: Buffer.byteLength(text), sha256: sha256(text), kept: end } };
}
