/**
 * The response cache's key: sha256 over canonical JSON of what fixes a model's answer and nothing else:
 * the model's identity (its name, the checkpoint's weights fingerprint when gtm-bench served it, the
 * prompt template's sha256), the exact request (rendered messages or prompt, api, sampling, the effective
 * seed) and whether it was streamed. Where the server lives (base URL, replicas) and how hard it is driven
 * are not in it, so a cache filled against one server answers for the same checkpoint on another.
 *
 * The request is rendered here from the target's template, before the call, and after a miss it is
 * compared with the request the target did send: a target whose request differs from the prediction is
 * never written to the cache (see cached-target.ts), so the key can never name an answer to another question.
 */
import { loadPromptTemplate, type PromptTemplate } from '../../prompts/template.js';
import type { SamplingParams } from '../../endpoint/model-endpoint.js';
import type { CallContext } from '../../targets/types.js';
import { canonicalJson, sha256 } from '../../util/hash.js';

export const CACHE_KEY_VERSION = 1;

export interface CacheKeyer {
  /** Model name stored beside each row (for people reading the database). */
  readonly model: string;
  /** The key of a call and the request the target is expected to send for it. */
  key(ctx: CallContext): { key: string; request: unknown };
}

interface ModelConfig {
  kind?: unknown;
  model?: unknown;
  api?: unknown;
  stream?: unknown;
  sampling?: SamplingParams;
  template?: { file?: unknown; sha256?: unknown };
}

/**
 * A keyer for a model target, from its describe() config (live or as written in a manifest), or undefined
 * when the config does not say enough to predict the request (then the target is not cached).
 * @param fingerprint the served checkpoint's weights fingerprint, when gtm-bench started the server.
 */
export function modelCacheKeyer(config: Record<string, unknown>, fingerprint?: string): CacheKeyer | undefined {
  const c = config as ModelConfig;
  if (c.kind !== 'openai' || typeof c.model !== 'string' || typeof c.template?.file !== 'string') return undefined;
  let template: PromptTemplate;
  try {
    template = loadPromptTemplate(c.template.file);
  } catch {
    return undefined;
  }
  // The file on disk must be the one the config names; an edited template would render other requests.
  if (template.sha256 !== c.template.sha256) return undefined;
  const model = c.model;
  const sampling = c.sampling ?? {};
  const stream = c.stream === true;
  return {
    model,
    key(ctx) {
      const request = { api: c.api, model, ...template.render(ctx.tool, ctx.call.arguments), sampling: { ...sampling, seed: sampling.seed ?? ctx.seed } };
      const key = sha256(canonicalJson({ v: CACHE_KEY_VERSION, model, fingerprint: fingerprint ?? null, template: template.sha256, request, stream }));
      return { key, request };
    },
  };
}
