/**
 * How deep a text's brackets nest, counted outside JSON strings, in one linear pass that stops as soon as the
 * limit is passed. Run before JSON.parse: V8 parses deeper values than it can stringify (a model repeating `[`
 * within max_tokens 2048 reaches depth ~5,000; JSON.stringify overflows the stack near 2,000), and every
 * recursive walker downstream (JSONata, canonical JSON, the report) has the same limit, so a value past it is
 * never built at all.
 */

/** Default depth limit for tool answers; real tool responses nest a few levels, rarely past 20. */
export const DEFAULT_MAX_JSON_DEPTH = 256;

/** The first depth above `limit` reached in `text`, or 0 when the text stays within it. */
export function depthOver(text: string, limit: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > limit) return depth;
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return 0;
}
