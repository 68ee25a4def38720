#!/usr/bin/env node
// A small stdio MCP server that misbehaves on purpose, for the real:mcp and import tests (the well-behaved
// cases use the real reference servers). MODE (env): ok | die (exits on tools/call after a stderr line) |
// hang (never answers tools/call) | no-start (exits before initialize) | bad-schema (one tool's inputSchema is
// not JSON Schema); VARIANT changes the listed tools (to test the import lock). Every mode starts a
// grandchild that sleeps, so a test can check that the whole process group is gone after close.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const mode = process.env.MODE ?? 'ok';
if (mode === 'no-start') {
  process.stderr.write('odd-server: config file missing, giving up\n');
  process.exit(3);
}
const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)'], { stdio: 'ignore' });
if (process.env.PID_FILE) writeFileSync(process.env.PID_FILE, `${process.pid} ${sleeper.pid}\n`);

const tools = [
  { name: 'echo', description: 'Echoes its text.', inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } },
];
if (process.env.VARIANT === '2') tools.push({ name: 'shout', description: 'Echoes louder.', inputSchema: { type: 'object', properties: {} } });
if (mode === 'bad-schema') tools.push({ name: 'broken', description: 'Bad schema.', inputSchema: { type: 'object', properties: { x: { type: 'nonsense' } } } });

const server = new Server({ name: 'odd-server', version: '1.0.0' }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools }));
server.setRequestHandler(CallToolRequestSchema, async (req) => {
  if (mode === 'die') {
    process.stderr.write('odd-server: segfault in the tool, exiting\n');
    process.exit(7);
  }
  if (mode === 'hang') return new Promise(() => {});
  const text = req.params.arguments?.text;
  if (typeof text !== 'string') return { content: [{ type: 'text', text: 'text must be a string' }], isError: true };
  return { content: [{ type: 'text', text }] };
});
await server.connect(new StdioServerTransport());
