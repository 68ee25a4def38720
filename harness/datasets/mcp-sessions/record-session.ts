/**
 * Runs one session's calls on a fresh real MCP server and turns the answers into a session row: each
 * answer is the step's reference, a refused or schema-invalid call is marked expect_error, and the
 * session invariants that hold on this recording are attached (invariants.ts).
 */
import type { ValidateFunction } from 'ajv';
import type { McpServerSpec } from '../../tools/mcp/server-spec.js';
import { openMcpSession } from '../../tools/mcp/session.js';
import { toolOutput } from '../../tools/mcp/tool-result.js';
import type { SessionCall } from '../../scoring/metric-family.js';
import type { GeneratedSession } from './generate.js';
import { deriveInvariants } from './invariants.js';

export interface RecordedRow {
  row: Record<string, unknown>;
  calls: number;
  refused: number;
  broken: number;
  invariants: number;
}

export async function recordSession(
  server: McpServerSpec,
  profile: 'memory' | 'filesystem',
  session: GeneratedSession,
  validators: Map<string, ValidateFunction>,
  tags: string[] = [],
): Promise<RecordedRow> {
  const live = await openMcpSession(server, { startupTimeoutMs: 30000 });
  const recorded: SessionCall[] = [];
  const steps: Record<string, unknown>[] = [];
  let refused = 0;
  try {
    for (const c of session.calls) {
      const result = await live.call(c.tool, c.arguments, 30000);
      const output = toolOutput(result);
      const invalid = !validators.get(c.tool)!(c.arguments);
      recorded.push({ tool: c.tool, args: c.arguments, output, error: null });
      if (result.isError) refused++;
      steps.push({
        tool: c.tool,
        arguments: c.arguments,
        reference: output,
        ...(result.isError || invalid ? { expect_error: true } : {}),
        ...(c.broken ? { tags: [`broken:${c.broken}`] } : {}),
      });
    }
  } finally {
    await live.close();
  }
  const invariants = await deriveInvariants(profile, recorded);
  const row = { id: session.id, session: steps, ...(invariants.length ? { invariants } : {}), tags: [...tags, `length:${session.calls.length}`] };
  return { row, calls: steps.length, refused, broken: session.calls.filter((c) => c.broken).length, invariants: invariants.length };
}
