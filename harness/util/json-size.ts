/**
 * The UTF-8 size of JSON.stringify(value, null, indent), computed without building the text, and given up as
 * soon as it passes a budget. Why: a YAML file's aliases make a value whose text is thousands of times the
 * file's size (a 164 KB tool file became 120 MB prompts), so a prompt's size must be known before the prompt is
 * rendered; walking stops at the budget, so a value shared a million times costs no more than the budget.
 */

/** Past `budget` the walk stops and returns a number greater than `budget` (not the exact size). */
export function jsonByteSize(value: unknown, indent: number, budget: number): number {
  let size = 0;
  const over = () => size > budget;
  // Returns false when `v` is omitted in an object (undefined, a function, a symbol), as JSON.stringify does.
  const walk = (v: unknown, depth: number, key: string): boolean => {
    if (over()) return true;
    if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
      v = (v as { toJSON: (k: string) => unknown }).toJSON(key);
    }
    switch (typeof v) {
      case 'string':
        size += stringSize(v);
        return true;
      case 'number':
        size += Number.isFinite(v) ? String(v).length : 4;
        return true;
      case 'boolean':
        size += v ? 4 : 5;
        return true;
      case 'bigint':
        // JSON.stringify throws on it; the render would fail the same way, later. Count its digits.
        size += String(v).length;
        return true;
      case 'undefined':
      case 'function':
      case 'symbol':
        return false;
    }
    if (v === null) {
      size += 4;
      return true;
    }
    const pad = indent > 0 ? indent * (depth + 1) : 0;
    // Per entry: a newline and the indentation when pretty (JSON.stringify's layout), a comma between entries.
    const entry = indent > 0 ? 1 + pad : 0;
    if (Array.isArray(v)) {
      if (v.length === 0) return ((size += 2), true);
      size += 2 + (v.length - 1) + v.length * entry + (indent > 0 ? 1 + indent * depth : 0);
      for (let i = 0; i < v.length && !over(); i++) if (!walk(v[i], depth + 1, String(i))) size += 4; // null
      return true;
    }
    let n = 0;
    const start = size;
    for (const k of Object.keys(v as object)) {
      if (over()) return true;
      const before = size;
      size += stringSize(k) + (indent > 0 ? 2 : 1) + entry;
      if (walk((v as Record<string, unknown>)[k], depth + 1, k)) n++;
      else size = before;
    }
    if (n === 0) size = start + 2;
    else size += 2 + (n - 1) + (indent > 0 ? 1 + indent * depth : 0);
    return true;
  };
  walk(value, 0, '');
  return size;
}

/** Bytes of JSON.stringify(s): plain strings (the common case) without building the escaped copy. */
function stringSize(s: string): number {
  // eslint-disable-next-line no-control-regex
  if (!/[\u0000-\u001f"\\\u007f-\uffff]/.test(s)) return s.length + 2;
  return Buffer.byteLength(JSON.stringify(s));
}
