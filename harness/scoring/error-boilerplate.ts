/**
 * The tokens a tool's real error texts share, found once per run from the dataset's references: two
 * different APIs' tracebacks share "Traceback (most recent call last): File ... line ..." and used to score
 * 0.81-0.86 against each other. A token counts as boilerplate when at least half of the tool's real error
 * texts contain it (and at least MIN_TEXTS of them exist, or nothing is discounted: too few errors to tell
 * boilerplate from content). The semantic scorer drops these tokens from both sides of any string under the
 * top-level `error` key. Deterministic: the same references give the same set.
 */
import type { DatasetCall } from '../suite/types.js';
import { tokenize } from './text-sim.js';

const MIN_TEXTS = 4;
const SHARE = 0.5;

export function errorBoilerplate(tool: string, calls: readonly DatasetCall[]): ReadonlySet<string> | undefined {
  const texts: string[] = [];
  for (const c of calls) {
    if (c.tool !== tool || c.reference === null || typeof c.reference !== 'object') continue;
    collect((c.reference as Record<string, unknown>).error, texts);
  }
  if (texts.length < MIN_TEXTS) return undefined;
  const df = new Map<string, number>();
  for (const t of texts) for (const tok of new Set(tokenize(t))) df.set(tok, (df.get(tok) ?? 0) + 1);
  const out = new Set<string>();
  for (const [tok, n] of df) if (n >= SHARE * texts.length) out.add(tok);
  return out.size > 0 ? out : undefined;
}

/** Every non-empty string under an error value (a string, or an object such as {code, message}). */
function collect(v: unknown, into: string[]): void {
  if (typeof v === 'string') {
    if (v.trim() !== '') into.push(v);
  } else if (v !== null && typeof v === 'object') {
    for (const x of Object.values(v)) collect(x, into);
  }
}
