/**
 * Dialect `openai-tools`: the search agent over OpenAI function calling (vLLM with a tool-call parser, e.g.
 * `--enable-auto-tool-choice --tool-call-parser hermes`). The suite's tools are offered as functions with their
 * own JSON Schema parameters; a tool call is an action, tool results go back as `tool` messages with the
 * result's JSON, and a reply without tool calls is the final answer (the text inside <answer>...</answer> when
 * the model uses the tags, else the whole text). A call to an unknown function or with arguments that are not a
 * JSON object is an invalid action: the policy is told why and tries again.
 * Options: `top_k` (filled in when the model leaves it out, default 3), `system` (the system prompt).
 */
import { UserError } from '../../util/errors.js';
import type { ToolSpec } from '../../suite/types.js';
import type { AgentAction, AgentMessage, AgentTask, Dialect, PolicyReply, PolicyToolDefinition, ToolInvocation, ToolOutcome } from '../types.js';
import type { QaPayload } from './qa-tasks.js';
import { SEARCH_REWARD_NAMES, searchReward } from './search-reward.js';

export const OPENAI_TOOLS_SYSTEM =
  'Answer the question. Use the search tool to look up the facts you need; you may search several times. ' +
  'When you know the answer, reply without a tool call, giving only the short answer inside <answer> and </answer>.';

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

export function createOpenAIToolsDialect(options: Record<string, unknown>): Dialect<QaPayload> {
  const topK = options.top_k ?? 3;
  if (typeof topK !== 'number' || !Number.isInteger(topK) || topK < 1 || topK > 50)
    throw new UserError(`agent.options.top_k: expected an integer from 1 to 50, found ${JSON.stringify(topK)}`);
  const system = options.system ?? OPENAI_TOOLS_SYSTEM;
  if (typeof system !== 'string' || !system) throw new UserError('agent.options.system: expected a non-empty string');

  return {
    name: 'openai-tools',
    task: 'search',
    rewardNames: SEARCH_REWARD_NAMES,
    policyTools: (tools: readonly ToolSpec[]): PolicyToolDefinition[] =>
      tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } })),
    initialMessages: (task: AgentTask<QaPayload>): AgentMessage[] => [
      { role: 'system', content: system },
      { role: 'user', content: task.payload.question },
    ],
    parseAction(reply: PolicyReply, tools: readonly ToolSpec[]): AgentAction {
      if (reply.tool_calls.length) {
        const calls: ToolInvocation[] = [];
        for (const c of reply.tool_calls) {
          if (!tools.some((t) => t.name === c.name))
            return { kind: 'invalid', reason: `unknown function ${c.name}; available: ${tools.map((t) => t.name).join(', ')}` };
          let args: unknown;
          try {
            args = JSON.parse(c.arguments || '{}');
          } catch {
            return { kind: 'invalid', reason: `arguments of ${c.name} are not JSON: ${c.arguments.slice(0, 120)}` };
          }
          if (!isObject(args)) return { kind: 'invalid', reason: `arguments of ${c.name} are not a JSON object` };
          if (c.name === 'search' && args.top_k === undefined) args = { ...args, top_k: topK };
          calls.push({ tool: c.name, arguments: args as Record<string, unknown>, call_id: c.id });
        }
        return { kind: 'tool', calls };
      }
      const tagged = /<answer>([\s\S]*?)(?:<\/answer>|$)/.exec(reply.text);
      const answer = (tagged ? tagged[1] : reply.text).trim();
      return answer ? { kind: 'answer', answer } : { kind: 'invalid', reason: 'empty reply without a tool call' };
    },
    assistantMessage(reply: PolicyReply, action: AgentAction): AgentMessage {
      // An invalid call is not echoed as a tool call: the API would then require a tool message for its id.
      if (action.kind !== 'tool') return { role: 'assistant', content: reply.text };
      return {
        role: 'assistant',
        content: reply.text || null,
        tool_calls: reply.tool_calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })),
      };
    },
    observationMessages(action: AgentAction, outcomes: readonly ToolOutcome[]): AgentMessage[] {
      if (action.kind === 'invalid') {
        return [
          {
            role: 'user',
            content: `Your previous reply could not be used (${action.reason}). Call a tool with JSON arguments, or give the final answer inside <answer> and </answer>.`,
          },
        ];
      }
      if (action.kind !== 'tool') return [];
      return outcomes.map((o, i) => ({
        role: 'tool',
        tool_call_id: o.invocation.call_id ?? `call_${i}`,
        content: o.value !== undefined ? JSON.stringify(o.value) : o.error ? `error: ${o.error.message}` : (o.raw ?? ''),
      }));
    },
    reward: (task, end) => searchReward(task.payload, end),
  };
}
