/**
 * Loopback simulator stand-ins for the session tests and figures: an OpenAI-compatible server (the vLLM
 * stand-in) whose "model" answers a tool call by running it on a real MCP server. It is NOT a model and
 * nothing it returns may be reported as one; it exists to give consistency scoring a known answer:
 * - `keeps`: replays the session's earlier calls (read from {{history}} in the prompt) on a fresh server,
 *   then answers the current call: a simulator with perfect memory, so session.consistency must hold;
 * - `forgets`: answers the current call on a fresh server, ignoring the history: a simulator with no
 *   memory, so whatever a session built is gone and session.consistency must drop.
 * The prompt must come from a template with {{history}} rendered by harness/prompts/history.ts.
 */
import { openMcpSession } from '../../harness/tools/mcp/session.js';
import type { McpServerSpec } from '../../harness/tools/mcp/server-spec.js';
import { toolOutput } from '../../harness/tools/mcp/tool-result.js';
import { parseRenderedHistory } from '../../harness/prompts/history.js';
import { startStandIn, type StandIn, type StandInRequest, type ScriptedResponse } from '../../dev/stand-ins/vllm-stand-in.js';

export type Memory = 'keeps' | 'forgets';

function promptOf(req: StandInRequest): string {
  const b = req.body ?? {};
  return Array.isArray(b.messages) ? b.messages.map((m: { content?: unknown }) => String(m.content ?? '')).join('\n') : String(b.prompt ?? '');
}

/** The current call: `Tool name: X` and the JSON line after `Call arguments:`. */
export function currentCall(prompt: string): { tool: string; args: Record<string, unknown> } | undefined {
  const tool = [...prompt.matchAll(/^Tool name: (\S+)$/gm)].pop()?.[1];
  const args = [...prompt.matchAll(/^Call arguments:\n(.*)$/gm)].pop()?.[1];
  if (!tool || args === undefined) return undefined;
  return { tool, args: JSON.parse(args) };
}

export async function answerWithServer(server: McpServerSpec, memory: Memory, prompt: string): Promise<string> {
  const call = currentCall(prompt);
  if (!call) return JSON.stringify({ error: 'stand-in: no call found in the prompt' });
  const s = await openMcpSession(server, { startupTimeoutMs: 30000 });
  try {
    if (memory === 'keeps') for (const turn of parseRenderedHistory(prompt)) await s.call(turn.tool, turn.arguments, 30000);
    return JSON.stringify(toolOutput(await s.call(call.tool, call.args, 30000)));
  } finally {
    await s.close();
  }
}

export function startMcpSimStandIn(server: McpServerSpec, memory: Memory, opts: { port?: number } = {}): Promise<StandIn> {
  return startStandIn({
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    respond: async (req): Promise<ScriptedResponse> => ({ text: await answerWithServer(server, memory, promptOf(req)) }),
  });
}
