/**
 * What a record keeps of the request it was made from: the same rule as for the raw answer (stored-text.ts),
 * applied to each text in the request (a prompt message, a long argument string). A text up to the cap is
 * kept whole; a longer one is stored as its head, and `request_cut` says where it was, its full size and its
 * sha256, so an 18 MB rendered prompt is not copied into every record yet two runs' prompts can still be told
 * equal or different. Requests within the cap (all ordinary ones) are returned as they are, the same object,
 * so the request JSON a target attached for splicing (record-line.ts) is kept.
 */
import { attachedRequestJson } from './request-json.js';
import { storedText, type TextCut } from './stored-text.js';

export interface RequestCut extends TextCut {
  /** JSON Pointer (RFC 6901) of the cut text in the request, e.g. `/messages/1/content`. */
  path: string;
}

/** Containers visited at most: a request is a handful of nodes; a shared-reference graph is not walked forever. */
const MAX_NODES = 100_000;
const MAX_DEPTH = 64;

export function storedRequest(request: unknown, cap: number): { request: unknown; cuts?: RequestCut[] } {
  // No text in a request is longer than the request's JSON, so one within the cap needs no walk (every model call).
  const json = attachedRequestJson(request);
  if (json !== undefined && json.length <= cap) return { request };
  const cuts: RequestCut[] = [];
  let nodes = 0;
  const walk = (v: unknown, path: string, depth: number): unknown => {
    if (typeof v === 'string') {
      if (v.length <= cap) return v;
      const s = storedText(v, cap);
      cuts.push({ path, ...s.cut! });
      return s.text;
    }
    if (v === null || typeof v !== 'object' || depth >= MAX_DEPTH || ++nodes > MAX_NODES) return v;
    // Copied only when something inside was cut: an untouched request stays the very same object.
    if (Array.isArray(v)) {
      let copy: unknown[] | undefined;
      v.forEach((x, i) => {
        const y = walk(x, `${path}/${i}`, depth + 1);
        if (y !== x) (copy ??= [...v])[i] = y;
      });
      return copy ?? v;
    }
    let copy: Record<string, unknown> | undefined;
    for (const [k, x] of Object.entries(v)) {
      const y = walk(x, `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, depth + 1);
      if (y !== x) (copy ??= { ...(v as Record<string, unknown>) })[k] = y;
    }
    return copy ?? v;
  };
  const out = walk(request, '', 0);
  return cuts.length ? { request: out, cuts } : { request };
}
