/**
 * The HTTP half of the LLM judge: for one simulated response, build the rubric's messages (pure, in
 * scoring/judge.ts), ask the judge endpoint (any OpenAI-compatible server, replicas balanced as for a target)
 * through the endpoint client, which answers from the run's one response cache when it can, and turn the
 * verdict into judge.* scores (pure). A judge failure gives null scores with the reason, never a made-up
 * number, and never fails the call being judged.
 */
import { buildJudgeMessages, JUDGE_METRICS, loadRubric, scoreJudgeVerdict, type LoadedRubric } from '../scoring/judge.js';
import type { Score } from '../scoring/types.js';
import type { JudgeService } from '../scoring/metric-family.js';
import type { DatasetCall, JudgeSpec, ToolSpec } from '../suite/types.js';
import { createEndpointClient } from '../endpoint/client.js';
import { endpointBackend } from '../endpoint/model-endpoint.js';
import type { ResponseCacheView } from '../records/cache/response-store.js';

export interface JudgeStage extends JudgeService {
  /** Manifest entry: who judged, with which rubric; no secrets. */
  describe(): Record<string, unknown>;
  judge(tool: ToolSpec, call: DatasetCall, simulatedRaw: string): Promise<Score[]>;
  /** Requests answered from the cache and sent to the endpoint so far. */
  readonly counts: { cached: number; requested: number; failed: number };
  /** The first failed request's reason (class and message, key redacted by the client), for the end of the run. */
  readonly firstError?: string;
  close(): Promise<void>;
}

/**
 * @param opts.cache the run's response cache as the judge uses it (run/cache-stage.ts); absent: nothing cached.
 * @param opts.maxResponseBytes the suite's limits.response_bytes, which caps the judge's answers as it caps the targets'.
 */
export function createJudgeStage(
  spec: JudgeSpec,
  opts: { env: Record<string, string | undefined>; cache?: ResponseCacheView; maxResponseBytes?: number },
): JudgeStage {
  const rubric: LoadedRubric = loadRubric(spec.rubric);
  const client = createEndpointClient(spec, { env: opts.env, cache: opts.cache, maxResponseBytes: opts.maxResponseBytes });
  const counts = { cached: 0, requested: 0, failed: 0 };
  const backend = endpointBackend(spec);
  const failed = (why: string): Score[] => JUDGE_METRICS.map((metric) => ({ metric, value: null, reasons: [`judge_error: ${why}`] }));

  let firstError: string | undefined;
  return {
    counts,
    get firstError() {
      return firstError;
    },
    describe: () => ({
      backend,
      model: spec.model,
      rubric: { id: rubric.id, version: rubric.version, sha256: rubric.sha256, scale: rubric.scale },
      sampling: spec.sampling,
      cache: opts.cache?.store.path ?? null,
    }),
    async judge(tool, call, simulatedRaw) {
      const messages = buildJudgeMessages(rubric, tool, call, simulatedRaw, call.reference);
      const reply = await client.complete({ api: 'chat', model: spec.model, messages, sampling: spec.sampling, stream: false, timeout_ms: spec.timeout_ms });
      if (reply.cache === 'hit') counts.cached++;
      else counts.requested++;
      if (reply.error || reply.text === null) {
        counts.failed++;
        const why = reply.error ? `${reply.error.class}: ${reply.error.message}` : 'empty reply';
        firstError ??= why;
        return failed(why);
      }
      return scoreJudgeVerdict(reply.text, rubric);
    },
    close: () => client.close(),
  };
}
