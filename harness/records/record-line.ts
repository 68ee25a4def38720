/**
 * A record as its line of records.jsonl (without the newline).
 *
 * Shared texts: when the writer has a text store (text-store.ts) and the request marks texts that many calls
 * share (util/shared-text.ts: a tool's part of a rendered prompt), each is stored once in texts.jsonl and the
 * line keeps the request without it plus `request_refs` saying where it goes back (request-refs.ts). A default
 * suite's record is then about a third of its old size, which is most of what a report of a large run reads.
 *
 * Otherwise a target that has already serialised its request (the openai target writes the JSON of the messages
 * once, for the HTTP body) attaches that text to the request object with `attachRequestJson`, and it is spliced
 * into the line instead of serialising the same prompt a second time; without one the line is plain
 * JSON.stringify. Same bytes either way.
 */
import { stringifyWithSplice } from '../util/json-splice.js';
import { sharedTextsOf } from '../util/shared-text.js';
import { attachedRequestJson } from './request-json.js';
import { requestWithoutShared } from './request-refs.js';
import type { TextIds } from './text-store.js';
import type { RunRecord } from './types.js';

export function recordLine(record: RunRecord, texts?: TextIds): string {
  const shared = texts && sharedTextsOf(record.request);
  if (shared) {
    const cut = requestWithoutShared(record.request, shared, texts);
    if (cut) return JSON.stringify({ ...record, request: cut.request, request_refs: cut.refs });
  }
  const json = attachedRequestJson(record.request);
  return json === undefined ? JSON.stringify(record) : stringifyWithSplice(record, 'request', json);
}
