/**
 * Repairs JSON cut off at the end of the text (max_tokens): the one recovery gtm-bench keeps hand-written,
 * because it measured better than the libraries on this case (on 883 real responses cut at 70%: 883 closed
 * here, 815 by jsonrepair; see the parse section of the README). Nothing here throws.
 */

/** What the container on top of the stack expects next. */
const enum St {
  KeyOrClose, // just after {
  Key, // after a comma in an object
  Colon, // after a key
  Value, // after a colon, or after a comma in an array
  ValueOrClose, // just after [
  After, // after a value: comma or closer
}

/**
 * Repairs JSON cut off at the end of the text: a prefix parser that remembers the last point where the
 * text could be cut and closed (after an opening bracket or a complete value). At the end an open value string
 * is closed (minus a dangling escape), a complete number or literal is kept, and anything else unfinished (a key,
 * a colon, a comma, `tru`, `1e`) is dropped back to that point; then the open containers are closed.
 * Returns undefined when the text is not a JSON prefix at all.
 */
export function repairTruncated(text: string, start: number): { value: unknown; note: string } | undefined {
  const stack: number[] = []; // 123 for {, 91 for [
  let st = St.Value as St; // `as St`: complete() changes it, which narrowing cannot see
  let safe = start; // cut point: text[start, safe) plus closers is valid JSON
  let safeDepth = 0;
  let i = start;
  const n = text.length;
  const complete = () => {
    st = St.After;
    safe = i;
    safeDepth = stack.length;
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      i++;
      continue;
    }
    if (stack.length === 0 && i > start) return undefined; // the value closed: not a truncation
    if (c === 34) {
      // a string: a key in Key/KeyOrClose, else a value
      const isKey = st === St.Key || st === St.KeyOrClose;
      if (!isKey && st !== St.Value && st !== St.ValueOrClose) return undefined;
      let j = i + 1;
      while (j < n && text.charCodeAt(j) !== 34) j += text.charCodeAt(j) === 92 ? 2 : 1;
      if (j >= n) return finish(text, start, stack, safe, safeDepth, isKey ? 'key' : 'string', i);
      i = j + 1;
      if (isKey) st = St.Colon;
      else complete();
      continue;
    }
    if (c === 123 || c === 91) {
      if (st !== St.Value && st !== St.ValueOrClose) return undefined;
      stack.push(c);
      i++;
      st = c === 123 ? St.KeyOrClose : St.ValueOrClose;
      safe = i;
      safeDepth = stack.length;
      continue;
    }
    if (c === 125 || c === 93) {
      const top = stack[stack.length - 1];
      const okObj = c === 125 && top === 123 && (st === St.After || st === St.KeyOrClose);
      const okArr = c === 93 && top === 91 && (st === St.After || st === St.ValueOrClose);
      if (!okObj && !okArr) return undefined;
      stack.pop();
      i++;
      complete();
      continue;
    }
    if (c === 44) {
      if (st !== St.After || stack.length === 0) return undefined;
      st = stack[stack.length - 1] === 123 ? St.Key : St.Value;
      i++;
      continue;
    }
    if (c === 58) {
      if (st !== St.Colon) return undefined;
      st = St.Value;
      i++;
      continue;
    }
    // a number or a literal
    if (st !== St.Value && st !== St.ValueOrClose) return undefined;
    let j = i;
    while (j < n && isScalarChar(text.charCodeAt(j))) j++;
    if (j === i) return undefined;
    const token = text.slice(i, j);
    if (j >= n) return SCALAR_PREFIX.test(token) ? finish(text, start, stack, safe, safeDepth, 'scalar', i, token) : undefined;
    if (!SCALAR.test(token)) return undefined;
    i = j;
    complete();
  }
  // Ran out of text between tokens.
  if (stack.length === 0) return undefined;
  const dangling = st === St.Colon || (st === St.Value && stack[stack.length - 1] === 123) ? 'key' : st === St.Key || st === St.Value ? 'comma' : 'none';
  return finish(text, start, stack, safe, safeDepth, dangling, n);
}

/** Characters a number or literal token can contain (digits, letters, . + -); JSON's grammar is checked after. */
function isScalarChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 46 || c === 43 || c === 45;
}

/** What a number or literal cut off at the end of the text can look like (`tru`, `-`, `1.`, `2e+`). */
const SCALAR_PREFIX = /^(?:t(?:r(?:ue?)?)?|f(?:a(?:l(?:se?)?)?)?|n(?:u(?:ll?)?)?|-?(?:(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][+-]?[0-9]*)?)?)$/;

const SCALAR = /^(?:true|false|null|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)$/;

type Dangling = 'key' | 'comma' | 'none' | 'string' | 'scalar';

function finish(
  text: string,
  start: number,
  stack: number[],
  safe: number,
  safeDepth: number,
  dangling: Dangling,
  tokenStart: number,
  token?: string,
): { value: unknown; note: string } | undefined {
  const repairs: string[] = [];
  let body: string;
  if (dangling === 'string') {
    // Close the open string, first dropping a cut escape (a lone backslash or a partial \uXXXX).
    body = dropCutEscape(text.slice(start)) + '"';
    repairs.push('closed an open string');
  } else if (dangling === 'scalar' && token !== undefined && SCALAR.test(token)) {
    body = text.slice(start);
  } else {
    body = text.slice(start, safe);
    // The stack at the cut point is the stack now: no bracket was seen after the last safe point.
    if (safeDepth !== stack.length) return undefined;
    const dropped = text.slice(safe).trim();
    if (dangling === 'key') repairs.push('dropped a dangling key');
    else if (dangling === 'comma') repairs.push('dropped a trailing comma');
    else if (dropped !== '') {
      const what = stack[stack.length - 1] === 123 ? 'a dangling key with an incomplete value' : 'an incomplete value';
      repairs.push(`dropped ${what} ${JSON.stringify(clip(text.slice(tokenStart).trim(), 20))}`);
    }
  }
  let closers = '';
  for (let k = stack.length - 1; k >= 0; k--) closers += stack[k] === 123 ? '}' : ']';
  repairs.push(`closed ${stack.length} open container${stack.length === 1 ? '' : 's'} (${closers})`);
  try {
    const value = JSON.parse(body + closers);
    return { value, note: `cut off at character ${text.length}: ${repairs.join(', ')}` };
  } catch {
    return undefined;
  }
}

/** Removes an escape cut in half at the end of an open string: a lone backslash, or `\u` with under 4 hex digits. */
function dropCutEscape(s: string): string {
  let k = s.length;
  while (k > s.length - 3 && k > 0 && /[0-9a-fA-F]/.test(s[k - 1])) k--;
  if (k > 0 && s[k - 1] === 'u' && backslashesBefore(s, k - 1) % 2 === 1) return s.slice(0, k - 2);
  return backslashesBefore(s, s.length) % 2 === 1 ? s.slice(0, -1) : s;
}

function backslashesBefore(s: string, end: number): number {
  let k = end;
  while (k > 0 && s.charCodeAt(k - 1) === 92) k--;
  return end - k;
}

/** Whether the text ends inside an open string or container (a double-quote-aware bracket count). */
export function endsOpen(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) depth--;
  }
  return inString || depth > 0;
}

function clip(s: string, max: number): string {
  return s.length > max ? s.slice(0, max - 3) + '...' : s;
}
