/**
 * A record as its line of records.jsonl (without the newline). A target that has already serialised its
 * request (the openai target writes the JSON of the messages once, for the HTTP body) attaches that text to the
 * request object with `attachRequestJson`, and it is spliced into the line instead of serialising the same
 * prompt a second time; without one the line is plain JSON.stringify. Same bytes either way.
 * The attached text is a non-enumerable symbol property: copies, canonical JSON and the cache never see it.
 */
import { stringifyWithSplice } from '../util/json-splice.js';
import type { RunRecord } from './types.js';

const REQUEST_JSON = Symbol('request JSON');

/** Marks `request` as serialising to exactly `json` (the caller guarantees JSON.stringify(request) === json). */
export function attachRequestJson<T extends object>(request: T, json: string): T {
  Object.defineProperty(request, REQUEST_JSON, { value: json, enumerable: false, configurable: true });
  return request;
}

export function recordLine(record: RunRecord): string {
  const req = record.request;
  const json = req !== null && typeof req === 'object' ? (req as { [REQUEST_JSON]?: string })[REQUEST_JSON] : undefined;
  return json === undefined ? JSON.stringify(record) : stringifyWithSplice(record, 'request', json);
}
