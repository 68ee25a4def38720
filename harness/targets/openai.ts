/**
 * The model target: any OpenAI-compatible server (vLLM serving a GTM checkpoint is the main case).
 * It renders the prompt from the tool spec and the call's arguments with a versioned template, asks
 * the server through its model endpoint's client (endpoint/client.ts: replicas, retries, the response cache
 * keyed on the bytes sent), and returns the generated text as the Observation's raw.
 */
import { resolve } from 'node:path';
import { loadPromptTemplate, type PromptTemplate } from '../prompts/template.js';
import type { OpenAITargetSpec } from '../suite/types.js';
import { UserError } from '../util/errors.js';
import { harnessFile } from '../util/package-root.js';
import { stringifyWithSplice } from '../util/json-splice.js';
import { attachRequestJson } from '../records/request-json.js';
import { markSharedTexts, sharedTextsOf } from '../util/shared-text.js';
import type { CompletionRequest, CompletionResult } from './openai-client.js';
import { createEndpointClient, type EndpointClientOptions } from '../endpoint/client.js';
import { endpointBackend } from '../endpoint/model-endpoint.js';
import type { CallContext, CallError, Observation, Target } from './types.js';

export const DEFAULT_PROMPT_TEMPLATE = harnessFile('prompts', 'gtm-tool-sim-v1.yaml');

/** The target's client options are its endpoint client's (env, retry, health, response cap, cache). */
export type OpenAITargetOptions = EndpointClientOptions;

export async function createOpenAITarget(spec: OpenAITargetSpec, opts: OpenAITargetOptions = {}): Promise<Target> {
  const template = loadPromptTemplate(resolve(spec.prompt_template || DEFAULT_PROMPT_TEMPLATE));
  if (template.api !== spec.api) {
    throw new UserError(`target ${spec.name}: api is ${spec.api} but prompt template ${template.file} (${template.id}) is written for ${template.api}`);
  }
  const notConfigured = spec.not_configured;
  const client = notConfigured ? undefined : createEndpointClient(spec, opts);
  const backend = endpointBackend(spec);

  /** Per live session: prompt tokens per character, as the server reported for the session's last prompt. */
  const tokenRatio = new Map<string, number>();
  return {
    name: spec.name,
    kind: spec.kind,
    backend,
    describe: () => ({
      ...spec,
      backend,
      ...(notConfigured ? { not_configured: notConfigured } : {}),
      template: describeTemplate(template),
    }),
    async call(ctx: CallContext): Promise<Observation> {
      const key = ctx.session?.key;
      // The prompt is serialised once, by the template from its pre-escaped pieces: spliced into the HTTP body
      // by the client and into the record line (records/record-line.ts).
      const { rendered, json: promptJson } =
        ctx.session && template.uses_history
          ? template.renderWithJson(ctx.tool, ctx.call.arguments, { turns: ctx.session.history, tokensPerChar: tokenRatio.get(key!) })
          : template.renderWithJson(ctx.tool, ctx.call.arguments);
      const sampling = { ...spec.sampling, seed: spec.sampling.seed ?? ctx.seed };
      // The tool's parts of the prompt stay marked (util/shared-text.ts): the record stores them once per run.
      const request = markSharedTexts({ api: spec.api, model: spec.model, ...rendered, sampling }, sharedTextsOf(rendered));
      if (!client) return { raw: null, request, latency_ms: 0, retries: 0, error: { class: 'not_configured', message: notConfigured! } };
      const promptKey = 'messages' in rendered ? 'messages' : 'prompt';
      // Made only if the record line needs it (a request whose shared texts go to the text store does not).
      attachRequestJson(request, () => stringifyWithSplice(request as Record<string, unknown>, promptKey, promptJson));
      const req: CompletionRequest = { ...request, prompt_json: promptJson, stream: spec.stream, timeout_ms: spec.timeout_ms, signal: ctx.signal };
      const r = await client.complete(req);
      // The server's own count of this prompt's tokens calibrates the truncation of the session's later histories.
      if (key && template.uses_history && r.usage?.prompt_tokens) tokenRatio.set(key, r.usage.prompt_tokens / promptChars(rendered));
      const obs = observationOf(r, spec.replicas !== undefined) as Observation;
      obs.request = request;
      obs.cache = r.cache;
      return obs;
    },
    promptBytes: (tool, args, budget) => template.measure(tool, args, budget),
    runtimeStats: () => (client && spec.replicas ? { replicas: client.replicaStats() } : undefined),
    endSession: async (key: string) => {
      tokenRatio.delete(key);
    },
    close: async () => client?.close(),
  };
}

/**
 * The Observation of one answer, sent or from the response cache (then with the backend that wrote it), less the
 * request and the cache mark. --replay builds a cached answer's observation with it too (records/cache/cache-key.ts).
 */
export function observationOf(
  r: Omit<CompletionResult, 'error'> & { error?: CallError | null; backend?: string },
  withReplica: boolean,
): Omit<Observation, 'request' | 'cache'> {
  // Built by assignment, not by spreading optional parts: it is made for every call.
  const o: Omit<Observation, 'request' | 'cache'> = { raw: r.text, latency_ms: r.latency_ms, retries: r.retries, error: r.error ?? null };
  if (r.ttft_ms !== undefined) o.ttft_ms = r.ttft_ms;
  if (r.usage) o.usage = r.usage;
  if (r.finish_reason) o.finish_reason = r.finish_reason;
  if (withReplica) o.replica = r.replica;
  if (r.invalid_utf8) o.invalid_utf8 = r.invalid_utf8;
  if (r.backend) o.backend = r.backend;
  return o;
}

function promptChars(r: ReturnType<PromptTemplate['render']>): number {
  return 'prompt' in r ? r.prompt.length : r.messages.reduce((n, m) => n + String(m.content ?? '').length, 0);
}

function describeTemplate(t: PromptTemplate): Record<string, unknown> {
  return { id: t.id, version: t.version, file: t.file, sha256: t.sha256 };
}
