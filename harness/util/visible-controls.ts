/**
 * Control characters made visible for the viewers of what gtm-bench writes. A model answer may hold NUL or an
 * escape sequence (ESC [ 2 J clears a terminal; NUL cuts a string short in C-based tools and spreadsheets; a
 * browser drops or mangles C0 and C1 controls): report.html and the CSV exports show each as `\u0000` (the
 * form records.jsonl holds it in), so the text is neither broken nor silently changed. Tab, line feed and
 * carriage return are ordinary text and stay.
 */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const CONTROLS = new RegExp(CONTROL.source, 'g');

export function showControls(text: string): string {
  return CONTROL.test(text) ? text.replace(CONTROLS, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) : text;
}
