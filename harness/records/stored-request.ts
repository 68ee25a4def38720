/**
 * What a record keeps of the request it was made from: the same rule as for the raw answer (stored-text.ts),
 * applied to each text in the request (a prompt message, a long argument string). A text up to the cap is
 * kept whole; a longer one is stored as its head, and `request_cut` says where it was, its full size and its
 * sha256, so an 18 MB rendered prompt is not copied into every record yet two runs' prompts can still be told
 * equal or different. Requests within the cap (all ordinary ones) are returned as they are, the same object,
 * so the request JSON a target attached for splicing (record-line.ts) is kept.
 */
import { pointerOf } from '../util/shared-text.js';
import { storedText, type TextCut } from './stored-text.js';

export interface RequestCut extends TextCut {
  /** JSON Pointer (RFC 6901) of the cut text in the request, e.g. `/messages/1/content`. */
  path: string;
}

/** Containers visited at most: a request is a handful of nodes; a shared-reference graph is not walked forever. */
const MAX_NODES = 100_000;
const MAX_DEPTH = 64;

export function storedRequest(request: unknown, cap: number): { request: unknown; cuts?: RequestCut[] } {
  const cuts: RequestCut[] = [];
  let nodes = 0;
  // The keys down to the node being visited; a cut's JSON Pointer is built from them only when there is a cut
  // (building one per node cost a few µs on every model call).
  const keys: (string | number)[] = [];
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') {
      if (v.length <= cap) return v;
      const s = storedText(v, cap);
      cuts.push({ path: keys.reduce<string>((parent, k) => pointerOf(parent, k), ''), ...s.cut! });
      return s.text;
    }
    if (v === null || typeof v !== 'object' || depth >= MAX_DEPTH || ++nodes > MAX_NODES) return v;
    // Copied only when something inside was cut: an untouched request stays the very same object.
    if (Array.isArray(v)) {
      let copy: unknown[] | undefined;
      for (let i = 0; i < v.length; i++) {
        keys.push(i);
        const y = walk(v[i], depth + 1);
        keys.pop();
        if (y !== v[i]) (copy ??= [...v])[i] = y;
      }
      return copy ?? v;
    }
    let copy: Record<string, unknown> | undefined;
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      keys.push(k);
      const y = walk(o[k], depth + 1);
      keys.pop();
      if (y !== o[k]) (copy ??= { ...o })[k] = y;
    }
    return copy ?? v;
  };
  const out = walk(request, 0);
  return cuts.length ? { request: out, cuts } : { request };
}
