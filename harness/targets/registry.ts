/**
 * The one place that maps a target `kind` to the code that builds it. Real tools and baselines register
 * here (see builtin.ts); the engine only ever sees the Target interface, so adding a tool never touches it.
 */
import type { ResponseCacheView } from '../records/cache/response-store.js';
import type { JsonSchema, LoadedSuite, TargetSpec } from '../suite/types.js';
import { UserError } from '../util/errors.js';
import type { Target } from './types.js';

export interface TargetFactoryContext {
  suite: LoadedSuite;
  /** Where targets read secrets (API keys) from: process.env in the CLI, a fixed map in tests. */
  env: Record<string, string | undefined>;
  /**
   * The run's response cache (--cache) as this target may use it: a model target answers from it (keyed on the
   * request it sends), replay looks up what its records lack. Absent: nothing is cached.
   */
  responseCache?: ResponseCacheView;
}

export type TargetFactory = (spec: TargetSpec, ctx: TargetFactoryContext) => Promise<Target>;

/**
 * The options a target kind takes (the extra keys of its suite entry besides name, kind and concurrency), as
 * JSON Schema per option, so that `validate` reports a bad option at file:line:column instead of the
 * target's factory failing at run time. An empty object: the kind takes no options.
 */
export interface TargetOptionsSpec {
  properties: Record<string, JsonSchema>;
  required?: string[];
}

interface Registration {
  factory: TargetFactory;
  /** One line for `gtm-bench targets` and for the unknown-kind message. */
  description: string;
  options?: TargetOptionsSpec;
}

const registry = new Map<string, Registration>();

export function registerTarget(kind: string, description: string, factory: TargetFactory, options?: TargetOptionsSpec): void {
  if (registry.has(kind)) throw new Error(`target kind ${kind} is registered twice`);
  registry.set(kind, { factory, description, ...(options ? { options } : {}) });
}

/**
 * What the suite loader needs to know of the registered kinds: their names, and the schema of each kind's
 * suite entry (its options plus the keys every target has) where the kind declares its options.
 */
export function targetKindsForSuite(): { knownTargetKinds: string[]; targetEntrySchemas: Record<string, JsonSchema> } {
  const targetEntrySchemas: Record<string, JsonSchema> = {};
  for (const [kind, r] of registry) {
    if (!r.options) continue;
    targetEntrySchemas[kind] = {
      type: 'object',
      properties: { name: true, kind: true, concurrency: true, ...r.options.properties },
      ...(r.options.required ? { required: r.options.required } : {}),
      additionalProperties: false,
    };
  }
  return { knownTargetKinds: knownTargetKinds(), targetEntrySchemas };
}

export function knownTargetKinds(): string[] {
  return [...registry.keys()].sort();
}

export function describeTargetKinds(): { kind: string; description: string }[] {
  return knownTargetKinds().map((kind) => ({ kind, description: registry.get(kind)!.description }));
}

export async function createTarget(spec: TargetSpec, ctx: TargetFactoryContext): Promise<Target> {
  const registration = registry.get(spec.kind);
  if (!registration) {
    throw new UserError(`target ${spec.name}: unknown kind ${spec.kind}; known kinds: ${knownTargetKinds().join(', ')}`);
  }
  return registration.factory(spec, ctx);
}
