/**
 * The `agent` section an agent run's summary.json carries (the rollout contract shared by the search, kernel
 * and report work). The agent loop writes it; reports only read it, so the reader's view of the shape lives
 * here: the check that a summary.json really carries it, and the manifest's backends. A summary without the
 * section (every fidelity run) simply has no agent charts.
 */
// One definition of the shape: the writer's (agents/agent-summary.ts). Reports never build it, they only read it.
export type { AgentSection } from '../agents/agent-summary.js';
export { AGENT_MODES, type AgentMode } from '../agents/types.js';
import type { AgentSection } from '../agents/agent-summary.js';

/** The summary's agent section, or undefined when the run has none (or a malformed one, which is said). */
export function agentSection(summary: unknown): { agent?: AgentSection; problem?: string } {
  const agent = (summary as { agent?: unknown } | null)?.agent;
  if (agent === undefined) return {};
  const a = agent as Partial<AgentSection>;
  if (!a || typeof a !== 'object' || (a.task !== 'search' && a.task !== 'kernel') || !a.modes || typeof a.modes !== 'object') {
    return { problem: 'summary.json has an agent section that does not follow the rollout contract (task search|kernel, modes); agent charts left out' };
  }
  return { agent: a as AgentSection };
}

/** What produced an agent run's numbers, from its manifest (`backends`), when the manifest says. */
export function agentBackends(manifest: unknown): { policy?: string; real?: string; gtm?: string } | undefined {
  const b = (manifest as { backends?: unknown } | null)?.backends;
  return b && typeof b === 'object' ? (b as { policy?: string; real?: string; gtm?: string }) : undefined;
}
