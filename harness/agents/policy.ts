/**
 * The policy model behind an agent: any OpenAI-compatible chat server (vLLM serving the policy being trained),
 * reached through the harness's own client (targets/openai-client.ts: pooled HTTP, counted retries, a deadline
 * over the whole body). Requests are not streamed: function calling needs the whole message, and a turn's
 * latency is what the step waits for either way.
 */
import type { SamplingParams } from '../suite/types.js';
import type { ChatMessage } from '../prompts/template.js';
import { OpenAICompatClient } from '../targets/openai-client.js';
import type { AgentMessage, PolicyClient, PolicyToolDefinition, PolicyTurnResult } from './types.js';

export interface PolicySpec {
  base_url: string;
  model: string;
  api_key_env?: string;
  sampling: SamplingParams;
  timeout_ms: number;
  retries: number;
  /** Set when a variable the policy needs is unset. */
  not_configured?: string;
}

export function createPolicyClient(
  spec: PolicySpec,
  opts: { concurrency: number; stop?: readonly string[]; env?: Record<string, string | undefined> },
): PolicyClient {
  const client = new OpenAICompatClient({
    base_url: spec.base_url,
    api_key_env: spec.api_key_env,
    concurrency: opts.concurrency,
    retries: spec.retries,
    env: opts.env,
  });
  const stop = [...new Set([...(spec.sampling.stop ?? []), ...(opts.stop ?? [])])];
  const sampling: SamplingParams = { ...spec.sampling, ...(stop.length ? { stop } : {}) };
  const backend = `openai:${spec.base_url}#${spec.model}`;
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
