/**
 * One tool invocation on the backend of the step: an ordinary Target (real tool, or an `openai` target with the
 * GTM prompt template) called the way the fidelity suites call it, so the simulator an agent trains against is
 * exactly the one those suites measure. Its text is parsed as the scorers parse it (parse/json-from-text.ts).
 */
import { parseToolOutput } from '../parse/json-from-text.js';
import type { ToolSpec } from '../suite/types.js';
import type { Target } from '../targets/types.js';
import type { SessionTurn } from '../prompts/history.js';
import type { SessionContext } from '../targets/types.js';
import type { ToolBackendName, ToolInvocation, ToolOutcome } from './types.js';

export interface ToolBackend {
  name: ToolBackendName;
  target: Target;
}

export async function callTool(
  backend: ToolBackend,
  tools: ReadonlyMap<string, ToolSpec>,
  invocation: ToolInvocation,
  ids: { call_id: string; seed: number },
  signal?: AbortSignal,
  /** The episode's tool session: stateful tools (real:mcp) keep state across its calls, GTM sees the history. */
  session?: SessionContext,
): Promise<ToolOutcome> {
  const tool = tools.get(invocation.tool);
  const base = { invocation, backend: backend.name };
  if (!tool) return { ...base, raw: null, latency_ms: 0, error: { class: 'tool_failure', message: `no tool ${invocation.tool} in the suite` } };
  const obs = await backend.target.call({
    tool,
    call: { id: ids.call_id, tool: tool.name, arguments: invocation.arguments, source: { dataset: 'agent', line: 0 } },
    repeat: 0,
    seed: ids.seed,
    signal,
    ...(session ? { session } : {}),
  });
  if (obs.error) return { ...base, raw: obs.raw, latency_ms: obs.latency_ms, error: obs.error };
  const parsed = parseToolOutput(obs.raw);
  if (parsed.value === undefined) {
    return {
      ...base,
      raw: obs.raw,
      latency_ms: obs.latency_ms,
      error: { class: 'bad_response', message: `no JSON value in the tool's answer (${parsed.status}${parsed.note ? ': ' + parsed.note : ''})` },
    };
  }
  return { ...base, raw: obs.raw, value: parsed.value, latency_ms: obs.latency_ms, error: null };
}

/**
 * One tool session per episode: every call of the episode carries the same key (stateful tools keep state
 * under it), its index in the episode, and the calls before it with their answers ({{history}} for GTM). The
 * episode ends it, so a real server's state lives exactly as long as the episode.
 */
export class EpisodeSession {
  readonly #history: SessionTurn[] = [];
  #next = 0;
  constructor(
    readonly key: string,
    private readonly backend: ToolBackend,
  ) {}

  /** The context of the next call; calls of one turn get consecutive steps and the history before the turn. */
  next(): SessionContext {
    return { key: this.key, step: this.#next++, length: 0, history: [...this.#history] };
  }

  record(outcomes: readonly ToolOutcome[]): void {
    for (const o of outcomes) this.#history.push({ tool: o.invocation.tool, arguments: o.invocation.arguments, response: o.raw });
  }

  async end(): Promise<void> {
    await this.backend.target.endSession?.(this.key);
  }
}
