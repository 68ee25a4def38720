/**
 * Arguments for a tool call drawn from the tool's `parameters` schema: the schema fixes the shape (which
 * keys, objects, arrays, enums, numbers), and a profile fills the strings by parameter name from the
 * session's own state, so that later calls name what earlier ones created. Seeded: the same Rng stream
 * gives the same arguments.
 */
import type { Rng } from '../../util/prng.js';

type Schema = Record<string, any>;

/** Fills a string leaf; `key` is the nearest property name (an array item takes its array's name). */
export type StringFiller = (key: string, rng: Rng) => string;

export interface ArgOptions {
  /** Chance that an optional property is given (default 0.25). */
  optional?: number;
  /** Optional properties never given (e.g. head/tail, which change what a read returns). */
  skip?: readonly string[];
  /** Most items in a generated array (default 2). */
  maxItems?: number;
}

export function argsFromSchema(schema: Schema, fill: StringFiller, rng: Rng, opts: ArgOptions = {}, key = ''): unknown {
  if (Array.isArray(schema.enum)) return rng.pick(schema.enum);
  if (schema.const !== undefined) return schema.const;
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type ?? (schema.properties ? 'object' : schema.items ? 'array' : 'string')) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const required = new Set<string>(schema.required ?? []);
      for (const [name, sub] of Object.entries<Schema>(schema.properties ?? {})) {
        if (!required.has(name) && (opts.skip?.includes(name) || !rng.chance(opts.optional ?? 0.25))) continue;
        out[name] = argsFromSchema(sub, fill, rng, opts, name);
      }
      return out;
    }
    case 'array': {
      const n = Math.max(schema.minItems ?? 1, rng.int(1, opts.maxItems ?? 2));
      return Array.from({ length: n }, () => argsFromSchema(schema.items ?? {}, fill, rng, opts, key));
    }
    case 'integer':
    case 'number':
      return rng.int(schema.minimum ?? 1, Math.min(schema.maximum ?? 5, 5));
    case 'boolean':
      return rng.chance(0.5);
    default:
      return fill(key, rng);
  }
}

/** Breaks a valid call the way a confused agent does: a required key dropped, or a value of the wrong type. */
export function breakArgs(schema: Schema, args: Record<string, unknown>, rng: Rng): { args: Record<string, unknown>; how: string } {
  const required: string[] = schema.required ?? [];
  const out = { ...args };
  if (required.length && rng.chance(0.5)) {
    const k = rng.pick(required);
    delete out[k];
    return { args: out, how: `required ${k} missing` };
  }
  const keys = Object.keys(out);
  if (!keys.length) return { args: { unexpected: 1 }, how: 'an argument the tool does not take' };
  const k = rng.pick(keys);
  out[k] = typeof out[k] === 'string' ? 42 : 'not-a-' + (Array.isArray(out[k]) ? 'list' : typeof out[k]);
  return { args: out, how: `${k} of the wrong type` };
}
