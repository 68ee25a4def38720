/**
 * Field paths for semantic scoring, in `a.b[*].c` notation.
 *
 * A concrete path names one place in a value (`results[3].id`); a pattern may use `[*]` for any array index
 * and `*` for any object key (`results[*].id`, `meta.*`). A pattern matches a concrete path segment by
 * segment and with the same length; the semantic walker checks patterns at every node on its way down, so
 * a pattern naming an object or array (`error`) covers everything below it.
 * Keys that are not plain identifiers are written `["key with.dots"]` (JSON string syntax).
 *
 * Paths are kept as segment arrays while walking (no string building per node); strings are made only for
 * the few fields a reason mentions.
 */

/** One step of a concrete path: an object key or an array index. */
export type PathSegment = string | number;

/** One step of a pattern: a key, any key, an index or any index. */
export type PatternToken = { kind: 'key'; key: string } | { kind: 'any_key' } | { kind: 'index'; index: number } | { kind: 'any_index' };

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** Writes a concrete path; the empty path (the whole value) is `(root)`. */
export function formatPath(segments: readonly PathSegment[]): string {
  if (segments.length === 0) return '(root)';
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (IDENT.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/**
 * Parses a path or pattern. Throws on malformed text: patterns come from suite files, so a typo should fail
 * at load time rather than silently match nothing.
 */
export function parsePattern(text: string): PatternToken[] {
  const tokens: PatternToken[] = [];
  let i = 0;
  const n = text.length;
  const fail = (why: string): never => {
    throw new Error(`bad field path ${JSON.stringify(text)} at ${i}: ${why}`);
  };
  while (i < n) {
    const c = text[i];
    if (c === '[') {
      const close = text.indexOf(']', i);
      if (text[i + 1] === '"') {
        // A quoted key: find the closing quote honouring escapes, then let JSON.parse unescape it.
        let j = i + 2;
        while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
        if (j >= n || text[j + 1] !== ']') fail('unterminated ["key"]');
        tokens.push({ kind: 'key', key: JSON.parse(text.slice(i + 1, j + 1)) as string });
        i = j + 2;
      } else {
        if (close < 0) fail('missing ]');
        const inner = text.slice(i + 1, close).trim();
        if (inner === '*') tokens.push({ kind: 'any_index' });
        else if (/^\d+$/.test(inner)) tokens.push({ kind: 'index', index: Number(inner) });
        else fail('expected [*], [n] or ["key"]');
        i = close + 1;
      }
    } else if (c === '.') {
      if (tokens.length === 0 || i + 1 >= n || text[i + 1] === '.' || text[i + 1] === '[') fail('empty key');
      i++;
    } else {
      let j = i;
      while (j < n && text[j] !== '.' && text[j] !== '[') j++;
      const key = text.slice(i, j);
      if (key === '') fail('empty key');
      tokens.push(key === '*' ? { kind: 'any_key' } : { kind: 'key', key });
      i = j;
    }
  }
  if (tokens.length === 0) fail('empty path');
  return tokens;
}

/** Whether a concrete path (as segments) is matched by a parsed pattern. */
export function matchSegments(path: readonly PathSegment[], pattern: readonly PatternToken[]): boolean {
  if (path.length !== pattern.length) return false;
  for (let i = 0; i < path.length; i++) {
    const s = path[i];
    const t = pattern[i];
    switch (t.kind) {
      case 'key':
        if (s !== t.key) return false;
        break;
      case 'any_key':
        if (typeof s !== 'string') return false;
        break;
      case 'index':
        if (s !== t.index) return false;
        break;
      case 'any_index':
        if (typeof s !== 'number') return false;
        break;
    }
  }
  return true;
}

/** String convenience: does the concrete path `results[3].id` match the pattern `results[*].id`? */
export function pathMatches(concrete: string, pattern: string): boolean {
  const segments = parsePattern(concrete).map((t): PathSegment => {
    if (t.kind === 'key') return t.key;
    if (t.kind === 'index') return t.index;
    throw new Error(`concrete path ${JSON.stringify(concrete)} contains a wildcard`);
  });
  return matchSegments(segments, parsePattern(pattern));
}

/** Whether any of the patterns matches the path. */
export function matchesAny(path: readonly PathSegment[], patterns: readonly PatternToken[][]): boolean {
  for (const p of patterns) if (matchSegments(path, p)) return true;
  return false;
}
