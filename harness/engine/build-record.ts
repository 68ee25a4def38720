/**
 * Assembles one RunRecord from what the engine gathered for a work item. Pure. The raw text is stored whole up
 * to `rawChars` (default DEFAULT_RECORD_TEXT_CHARS), else its head with size and sha256 (`raw_cut`), and so is each
 * text of the request (`request_cut`, records/stored-request.ts); an answer
 * too deep to parse keeps only a 4 KiB head, since its only use is to show what the model did.
 */
import type { WorkItem } from '../plan/types.js';
import { outcomeOf, type ParsedOutput } from '../parse/parsed-output.js';
import type { Score } from '../scoring/types.js';
import type { Observation } from '../targets/types.js';
import { DEFAULT_RECORD_TEXT_CHARS, storedText } from '../records/stored-text.js';
import { storedRequest } from '../records/stored-request.js';
import { outputIsRaw } from '../records/record-output.js';
import { RECORD_VERSION, type RunRecord } from '../records/types.js';

const TOO_DEEP_HEAD = 4096;

export function buildRecord(
  item: WorkItem,
  backend: string,
  startedAt: string,
  obs: Observation,
  parsed: ParsedOutput | undefined,
  scores: Score[],
  limits: { rawChars?: number } = {},
): RunRecord {
  const cap = parsed?.status === 'output_too_deep' ? TOO_DEEP_HEAD : (limits.rawChars ?? DEFAULT_RECORD_TEXT_CHARS);
  const raw = obs.raw === null ? null : storedText(obs.raw, cap);
  // The request's texts (a rendered prompt) follow the same rule as the answer's, at the same cap.
  const request = storedRequest(obs.request, limits.rawChars ?? DEFAULT_RECORD_TEXT_CHARS);
  const record: RunRecord = {
    v: RECORD_VERSION,
    item_id: item.id,
    call_id: item.call.id,
    tool: item.call.tool,
    dataset: item.call.source.dataset,
    expect_error: item.call.expect_error === true,
    target: item.target,
    backend: obs.backend ?? backend,
    repeat: item.repeat,
    seed: item.seed,
    started_at: obs.started_at ?? startedAt,
    request: request.request,
    raw: raw && raw.text,
    parse: parsed ? parseRecord(parsed) : { status: 'none', outcome: 'none' },
    latency_ms: Math.round(obs.latency_ms * 1000) / 1000,
    retries: obs.retries,
    error: obs.error,
    scores: Object.fromEntries(scores.map((s) => [s.metric, { value: s.value, reasons: s.reasons }])),
  };
  if (raw?.cut) record.raw_cut = raw.cut;
  if (request.cuts) record.request_cut = request.cuts;
  if (obs.invalid_utf8) record.invalid_utf8 = obs.invalid_utf8;
  if (item.call.tags) record.tags = item.call.tags;
  if (item.call.session) record.session = { id: item.call.session.id, step: item.call.session.step, length: item.call.session.length };
  // A whole-JSON answer's value is JSON.parse(raw): not written twice (records/record-output.ts gives it back).
  if (
    parsed &&
    (outcomeOf(parsed) === 'strict' || outcomeOf(parsed) === 'repaired') &&
    'value' in parsed &&
    !outputIsRaw(parsed.status, raw?.cut !== undefined)
  )
    record.output = parsed.value;
  if (obs.ttft_ms !== undefined) record.ttft_ms = Math.round(obs.ttft_ms * 1000) / 1000;
  if (obs.usage) record.usage = obs.usage;
  if (obs.finish_reason) record.finish_reason = obs.finish_reason;
  if (obs.replica) record.replica = obs.replica;
  if (obs.cache) record.cache = obs.cache;
  return record;
}

/** The parse outcome as recorded: status, outcome, repair kinds and coverage when there are any, and the note. */
function parseRecord(p: ParsedOutput): RunRecord['parse'] {
  return {
    status: p.status,
    outcome: outcomeOf(p),
    ...(p.repairs ? { repairs: p.repairs } : {}),
    ...(p.coverage !== undefined ? { coverage: p.coverage } : {}),
    ...(p.note ? { note: p.note } : {}),
  };
}
