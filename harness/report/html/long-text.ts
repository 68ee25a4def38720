/**
 * A long text in report.html: its first characters, then its full size. One 200 MB answer (or an 18 MB prompt)
 * must not make a 200 MB report.html that no browser opens; the records keep what was stored, and the page only
 * has to show what the model did. Pure; the caller escapes nothing, this returns escaped HTML.
 */
import { escapeHtml } from './escape.js';

/** Characters of a text shown in a report pane. */
export const SHOWN_CHARS = 4096;

/** `fullBytes`: the size of the whole text when `text` is already a stored head (a record's raw_cut.bytes). */
export function longTextHtml(text: string, fullBytes?: number): string {
  const bytes = fullBytes ?? Buffer.byteLength(text);
  if (text.length <= SHOWN_CHARS && bytes <= Buffer.byteLength(text)) return escapeHtml(text);
  let end = Math.min(SHOWN_CHARS, text.length);
  const c = text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return `${escapeHtml(text.slice(0, end))}${escapeHtml(`\n… (${sizeText(bytes)}, showing the first ${end.toLocaleString('en-US')} characters)`)}`;
}

/** A JSON value pretty-printed for a <pre> block, cut like any long text. */
export function longJsonHtml(value: unknown): string {
  return value === undefined ? escapeHtml('(none)') : longTextHtml(JSON.stringify(value, null, 2) ?? 'undefined');
}

function sizeText(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} KB`;
  return `${bytes} bytes`;
}
