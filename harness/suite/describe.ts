/**
 * Plain-words descriptions of values and of what a schema expects, for "expected X, found Y" messages.
 * Users write YAML, not JSON Schema: the words avoid ajv's jargon ("must NOT have additional properties").
 */

/** Patterns of suite.schema.json, said in words. Unknown patterns fall back to showing the regex. */
const PATTERN_WORDS: Record<string, string> = {
  '^[a-z0-9][a-z0-9._-]*$': 'a name of lowercase letters, digits, ".", "_" and "-" starting with a letter or digit',
  '^[A-Za-z_][A-Za-z0-9_.-]*$': 'a name of letters, digits, "_", "." and "-" starting with a letter or "_"',
  '^[A-Za-z_][A-Za-z0-9_]*$': 'an environment variable name (letters, digits and "_", not starting with a digit)',
  '^(openai|predictions|replay|(baseline|real):[a-z0-9][a-z0-9-]*)$':
    '"openai", "predictions", "replay" or a registered kind such as "baseline:reference" or "real:country-facts"',
};

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  object: 'an object (a mapping of keys to values)',
  array: 'an array (a list)',
  null: 'null',
};

/** A value as it appears in a message: strings quoted (and cut short), containers by their kind. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return value.length ? `an array of ${value.length} item${value.length === 1 ? '' : 's'}` : 'an empty array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    const s = JSON.stringify(value);
    return s.length > 62 ? s.slice(0, 58) + '..."' : s;
  }
  return String(value);
}

export function listWords(items: string[], last = 'or'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${last} ${items[items.length - 1]}`;
}

export function showEnum(values: unknown[]): string {
  return values.length === 1 ? JSON.stringify(values[0]) : `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
}

/** The bounds of a numeric schema, in words: ">= 1", "between 0 and 1", "> 0 and <= 1". */
function bounds(s: Record<string, unknown>): string {
  const lo = s.minimum ?? s.exclusiveMinimum;
  const hi = s.maximum ?? s.exclusiveMaximum;
  const loOp = s.minimum !== undefined ? '>=' : '>';
  const hiOp = s.maximum !== undefined ? '<=' : '<';
  if (lo !== undefined && hi !== undefined) {
    return loOp === '>=' && hiOp === '<=' ? ` between ${lo} and ${hi}` : ` ${loOp} ${lo} and ${hiOp} ${hi}`;
  }
  if (lo !== undefined) return ` ${loOp} ${lo}`;
  if (hi !== undefined) return ` ${hiOp} ${hi}`;
  return '';
}

/** What a (sub)schema expects, in words, from its type and constraints. */
export function expectedBy(schema: unknown): string {
  if (schema === true) return 'any value';
  if (!schema || typeof schema !== 'object') return 'nothing (this key is not allowed)';
  const s = schema as Record<string, unknown>;
  if (Array.isArray(s.enum)) return showEnum(s.enum);
  if ('const' in s) return JSON.stringify(s.const);
  const types = Array.isArray(s.type) ? (s.type as string[]) : typeof s.type === 'string' ? [s.type] : [];
  if (types.length === 1 && (types[0] === 'integer' || types[0] === 'number')) return TYPE_WORDS[types[0]] + bounds(s);
  if (types.length === 1 && types[0] === 'string') {
    if (typeof s.pattern === 'string') return PATTERN_WORDS[s.pattern] ?? `a string matching /${s.pattern}/`;
    if (s.minLength === 1) return 'a non-empty string';
    if (typeof s.minLength === 'number' && s.minLength > 1) return `a string of at least ${s.minLength} characters`;
  }
  if (types.length) return listWords(types.map((t) => TYPE_WORDS[t] ?? t));
  return 'a valid value';
}

/** Edit distance, for "did you mean" on unknown keys and kinds. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

/** The closest candidate when it is close enough to be a likely typo. */
export function didYouMean(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const w = word.toLowerCase();
  for (const c of candidates) {
    const full = distance(w, c.toLowerCase());
    // A misspelt start of a longer key ("respones" for "response_schema") counts as close too.
    const start = w.length >= 4 && c.length > w.length ? distance(w, c.slice(0, w.length).toLowerCase()) : Infinity;
    const d = Math.min(full, start);
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

/** Key names that hold a secret; a suite names the environment variable instead (api_key_env). */
export const SECRET_KEY = /^(api[_-]?key|apikey|key|token|access[_-]?token|auth[_-]?token|bearer|secret|client[_-]?secret|password|passwd|authorization)$/i;

/** @param where where the variable's name goes instead, in words. */
export function secretKeyMessage(key: string, where = 'api_key_env (for example api_key_env: GTM_API_KEY)'): string {
  return `a literal secret ("${key}") does not belong in a suite file, which is shared and hashed into run records: put it in an environment variable and give that variable's NAME in ${where}`;
}
