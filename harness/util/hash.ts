import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as object).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Bytes of sha256 an id keeps (16 hex digits). */
export const ID_BYTES = 8;

/**
 * Short stable id of a value: the first 16 hex digits of sha256 over its canonical JSON. Hex of the first 8 bytes
 * rather than a slice of the 64-digit string: V8 keeps a slice as a view of the whole string, and a plan of a
 * million work items held a million 64-digit digests that way (~80 MB).
 */
export function hashId(value: unknown): string {
  return idDigest(value).toString('hex', 0, ID_BYTES);
}

/** hashId's bytes, written into `out` at `offset` (the plan keeps its ids this way: plan/plan.ts). */
export function hashIdInto(value: unknown, out: Uint8Array, offset: number): void {
  idDigest(value).copy(out, offset, 0, ID_BYTES);
}

function idDigest(value: unknown): Buffer {
  return createHash('sha256').update(canonicalJson(value)).digest();
}
