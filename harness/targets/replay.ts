/**
 * `replay`: answers each call with what one target of an earlier run answered, read from that run folder's
 * records (the text, and the latency, usage, retries and backend it had), so the ordinary engine scores old
 * answers with today's scorers and nothing is called. Options: `run` (the run folder, relative to the suite
 * file) and `target` (which of its targets to answer as; default this target's own name). A call is found by
 * its call id and repeat. A call the records lack is looked up in the response cache when the run has one
 * open (`--cache`), under the recorded target's key; one found in neither is a tool_failure for that call
 * (counted in the error rate, never a silent gap), as the predictions target does.
 * `--replay RUN_DIR` is this target for every target the run ran (run/replay.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { modelCacheKeyer } from '../records/cache/cache-key.js';
import { readManifest, type Manifest } from '../records/manifest.js';
import { forEachRecord } from '../records/reader.js';
import { resolveRequest } from '../records/request-refs.js';
import { readTextStore, type TextStore } from '../records/text-store.js';
import type { RunRecord } from '../records/types.js';
import type { TargetSpec } from '../suite/types.js';
import type { TargetFactoryContext } from './registry.js';
import { REPLAY_OPTIONS } from './replay-options.js';
import { TargetOptions } from './target-options.js';
import type { CallContext, Observation, Target } from './types.js';

/** What a replay target answered from: its records, the cache, or neither (then the call failed). */
export interface ReplayCounts {
  from_records: number;
  from_cache: number;
  missing: number;
}

const callKey = (callId: string, repeat: number) => `${callId}\u0000${repeat}`;

/**
 * The recorded answer as the target gave it; the record's time is kept, since the answer is from then. The
 * request is the one sent: shared texts the record refers to are put back from the run's texts.jsonl.
 */
function observationOf(r: RunRecord, texts: TextStore, where: string): Observation {
  return {
    raw: r.raw,
    request: resolveRequest(r, texts, where),
    latency_ms: r.latency_ms,
    ...(r.ttft_ms !== undefined ? { ttft_ms: r.ttft_ms } : {}),
    ...(r.usage ? { usage: r.usage } : {}),
    retries: r.retries,
    error: r.error,
    ...(r.finish_reason ? { finish_reason: r.finish_reason } : {}),
    ...(r.replica ? { replica: r.replica } : {}),
    ...(r.cache ? { cache: r.cache } : {}),
    backend: r.backend,
    started_at: r.started_at,
  };
}

export async function createReplayTarget(spec: TargetSpec, ctx: TargetFactoryContext): Promise<Target> {
  // Annotated, so that TypeScript knows options.fail() never returns.
  const options: TargetOptions = new TargetOptions(spec, ctx.suite.file, REPLAY_OPTIONS);
  const dir = options.path('run');
  const as = options.optionalString('target') ?? spec.name;
  if (!existsSync(join(dir, 'manifest.json'))) options.fail('run', `${dir} is not a run folder (no manifest.json)`);
  if (!existsSync(join(dir, 'records.jsonl'))) options.fail('run', `${dir} has no records.jsonl to answer from`);
  let run: Manifest;
  try {
    run = readManifest(dir);
  } catch (err) {
    options.fail('run', (err as Error).message);
  }
  const recorded = run.targets?.find((t) => t.name === as && t.status === 'ran');
  if (!recorded) {
    const ran = (run.targets ?? []).filter((t) => t.status === 'ran').map((t) => t.name);
    options.fail('target', `run ${run.run_id} has no target ${as} that ran; its targets that ran: ${ran.join(', ') || 'none'}`);
  }

  // The last record of a call wins, as --resume leaves them (a retried call's record follows the failed one).
  // Each record's request is resolved once here, so a reference texts.jsonl lacks stops the replay before any
  // call, naming the record's line, instead of failing calls one by one.
  const answers = new Map<string, { record: RunRecord; line: number }>();
  const texts = readTextStore(dir);
  const file = join(dir, 'records.jsonl');
  forEachRecord(file, (r, line) => {
    if (r.target !== as) return;
    resolveRequest(r, texts, `${file}:${line.line}`);
    answers.set(callKey(r.call_id, r.repeat), { record: r, line: line.line });
  });
  const served = (run.serve?.targets ?? []).includes(as) ? (run.serve?.checkpoint?.fingerprint ?? undefined) : undefined;
  const store = ctx.responseCache?.store;
  const keyer = store ? modelCacheKeyer(recorded.config, served) : undefined;
  const counts: ReplayCounts = { from_records: 0, from_cache: 0, missing: 0 };
  const config = { name: spec.name, kind: spec.kind, run: dir, run_id: run.run_id, target: as, recorded: { kind: recorded.kind, backend: recorded.backend } };

  return {
    name: spec.name,
    kind: spec.kind,
    backend: `replay of ${as} in ${run.run_id} (${recorded.backend})`,
    describe: () => config,
    async call(c: CallContext): Promise<Observation> {
      const old = answers.get(callKey(c.call.id, c.repeat));
      if (old) {
        counts.from_records++;
        return observationOf(old.record, texts, `${file}:${old.line}`);
      }
      if (keyer && store) {
        const { key, request } = keyer.key(c);
        const stored = store.get(key);
        if (stored) {
          counts.from_cache++;
          return { ...keyer.observation(stored), request, cache: 'hit' };
        }
      }
      counts.missing++;
      return {
        raw: null,
        request: { tool: c.tool.name, arguments: c.call.arguments },
        latency_ms: 0,
        retries: 0,
        error: {
          class: 'tool_failure',
          message: `no answer to call ${c.call.id} (repeat ${c.repeat}) by target ${as} in ${dir}${keyer ? ', nor in the response cache' : ''}`,
        },
      };
    },
    runtimeStats: () => ({ ...counts }),
  };
}
