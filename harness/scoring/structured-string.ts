/**
 * Decodes a string that holds a structure: JSON, or a Python repr (single quotes, True/False/None), as real
 * APIs and simulators often return (a StableToolBench `response` is usually `str(dict)`). Only a text that
 * starts with { or [ and ends with } or ] is tried, and only an object or array counts, so prose is never
 * turned into a value. The repair library is the one the answer parser uses (parse/repair.ts).
 */
import { jsonrepair } from 'jsonrepair';

/** Texts longer than this are compared as text: decoding is linear, but the structural walk of a huge value is not free. */
const MAX_LENGTH = 200_000;

export function decodeStructured(text: string): { value: unknown } | undefined {
  const t = text.trim();
  if (t.length < 2 || t.length > MAX_LENGTH) return undefined;
  const first = t.charCodeAt(0);
  const last = t.charCodeAt(t.length - 1);
  if (!((first === 123 && last === 125) || (first === 91 && last === 93))) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(t);
  } catch {
    try {
      value = JSON.parse(jsonrepair(t));
    } catch {
      return undefined;
    }
  }
  return value !== null && typeof value === 'object' ? { value } : undefined;
}
