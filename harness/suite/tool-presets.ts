/**
 * Named defaults for tool specs of a known response shape; a tool's own fields win over its preset's.
 *   stabletoolbench: the {"error": "...", "response": "..."} envelope of StableToolBench / MirrorAPI simulated
 *   APIs. A response is a refusal when `error` is a non-empty string; `{"error": "", ...}` is a success.
 */
import type { JsonSchema } from './types.js';

export interface ToolPreset {
  refusal?: string;
  error_schema?: JsonSchema;
}

export const TOOL_PRESETS: Record<string, ToolPreset> = {
  stabletoolbench: {
    refusal: "$type(error) = 'string' and $length($trim(error)) > 0",
    error_schema: { type: 'object', required: ['error'], properties: { error: { type: 'string', minLength: 1 }, response: {} } },
  },
};
