/**
 * Dialect `mcp-tools`: an agent over an MCP server's tools through OpenAI function calling (the task kind
 * `session`). The suite's tools (imported from the server with `gtm-bench import mcp`) are offered as functions;
 * calls go to the step's backend (the real server through real:mcp, GTM with the session prompt, or hybrid),
 * one session per episode, so the tool keeps state across the episode's calls: what the agent created, the
 * next call finds. Protocol and reward are openai-tools' (a reply without tool calls is the answer, scored
 * against the task's golden answers); only the default instructions differ.
 * Options: `system` (the system prompt).
 */
import type { ToolSpec } from '../../suite/types.js';
import type { Dialect } from '../types.js';
import { createOpenAIToolsDialect } from '../search/openai-tools.js';
import type { QaPayload } from '../search/qa-tasks.js';

export const MCP_TOOLS_SYSTEM =
  'You are an assistant that works with tools. Use the tools to do what the user asks; the tools keep state, so ' +
  'what you create or change stays there for your later calls. When you are done, reply without a tool call, ' +
  'giving only the short answer the user asked for inside <answer> and </answer>.';

export function createMcpToolsDialect(options: Record<string, unknown>): Dialect<QaPayload> {
  const base = createOpenAIToolsDialect({ system: MCP_TOOLS_SYSTEM, ...options });
  return {
    ...base,
    name: 'mcp-tools',
    task: 'session',
    policyTools: (tools: readonly ToolSpec[]) => base.policyTools!(tools),
  };
}
