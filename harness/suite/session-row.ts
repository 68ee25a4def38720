/**
 * A session row of a dataset, `{id, session: [{tool, arguments, reference?, expect_error?, tags?}, ...],
 * setup?, history?, invariants?, tags?}`, to one DatasetCall per step (ids `ID#0`, `ID#1`, ...), each
 * checked as a single-call row is (known tool, arguments valid unless expect_error). Problems inside a step
 * are reported with the step's place (`session[2].arguments`) on the row's line.
 */
import type { Problem } from '../util/errors.js';
import { showValue } from './describe.js';
import type { DatasetCall } from './types.js';
import type { SessionInvariant, SessionStep } from './session-step.js';
import { compileSessionInvariant } from '../scoring/session-consistency.js';

export const SESSION_ROW_KEYS = ['id', 'session', 'setup', 'history', 'invariants', 'tags'];
const STEP_KEYS = ['tool', 'arguments', 'reference', 'expect_error', 'tags', 'gold'];

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Parses one step as a single-call row would be parsed; supplied by dataset-row.ts (no import cycle). */
export type ParseStep = (row: Record<string, unknown>) => { call?: DatasetCall; problems: Problem[] };

export function parseSessionRow(
  row: Record<string, unknown>,
  problemAt: (path: string, message: string) => Problem,
  parseStep: ParseStep,
): { calls?: DatasetCall[]; problems: Problem[] } {
  const problems: Problem[] = [];
  for (const key of Object.keys(row)) {
    if (!SESSION_ROW_KEYS.includes(key)) problems.push(problemAt(key, `unknown key "${key}" in a session row; allowed keys: ${SESSION_ROW_KEYS.join(', ')}`));
  }
  const { id, session, history, invariants, tags } = row;
  if (typeof id !== 'string' || !id) problems.push(problemAt('id', `expected a non-empty string, found ${showValue(id)}`));
  if (!Array.isArray(session) || session.length === 0)
    problems.push(problemAt('session', `expected a non-empty list of calls {tool, arguments, ...}, found ${showValue(session)}`));
  if (history !== undefined && history !== 'own' && history !== 'real')
    problems.push(problemAt('history', `expected own (the target's own answers, default) or real (the recorded ones), found ${showValue(history)}`));
  if (tags !== undefined && !(Array.isArray(tags) && tags.every((t) => typeof t === 'string')))
    problems.push(problemAt('tags', `expected an array of strings, found ${showValue(tags)}`));
  const invs: SessionInvariant[] = [];
  if (invariants !== undefined) {
    if (!Array.isArray(invariants)) problems.push(problemAt('invariants', `expected a list of {name, expr}, found ${showValue(invariants)}`));
    else
      invariants.forEach((inv, i) => {
        if (!isObject(inv) || typeof inv.name !== 'string' || typeof inv.expr !== 'string') {
          problems.push(problemAt(`invariants[${i}]`, `expected {name, expr} with string values, found ${showValue(inv)}`));
        } else {
          try {
            compileSessionInvariant(inv as unknown as SessionInvariant);
          } catch (err) {
            problems.push(problemAt(`invariants[${i}].expr`, (err as Error).message));
            return;
          }
          invs.push({ name: inv.name, expr: inv.expr, ...(typeof inv.description === 'string' ? { description: inv.description } : {}) });
        }
      });
  }
  if (problems.length || !Array.isArray(session)) return { problems };

  const calls: DatasetCall[] = [];
  session.forEach((step, i) => {
    const where = `session[${i}]`;
    if (!isObject(step)) {
      problems.push(problemAt(where, `expected a call {tool, arguments, ...}, found ${showValue(step)}`));
      return;
    }
    const unknown = Object.keys(step).filter((k) => !STEP_KEYS.includes(k));
    for (const k of unknown) problems.push(problemAt(`${where}.${k}`, `unknown key "${k}" in a session call; allowed keys: ${STEP_KEYS.join(', ')}`));
    const merged = { ...step, id: `${id}#${i}`, ...(tags || step.tags ? { tags: [...((tags as string[]) ?? []), ...((step.tags as string[]) ?? [])] } : {}) };
    const r = parseStep(merged);
    problems.push(...r.problems.map((p) => ({ ...p, column: 1, path: p.path ? `${where}.${p.path}` : where })));
    if (!r.call) return;
    const s: SessionStep = { id: id as string, step: i, length: session.length, history: (history as 'own' | 'real') ?? 'own' };
    if (i === 0 && row.setup !== undefined) s.setup = row.setup;
    if (i === session.length - 1 && invs.length) s.invariants = invs;
    calls.push({ ...r.call, session: s });
  });
  return problems.length ? { problems } : { calls, problems };
}
