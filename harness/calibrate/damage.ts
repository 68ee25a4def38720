/**
 * Deliberate damage to a real tool response, the kinds real simulators produce (issue 11): each returns the
 * answer TEXT a simulator could have written for the call, or undefined when the kind does not apply to this
 * response. Pure and deterministic, so the shipped calibration set can be rebuilt byte for byte.
 */
export type DamageKind = 'undamaged' | 'raw_newlines' | 'python_repr' | 'stringified_json' | 'reordered_keys' | 'truncated' | 'other_call';

export const DAMAGE_KINDS: DamageKind[] = ['undamaged', 'raw_newlines', 'python_repr', 'stringified_json', 'reordered_keys', 'truncated', 'other_call'];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `other` is another call's real response (of the same tool), for `other_call`. */
export function damage(kind: DamageKind, value: unknown, other: unknown): string | undefined {
  switch (kind) {
    case 'undamaged':
      return JSON.stringify(value);
    case 'raw_newlines': {
      // Pretty-printed, and the first string with a space gets a raw newline in place of it.
      const text = JSON.stringify(value, null, 2);
      const m = /": "([^"\\\n]*?) ([^"\\\n]*)"/.exec(text);
      return m ? text.slice(0, m.index + 4 + m[1].length) + '\n' + text.slice(m.index + 5 + m[1].length) : undefined;
    }
    case 'python_repr':
      return pyRepr(value);
    case 'stringified_json':
      return JSON.stringify(JSON.stringify(value));
    case 'reordered_keys':
      return isObj(value) && Object.keys(value).length > 1 ? JSON.stringify(reorder(value)) : undefined;
    case 'truncated': {
      const text = JSON.stringify(value);
      return text.length > 40 ? text.slice(0, Math.floor(text.length * 0.6)) : undefined;
    }
    case 'other_call':
      return other === undefined ? undefined : JSON.stringify(other);
  }
}

function reorder(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reorder);
  if (!isObj(v)) return v;
  return Object.fromEntries(
    Object.keys(v)
      .reverse()
      .map((k) => [k, reorder(v[k])]),
  );
}

/** Python's repr of a JSON value: single quotes, True/False/None. */
export function pyRepr(v: unknown): string {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string')
    return v.includes("'") && !v.includes('"') ? JSON.stringify(v) : `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  return `{${Object.entries(v as Obj)
    .map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`)
    .join(', ')}}`;
}
