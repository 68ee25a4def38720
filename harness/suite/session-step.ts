/**
 * Multi-turn sessions: a dataset row `{id, session: [call, ...], setup?}` becomes one DatasetCall per step,
 * run in order by one worker against one target, with the session so far given to the target. Each piece
 * lives with the stage that uses it: the step a call carries and its invariants (here, read by the loader in session-row.ts),
 * the turns a prompt shows (prompts/history.ts SessionTurn), what a target is handed (targets/types.ts
 * SessionContext), the chains the engine runs (engine/session-chains.ts), and the invariants scored over a
 * whole session (scoring/session-consistency.ts, with SessionCall in scoring/metric-family.ts).
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

/** One invariant of a session row (carried on its last step): a JSONata expression that must be true. */
export interface SessionInvariant {
  name: string;
  /** JSONata over `{calls: [{tool, args, output, error}], ...}`; must be true. */
  expr: string;
  description?: string;
}
