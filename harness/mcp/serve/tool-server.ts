/**
 * A suite's tools as an MCP server (the SDK's low-level Server: tools come with JSON Schemas, not zod).
 * tools/list gives each tool's name, description and `parameters` as inputSchema; no outputSchema is
 * declared, because a simulator's answer is scored against the response schema, not rejected by the
 * client's SDK before anyone sees it. tools/call answers with the backend's text as one text block;
 * an error response (top-level `error`) or a failed call is `isError: true`.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ToolSpec } from '../../suite/types.js';

/** `sessionId`: the MCP session (Streamable HTTP), or `stdio` for the one session of a stdio server. */
export type AnswerCall = (sessionId: string, tool: ToolSpec, args: Record<string, unknown>) => Promise<CallToolResult>;

export function createToolServer(name: string, version: string, tools: ToolSpec[], answer: AnswerCall): Server {
  const byName = new Map(tools.map((t) => [t.name, t]));
  const server = new Server({ name, version }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: tools.map((t) => ({
      name: t.name,
      description: t.description,
      inputSchema: (typeof t.parameters === 'object' ? t.parameters : { type: 'object' }) as { type: 'object'; [k: string]: unknown },
    })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (req, extra) => {
    const tool = byName.get(req.params.name);
    if (!tool) return { content: [{ type: 'text', text: `unknown tool ${req.params.name}; this server has ${[...byName.keys()].join(', ')}` }], isError: true };
    return answer(extra.sessionId ?? 'stdio', tool, (req.params.arguments ?? {}) as Record<string, unknown>);
  });
  return server;
}
