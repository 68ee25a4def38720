/**
 * The policy model behind an agent: any OpenAI-compatible chat server (vLLM serving the policy being trained),
 * reached through the same endpoint client as a target or the judge (endpoint/client.ts: replicas, pooled HTTP,
 * counted retries, a deadline over the whole body). Requests are not streamed: function calling needs the whole message, and a turn's
 * latency is what the step waits for either way.
 */
import type { ChatMessage } from '../prompts/template.js';
import { createEndpointClient } from '../endpoint/client.js';
import { endpointBackend, type ModelEndpoint, type SamplingParams } from '../endpoint/model-endpoint.js';
import type { AgentMessage, PolicyClient, PolicyToolDefinition, PolicyTurnResult } from './types.js';

/** The policy is a model endpoint (endpoint/model-endpoint.ts); its concurrency is the batch size. */
export type PolicySpec = ModelEndpoint;

export function createPolicyClient(spec: PolicySpec, opts: { stop?: readonly string[]; env?: Record<string, string | undefined> }): PolicyClient {
  const client = createEndpointClient(spec, { env: opts.env });
  const stop = [...new Set([...(spec.sampling.stop ?? []), ...(opts.stop ?? [])])];
  const sampling: SamplingParams = { ...spec.sampling, ...(stop.length ? { stop } : {}) };
  const backend = endpointBackend(spec);
  return {
    backend,
    describe: () => ({ backend, model: spec.model, ...client.describe(), sampling, timeout_ms: spec.timeout_ms }),
    async turn(messages: readonly AgentMessage[], tools: PolicyToolDefinition[] | undefined, signal?: AbortSignal): Promise<PolicyTurnResult> {
      const r = await client.complete({
        api: 'chat',
        model: spec.model,
        // The wire format is JSON: tool and tool-call messages pass through as the OpenAI API defines them.
        messages: messages as unknown as ChatMessage[],
        sampling,
        ...(tools?.length ? { tools } : {}),
        stream: false,
        timeout_ms: spec.timeout_ms,
        signal,
      });
      const base = { latency_ms: r.latency_ms, retries: r.retries, ...(r.usage ? { usage: r.usage } : {}) };
      if (r.error || r.text === null) return { ...base, reply: null, error: r.error ?? { class: 'bad_response', message: 'no text' } };
      return { ...base, error: null, reply: { text: r.text, tool_calls: r.tool_calls ?? [], ...(r.finish_reason ? { finish_reason: r.finish_reason } : {}) } };
    },
    close: () => client.close(),
  };
}
