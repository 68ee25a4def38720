/**
 * Groups a target's work items into session chains: the steps of one session, for one repeat, in order.
 * The engine runs a chain on one worker, step after step, so that a stateful target sees the calls in order
 * and each step's prompt can carry the answers before it. Items that are not session steps pass through.
 */
import type { WorkItem } from '../plan/types.js';
import type { SessionTurn } from '../prompts/history.js';
import type { Observation } from '../targets/types.js';

/** The list a worker pulls from: single items, and chains (arrays) in the place of their first step. */
export type Unit = WorkItem | WorkItem[];

export function groupSessions(list: WorkItem[]): Unit[] {
  const units: Unit[] = [];
  const chains = new Map<string, WorkItem[]>();
  for (const item of list) {
    const s = item.call.session;
    if (!s) {
      units.push(item);
      continue;
    }
    const key = `${item.repeat}\u0000${s.id}`;
    let chain = chains.get(key);
    if (!chain) {
      chain = [];
      chains.set(key, chain);
      units.push(chain);
    }
    chain.push(item);
  }
  for (const chain of chains.values()) chain.sort((a, b) => a.call.session!.step - b.call.session!.step);
  return units;
}

/** The key a stateful target keeps a session's live state under: one per (target, repeat, session). */
export const sessionKey = (item: WorkItem) => `${item.target}\u0000${item.repeat}\u0000${item.call.session!.id}`;

/** What later steps see of this one: the target's own answer, or the recorded real one (`history: real`). */
export function turnOf(item: WorkItem, obs: Observation): SessionTurn {
  const real = item.call.session?.history === 'real';
  const ref = item.call.reference;
  return {
    tool: item.call.tool,
    arguments: item.call.arguments,
    response: real ? (ref === undefined ? null : JSON.stringify(ref)) : obs.raw,
  };
}
