/**
 * The HTTP half of the LLM judge: for one simulated response, build the rubric's messages (pure, in
 * scoring/judge.ts), answer from the cache or ask the judge endpoint (any OpenAI-compatible server), and
 * turn the verdict into judge.* scores (pure). A judge failure gives null scores with the reason, never a
 * made-up number, and never fails the call being judged.
 */
import { join } from 'node:path';
import { buildJudgeMessages, JUDGE_METRICS, judgeCacheKey, loadRubric, scoreJudgeVerdict, type LoadedRubric } from '../scoring/judge.js';
import type { Score } from '../scoring/types.js';
import type { JudgeService } from '../scoring/metric-family.js';
import type { DatasetCall, JudgeSpec, ToolSpec } from '../suite/types.js';
import { createEndpointClient } from '../endpoint/client.js';
import { endpointBackend } from '../endpoint/model-endpoint.js';
import { ResponseCache } from './response-cache.js';

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

export function createJudgeStage(spec: JudgeSpec, opts: { env: Record<string, string | undefined>; cacheDir: string }): JudgeStage {
  const rubric: LoadedRubric = loadRubric(spec.rubric);
  const client = createEndpointClient(spec, { env: opts.env });
  const cache = new ResponseCache(join(opts.cacheDir, 'judge'));
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
      cache: cache.dir,
    }),
    async judge(tool, call, simulatedRaw) {
      const messages = buildJudgeMessages(rubric, tool, call, simulatedRaw, call.reference);
      const key = judgeCacheKey(rubric, spec.model, messages, spec.sampling);
      const hit = cache.get(key);
      if (hit) {
        counts.cached++;
        return scoreJudgeVerdict(hit.text, rubric);
      }
      counts.requested++;
      const reply = await client.complete({
        api: 'chat',
        model: spec.model,
        messages,
        sampling: spec.sampling,
        stream: false,
        timeout_ms: spec.timeout_ms,
      });
      if (reply.error || reply.text === null) {
        counts.failed++;
        const why = reply.error ? `${reply.error.class}: ${reply.error.message}` : 'empty reply';
        firstError ??= why;
        return failed(why);
      }
      // Only verdicts that were actually received are cached; failures are retried on the next run.
      cache.put({ key, text: reply.text, model: spec.model, created_at: new Date().toISOString() });
      return scoreJudgeVerdict(reply.text, rubric);
    },
    close: () => client.close(),
  };
}
