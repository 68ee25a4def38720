/**
 * MCP `tools/list` to tool files in gtm-bench's unified template. inputSchema becomes `parameters`,
 * outputSchema (when the server gives one) `response_schema`, otherwise the shape of a content-block
 * answer; an `isError` answer is `{error: TEXT}` (see tool-result.ts). A tool whose schema does not compile
 * as JSON Schema is left out with the reason, never written half-valid.
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { compileToolSchema } from '../suite/schema-ajv.js';

/** The value real:mcp scores for a tool without an outputSchema: its content blocks. */
export const CONTENT_BLOCKS_SCHEMA = {
  type: 'object',
  properties: {
    content: {
      type: 'array',
      items: { type: 'object', properties: { type: { type: 'string' }, text: { type: 'string' } }, required: ['type'] },
    },
  },
  required: ['content'],
};

export const MCP_ERROR_SCHEMA = { type: 'object', properties: { error: { type: 'string' } }, required: ['error'], additionalProperties: false };

const TOOL_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * Servers declare draft-07 (`$schema: http://json-schema.org/draft-07/schema#`); the harness compiles tool
 * schemas as 2020-12, which accepts the keywords these schemas use. The declaration itself would make the
 * 2020-12 validator look for a meta-schema it does not have, so it is dropped (at every level).
 */
function withoutDialect(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutDialect);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) if (k !== '$schema') out[k] = withoutDialect(v);
  return out;
}

export interface ImportedTool {
  name: string;
  /** The tool file's content. */
  file: Record<string, unknown>;
}

export function importTools(tools: Tool[]): { imported: ImportedTool[]; skipped: { name: string; reason: string }[] } {
  const imported: ImportedTool[] = [];
  const skipped: { name: string; reason: string }[] = [];
  for (const tool of tools) {
    if (!TOOL_NAME.test(tool.name)) {
      skipped.push({ name: tool.name, reason: `name is not usable as a gtm-bench tool name (${TOOL_NAME})` });
      continue;
    }
    const parameters = withoutDialect(tool.inputSchema) as Record<string, unknown>;
    const response = tool.outputSchema ? (withoutDialect(tool.outputSchema) as Record<string, unknown>) : CONTENT_BLOCKS_SCHEMA;
    const bad = [
      ['inputSchema', parameters],
      ['outputSchema', response],
    ].flatMap(([what, schema]) => {
      try {
        compileToolSchema(schema);
        return [];
      } catch (err) {
        return [`${what} is not valid JSON Schema: ${(err as Error).message}`];
      }
    });
    if (bad.length) {
      skipped.push({ name: tool.name, reason: bad.join('; ') });
      continue;
    }
    imported.push({
      name: tool.name,
      file: {
        name: tool.name,
        description: tool.description ?? tool.title ?? '',
        parameters,
        response_schema: response,
        error_schema: MCP_ERROR_SCHEMA,
        invariants: [],
        semantic: {},
      },
    });
  }
  return { imported, skipped };
}
