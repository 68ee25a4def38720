/**
 * An MCP `tools/call` result as the value gtm-bench scores. A tool with an outputSchema answers with
 * `structuredContent`, which is the value; without one the content blocks are the value, as
 * `{content: [...]}`. `isError: true` is an error response of the tool (a refused call), not a transport
 * failure: it becomes `{error: TEXT}`, the default error shape every scorer and prompt already knows.
 */
export interface McpCallResult {
  content?: unknown[];
  structuredContent?: unknown;
  isError?: boolean;
}

/** The text of the result's text blocks, joined; other blocks are named by type. */
export function resultText(result: McpCallResult): string {
  return (result.content ?? [])
    .map((b) => {
      const block = b as { type?: string; text?: string };
      return block.type === 'text' ? (block.text ?? '') : `[${block.type ?? 'unknown'} block]`;
    })
    .join('\n');
}

export function toolOutput(result: McpCallResult): unknown {
  if (result.isError) return { error: resultText(result) };
  if (result.structuredContent !== undefined) return result.structuredContent;
  return { content: result.content ?? [] };
}
