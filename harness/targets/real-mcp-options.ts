/**
 * real:mcp's options, apart from the target itself so that the composition root (targets/builtin.ts) can declare
 * them for `validate` without loading the MCP SDK, which only a suite with an MCP target needs.
 */
import type { TargetOptionsSpec } from './registry.js';
import { optionSchema } from './target-options.js';

const stringsSchema = { type: 'array', items: { type: 'string' } };
const stringMapSchema = { type: 'object', additionalProperties: { type: 'string' } };

/** The options `validate` checks at their position in the suite (see targets/registry.ts). */
export const MCP_OPTIONS: TargetOptionsSpec = {
  properties: {
    command: optionSchema.text('the command that starts a stdio server'),
    args: { ...stringsSchema, description: "the command's arguments (relative paths are next to the suite)" },
    env: { ...stringMapSchema, description: 'environment variables for the server' },
    cwd: optionSchema.text('working folder of the server'),
    url: optionSchema.url('a Streamable HTTP server, instead of command'),
    headers: { ...stringMapSchema, description: 'HTTP headers for url' },
    path_alias: optionSchema.text('the name the session root goes by in the tool files'),
    timeout_ms: optionSchema.int(1, undefined, 'per call'),
    startup_timeout_ms: optionSchema.int(1, undefined, 'server start and initialise'),
    tools_lock: optionSchema.text('tools/list hash file written by import mcp'),
  },
};
