/**
 * A record as its line of records.jsonl (without the newline). A target that has already serialised its
 * request (the openai target writes the JSON of the messages once, for the HTTP body) attaches that text to the
 * request object with `attachRequestJson`, and it is spliced into the line instead of serialising the same
 * prompt a second time; without one the line is plain JSON.stringify. Same bytes either way.
 * The attached text is a non-enumerable symbol property: copies, canonical JSON and the cache never see it.
 */
import { stringifyWithSplice } from '../util/json-splice.js';
import { attachedRequestJson } from './request-json.js';
import type { RunRecord } from './types.js';

export function recordLine(record: RunRecord): string {
  const json = attachedRequestJson(record.request);
  return json === undefined ? JSON.stringify(record) : stringifyWithSplice(record, 'request', json);
}
