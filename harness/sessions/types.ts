/**
 * Multi-turn sessions: a dataset row `{id, session: [call, ...], setup?}` becomes one DatasetCall per step,
 * run in order by one worker against one target, with the session so far given to the target. These types
 * are the seam between the dataset loader, the engine and the targets that keep state (real:mcp) or show
 * the history to a model ({{history}} in prompt templates).
 */

/** Where a call sits in its session; set on every DatasetCall that came from a session row. */
export interface SessionStep {
  /** The session row's id. */
  id: string;
  /** 0-based position in the session. */
  step: number;
  /** Number of calls in the session; 0 when open-ended (serve-mcp: it ends when the client closes it). */
  length: number;
  /** Whose answers earlier steps show: the target's own (default) or the recorded real ones. */
  history: 'own' | 'real';
  /** The row's `setup`, given to targets with the first step (e.g. files a real tool should start with). */
  setup?: unknown;
  /** Session invariants (JSONata over `calls`), carried on the last step, where every answer is known. */
  invariants?: SessionInvariant[];
}

export interface SessionInvariant {
  name: string;
  /** JSONata over `{calls: [{tool, args, output, error}], ...}`; must be true. */
  expr: string;
  description?: string;
}

/** An earlier call of the session as a target sees it. */
export interface SessionTurn {
  tool: string;
  arguments: Record<string, unknown>;
  /** The response text (the target's own, or the recorded real output as JSON); null when the call failed. */
  response: string | null;
}

/** What the engine hands a target for a call that belongs to a session. */
export interface SessionContext {
  /** Unique per (session, target, repeat): a stateful target keys its live state by it. */
  key: string;
  step: number;
  length: number;
  history: SessionTurn[];
  setup?: unknown;
}

/** A session step as session invariants see it: `calls[i].args`, `calls[i].output`. */
export interface SessionCall {
  tool: string;
  args: Record<string, unknown>;
  /** The parsed answer (undefined when none could be parsed or the call failed). */
  output: unknown;
  /** The transport error class when the call failed, else null. */
  error: string | null;
}
