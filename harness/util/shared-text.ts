/**
 * Texts that many requests share (a tool's part of a rendered prompt: its description and pretty-printed
 * schemas are the same for every call of the tool), marked on the request that holds them, so a record can
 * store each such text once in the run folder (records/text-store.ts) and keep only the per-call rest inline.
 * The mark is a non-enumerable symbol property: JSON, copies, canonical JSON and the cache key never see it.
 *
 * Ground floor: prompts/ sets the mark, targets/ carry it, records/ read it.
 */

/** A shared text inside a request: the string at JSON Pointer `path` (RFC 6901) holds `text` at character offset `at`. */
export interface SharedPiece {
  path: string;
  at: number;
  text: string;
  /**
   * The whole string the mark was made for, when its maker built it (the template): a reader finding that very
   * string at `path` knows the text is at `at` without comparing 3 KB of it on every call.
   */
  in?: string;
}

const SHARED = Symbol('shared texts');

/** Marks `obj` as holding `pieces` (for one path: in ascending, non-overlapping order). An empty list marks nothing. */
export function markSharedTexts<T extends object>(obj: T, pieces: readonly SharedPiece[] | undefined): T {
  if (pieces?.length) Object.defineProperty(obj, SHARED, { value: pieces, enumerable: false, configurable: true });
  return obj;
}

export function sharedTextsOf(obj: unknown): readonly SharedPiece[] | undefined {
  return obj !== null && typeof obj === 'object' ? (obj as { [SHARED]?: readonly SharedPiece[] })[SHARED] : undefined;
}

/** JSON Pointer of an object key or array index under `parent`. */
export function pointerOf(parent: string, key: string | number): string {
  return `${parent}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** Parsed pointers: a run's requests use a handful (`/messages/1/content`), parsed once each; the cache stays small. */
const parsed = new Map<string, string[]>();

function tokens(path: string): string[] | undefined {
  let ts = parsed.get(path);
  if (ts) return ts;
  if (!path.startsWith('/')) return undefined;
  ts = path
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (parsed.size < 64) parsed.set(path, ts);
  return ts;
}

/** The value at `path` in `root`, undefined when there is none (or the path is not a pointer). */
export function valueAt(root: unknown, path: string): unknown {
  const ts = tokens(path);
  if (!ts) return undefined;
  let v: unknown = root;
  for (const t of ts) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, t)) return undefined;
    v = (v as Record<string, unknown>)[t];
  }
  return v;
}

/**
 * A copy of `root` with the value at each path replaced (only the containers on the way are copied; the rest is
 * shared with `root`). Every path must exist (check with valueAt first).
 */
export function withValuesAt(root: unknown, values: ReadonlyMap<string, unknown>): unknown {
  let out = root;
  for (const [path, value] of values) {
    const ts = tokens(path)!;
    const set = (node: unknown, i: number): unknown => {
      if (i === ts.length) return value;
      const copy: Record<string, unknown> | unknown[] = Array.isArray(node) ? [...node] : { ...(node as Record<string, unknown>) };
      (copy as Record<string, unknown>)[ts[i]] = set((node as Record<string, unknown>)[ts[i]], i + 1);
      return copy;
    };
    out = set(out, 0);
  }
  return out;
}
