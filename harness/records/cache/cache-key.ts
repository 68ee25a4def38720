/**
 * The response cache's key predicted for a call that is not made: --replay (targets/replay.ts) and the cache
 * benchmark look up what a model target would have sent, rebuilding the request from the target's recorded
 * config (template, model, api, sampling, stream) and serialising it with the client's own wireRequest(), so the
 * prediction is keyed exactly as a live call is (request-key.ts).
 */
import { loadPromptTemplate, type PromptTemplate } from '../../prompts/template.js';
import type { SamplingParams } from '../../endpoint/model-endpoint.js';
import { wireRequest } from '../../targets/openai-client.js';
import { requestCacheKey } from './request-key.js';
import { observationOf } from '../../targets/openai.js';
import type { CallContext, Observation } from '../../targets/types.js';
import type { StoredAnswer } from './response-store.js';
import { markSharedTexts, sharedTextsOf } from '../../util/shared-text.js';

export interface CacheKeyer {
  /** Model name stored beside each row (for people reading the database). */
  readonly model: string;
  /** The key of a call and the request the target would record for it. */
  key(ctx: CallContext): { key: string; request: unknown };
  /** The observation a stored answer stands for, as the target would have returned it. */
  observation(answer: StoredAnswer): Omit<Observation, 'request' | 'cache'>;
}

interface ModelConfig {
  kind?: unknown;
  model?: unknown;
  api?: unknown;
  stream?: unknown;
  replicas?: unknown;
  sampling?: SamplingParams;
  template?: { file?: unknown; sha256?: unknown };
}

/**
 * A keyer for a model target from its config as a manifest recorded it (--replay), or undefined when the config
 * does not say enough to rebuild the request (then the cache cannot answer for that target).
 * @param fingerprint the served checkpoint's weights fingerprint, when gtm-bench started the server.
 */
export function modelCacheKeyer(config: Record<string, unknown>, fingerprint?: string): CacheKeyer | undefined {
  const c = config as ModelConfig;
  if (c.kind !== 'openai' || typeof c.model !== 'string' || typeof c.template?.file !== 'string') return undefined;
  if (c.api !== 'chat' && c.api !== 'completions') return undefined;
  let template: PromptTemplate;
  try {
    template = loadPromptTemplate(c.template.file);
  } catch {
    return undefined;
  }
  // The file on disk must be the one the config names; an edited template would render other requests.
  if (template.sha256 !== c.template.sha256) return undefined;
  const model = c.model;
  const api: 'chat' | 'completions' = c.api;
  const sampling = c.sampling ?? {};
  const stream = c.stream === true;
  const withReplica = Array.isArray(c.replicas);
  return {
    model,
    key(ctx) {
      // As the openai target renders it: the prompt's JSON comes with it and is spliced into the body.
      const { rendered, json } = template.renderWithJson(ctx.tool, ctx.call.arguments);
      const request = markSharedTexts({ api, model, ...rendered, sampling: { ...sampling, seed: sampling.seed ?? ctx.seed } }, sharedTextsOf(rendered));
      const wire = wireRequest({ ...request, prompt_json: json, stream, timeout_ms: 0 });
      return { key: requestCacheKey(wire, model, fingerprint), request };
    },
    observation: (answer) => observationOf(answer, withReplica),
  };
}
