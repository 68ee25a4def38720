/** Assembles one RunRecord from what the engine gathered for a work item. Pure. */
import type { WorkItem } from '../plan/types.js';
import { outcomeOf, type ParsedOutput, type Score } from '../scoring/types.js';
import type { Observation } from '../targets/types.js';
import { RECORD_VERSION, type RunRecord } from './types.js';

export function buildRecord(
  item: WorkItem,
  backend: string,
  startedAt: string,
  obs: Observation,
  parsed: ParsedOutput | undefined,
  scores: Score[],
): RunRecord {
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
    started_at: startedAt,
    request: obs.request,
    raw: obs.raw,
    parse: parsed ? parseRecord(parsed) : { status: 'none', outcome: 'none' },
    latency_ms: Math.round(obs.latency_ms * 1000) / 1000,
    retries: obs.retries,
    error: obs.error,
    scores: Object.fromEntries(scores.map((s) => [s.metric, { value: s.value, reasons: s.reasons }])),
  };
  if (item.call.tags) record.tags = item.call.tags;
  if (item.call.session) record.session = { id: item.call.session.id, step: item.call.session.step, length: item.call.session.length };
  if (parsed && (outcomeOf(parsed) === 'strict' || outcomeOf(parsed) === 'repaired') && 'value' in parsed) record.output = parsed.value;
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
