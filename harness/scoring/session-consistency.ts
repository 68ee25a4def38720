/**
 * `session.consistency`: the share of a session's invariants that hold over the whole session, scored on
 * its last step (where every answer is known). An invariant is a JSONata expression over
 * `{calls: [{tool, args, output, error}, ...]}` (also bound as `$calls`), written like a tool invariant:
 * e.g. `calls[3].output.content = calls[1].args.content` (the file written at step 1 reads back at step 3),
 * or `"Ada" in calls[4].output.entities.name` (a created entity is found by a later search). Only `true`
 * passes; a false, a non-boolean or an evaluation error fails with a reason naming the invariant.
 */
import { compilePureExpression } from './compile.js';
import type { Score } from './types.js';
import type { ResponseFamily, SessionCall } from './metric-family.js';
import type { SessionInvariant } from '../suite/session-step.js';

export const SESSION_CONSISTENCY = 'session.consistency';

type Compiled = ReturnType<typeof compilePureExpression>;
const cache = new Map<string, Compiled>();

/** Compiles (once per expression text); throws with the invariant's name on a syntax error. */
export function compileSessionInvariant(inv: SessionInvariant): Compiled {
  let c = cache.get(inv.expr);
  if (!c) {
    c = compilePureExpression(inv.expr, `session invariant ${inv.name}`);
    cache.set(inv.expr, c);
  }
  return c;
}

export async function scoreSessionConsistency(invariants: SessionInvariant[], calls: SessionCall[]): Promise<Score> {
  const score: Score = { metric: SESSION_CONSISTENCY, value: null, reasons: [] };
  if (!invariants.length) return score;
  const bindings = { calls };
  let passed = 0;
  for (const inv of invariants) {
    try {
      const r = await compileSessionInvariant(inv).evaluate(bindings);
      if (r === true) passed++;
      else score.reasons.push(`${inv.name}: ${r === false ? 'false' : `returned ${JSON.stringify(r) ?? 'nothing'}, not a boolean`}`);
    } catch (err) {
      const e = err as { message?: string };
      score.reasons.push(`${inv.name}: evaluation error: ${e?.message ?? String(err)}`);
    }
  }
  score.value = passed / invariants.length;
  return score;
}

/**
 * The `session` metric family: a suite that names `session` in `metrics` gets session.consistency on the
 * last step of every session row (null when the row has no invariants); the other steps carry none.
 */
export const sessionFamily: ResponseFamily = {
  name: 'session',
  source: 'response',
  description: "multi-turn consistency: a session's invariants over calls[i].args and calls[i].output",
  needs: {},
  metrics: {
    [SESSION_CONSISTENCY]: {
      label: 'session consistency',
      how: "per session, on its last step: the share of the session's invariants (JSONata over calls[i].args and calls[i].output: a file written reads back, a created entity is found, a deleted one is not) that hold over the target's own answers; sessions without invariants are left out",
      direction: 'higher',
      kind: 'bounded',
    },
  },
  async score(input) {
    const session = input.call.session;
    // Scored once per session, on its last step; the other steps carry no session.consistency at all.
    if (!session || session.step !== session.length - 1) return [];
    if (!session.invariants?.length) return [{ metric: SESSION_CONSISTENCY, value: null, reasons: ['the session has no invariants'] }];
    const current: SessionCall = { tool: input.call.tool, args: input.call.arguments, output: input.parsed?.value, error: null };
    return [await scoreSessionConsistency(session.invariants, [...(input.earlier ?? []), current])];
  },
};
