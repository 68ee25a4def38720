/**
 * JSON text with a piece that is already JSON spliced in, so a large value serialised once (a model request's
 * 3 KB of prompt) is not serialised again when it appears inside another document (the request body, the
 * record line). The result is byte for byte what JSON.stringify gives for the object with the value in place.
 *
 * How: the key is set to a sentinel string, the object is stringified, and the sentinel's text is replaced by
 * the JSON. The sentinel is random per process (and starts with a NUL, which JSON.stringify escapes), so no
 * data being serialised can hold its text by accident: the one occurrence is the slot.
 */
import { randomUUID } from 'node:crypto';

const SENTINEL = `\u0000spliced-json-${randomUUID()}`;
const SENTINEL_TEXT = JSON.stringify(SENTINEL);

export function stringifyWithSplice<T extends object>(obj: T, key: keyof T & string, json: string): string {
  const o = obj as Record<string, unknown>;
  const had = Object.hasOwn(o, key);
  const value = o[key];
  o[key] = SENTINEL;
  let text: string;
  try {
    text = JSON.stringify(obj);
  } finally {
    if (had) o[key] = value;
    else delete o[key];
  }
  const slot = `${JSON.stringify(key)}:${SENTINEL_TEXT}`;
  const at = text.indexOf(slot);
  return text.slice(0, at) + `${JSON.stringify(key)}:` + json + text.slice(at + slot.length);
}
