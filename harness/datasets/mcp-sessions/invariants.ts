/**
 * Session invariants for a recorded session, derived from what the calls did (a file written, then read; an
 * entity created, then searched; one deleted, then listed) and kept only where they hold on the real
 * server's recording, so the reference scores 1 by construction and a simulator is held to what the real
 * tool really did. Each is a JSONata expression over `calls[i].args` and `calls[i].output`
 * (sessions/consistency.ts).
 */
import type { SessionCall } from '../../scoring/metric-family.js';
import type { SessionInvariant } from '../../suite/session-step.js';
import { scoreSessionConsistency } from '../../scoring/session-consistency.js';

const q = (s: string) => JSON.stringify(s);
const ok = (c: SessionCall) => c.error === null && !(c.output && typeof c.output === 'object' && 'error' in (c.output as object));
const MAX_PER_SESSION = 6;

function memoryCandidates(calls: SessionCall[]): SessionInvariant[] {
  const out: SessionInvariant[] = [];
  const created = new Map<string, number>();
  const deleted = new Map<string, number>();
  calls.forEach((c, j) => {
    if (!ok(c)) return;
    const listing = ['search_nodes', 'open_nodes', 'read_graph'].includes(c.tool);
    if (listing) {
      for (const [name, i] of created) {
        if ((deleted.get(name) ?? -1) > i) continue;
        out.push({ name: `created@${i}-found@${j}:${name}`, expr: `${q(name)} in calls[${j}].output.entities.name` });
      }
      if (c.tool !== 'search_nodes') {
        for (const [name, i] of deleted) {
          if ((created.get(name) ?? -1) > i) continue;
          out.push({ name: `deleted@${i}-absent@${j}:${name}`, expr: `$not(${q(name)} in calls[${j}].output.entities.name)` });
        }
      }
    }
    if (c.tool === 'create_entities') for (const e of ((c.output as any)?.entities ?? []) as any[]) created.set(e.name, j);
    if (c.tool === 'delete_entities') for (const n of (c.args.entityNames as string[]) ?? []) deleted.set(n, j);
  });
  return out;
}

function filesystemCandidates(calls: SessionCall[]): SessionInvariant[] {
  const out: SessionInvariant[] = [];
  /** path -> step whose args.content is the file's content now (undefined after an edit: content not in any args). */
  const written = new Map<string, number | undefined>();
  calls.forEach((c, j) => {
    if (!ok(c)) return;
    const path = c.args.path as string;
    if (c.tool === 'read_text_file' || c.tool === 'read_file') {
      const i = written.get(path);
      if (i !== undefined) out.push({ name: `written@${i}-read@${j}`, expr: `calls[${j}].output.content = calls[${i}].args.content` });
    }
    if (c.tool === 'get_file_info') {
      const i = written.get(path);
      if (i !== undefined)
        out.push({ name: `written@${i}-size@${j}`, expr: `$contains(calls[${j}].output.content, "size: " & $string($length(calls[${i}].args.content)))` });
    }
    if (c.tool === 'list_directory') {
      for (const [p, i] of written) {
        const slash = p.lastIndexOf('/');
        if (p.slice(0, slash) === path)
          out.push({ name: `written@${i ?? 'edit'}-listed@${j}`, expr: `$contains(calls[${j}].output.content, ${q(`[FILE] ${p.slice(slash + 1)}`)})` });
      }
    }
    if (c.tool === 'write_file') written.set(path, j);
    if (c.tool === 'edit_file') written.set(path, undefined);
    if (c.tool === 'move_file') {
      const src = c.args.source as string;
      if (written.has(src)) written.set(c.args.destination as string, written.get(src));
      written.delete(src);
    }
  });
  // An edit leaves no args holding the content; such files still count for listings.
  return out;
}

/** The candidates that hold on the real recording, at most MAX_PER_SESSION, spread over the session. */
export async function deriveInvariants(profile: 'memory' | 'filesystem', calls: SessionCall[]): Promise<SessionInvariant[]> {
  const candidates = profile === 'memory' ? memoryCandidates(calls) : filesystemCandidates(calls);
  const holding: SessionInvariant[] = [];
  for (const inv of candidates) {
    const s = await scoreSessionConsistency([inv], calls);
    if (s.value === 1) holding.push(inv);
  }
  if (holding.length <= MAX_PER_SESSION) return holding;
  const stride = holding.length / MAX_PER_SESSION;
  return Array.from({ length: MAX_PER_SESSION }, (_, k) => holding[Math.floor(k * stride)]);
}
