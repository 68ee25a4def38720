/**
 * The seeded session generator: for a profile (memory or filesystem server) and the tools' parameter
 * schemas, `count` sessions of `min..max` calls, about `invalidRate` of them broken on purpose (a required
 * key missing, a wrong type). Each session has its own stream derived from (seed, profile, index), so
 * generating more sessions never changes the earlier ones.
 */
import { hashId } from '../../util/hash.js';
import { Rng } from '../../util/prng.js';
import { argsFromSchema, breakArgs } from './schema-args.js';
import type { Profile } from './profiles.js';

export interface GeneratedCall {
  tool: string;
  arguments: Record<string, unknown>;
  /** How the call was broken on purpose, when it was. */
  broken?: string;
}

export interface GeneratedSession {
  id: string;
  calls: GeneratedCall[];
}

export interface GenerateOptions {
  seed: number;
  count: number;
  minLength?: number;
  maxLength?: number;
  invalidRate?: number;
}

function weighted(rng: Rng, weights: [string, number][]): string {
  const total = weights.reduce((s, [, w]) => s + w, 0);
  let x = rng.float() * total;
  for (const [name, w] of weights) if ((x -= w) < 0) return name;
  return weights[weights.length - 1][0];
}

export function generateSessions(profile: Profile, parameters: Map<string, Record<string, unknown>>, opts: GenerateOptions): GeneratedSession[] {
  const missing = [...profile.first, ...Object.keys(profile.weights)].filter((t) => !parameters.has(t));
  if (missing.length) throw new Error(`the ${profile.name} server's tools lack ${[...new Set(missing)].join(', ')}: re-import them or update the profile`);
  const weights = Object.entries(profile.weights);
  const sessions: GeneratedSession[] = [];
  for (let i = 0; i < opts.count; i++) {
    const rng = new Rng(parseInt(hashId({ seed: opts.seed, profile: profile.name, session: i }).slice(0, 8), 16));
    const state = profile.session(rng);
    const length = rng.int(opts.minLength ?? 3, opts.maxLength ?? 12);
    const calls: GeneratedCall[] = [];
    for (let step = 0; step < length; step++) {
      const tool = step === 0 ? rng.pick(profile.first) : weighted(rng, weights);
      const schema = parameters.get(tool)!;
      let args = argsFromSchema(schema, state.fill(tool), rng, { skip: profile.skip, maxItems: profile.maxItems }) as Record<string, unknown>;
      let broken: string | undefined;
      if (step > 0 && rng.chance(opts.invalidRate ?? 0.15)) ({ args, how: broken } = breakArgs(schema, args, rng));
      state.note(tool, args);
      calls.push({ tool, arguments: args, ...(broken ? { broken } : {}) });
    }
    sessions.push({ id: `${profile.name}-${String(i + 1).padStart(3, '0')}`, calls });
  }
  return sessions;
}
