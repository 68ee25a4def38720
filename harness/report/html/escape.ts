import { showControls } from '../../util/visible-controls.js';

/**
 * HTML escaping for text and attribute values: everything from records (model output included) goes through
 * it. Control characters (NUL, ESC...) are shown as \u0000: a browser would drop or mangle them.
 */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return showControls(text).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** Numbers in tables: integers as they are, others to a precision that suits their size. */
export function formatCell(value: string | number | boolean | null): string {
  if (value === null) return '–';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return String(value);
    if (Number.isInteger(value)) return String(value);
    return Math.abs(value) >= 100 ? value.toFixed(1) : Math.abs(value) >= 1 ? value.toFixed(2) : value.toFixed(3);
  }
  return String(value);
}
