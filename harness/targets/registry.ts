/**
 * The one place that maps a target `kind` to the code that builds it. Real tools and baselines register
 * here (see builtin.ts); the engine only ever sees the Target interface, so adding a tool never touches it.
 */
import type { LoadedSuite, TargetSpec } from '../suite/types.js';
import { UserError } from '../util/errors.js';
import type { Target } from './types.js';

export interface TargetFactoryContext {
  suite: LoadedSuite;
  /** Where targets read secrets (API keys) from: process.env in the CLI, a fixed map in tests. */
  env: Record<string, string | undefined>;
}

export type TargetFactory = (spec: TargetSpec, ctx: TargetFactoryContext) => Promise<Target>;

interface Registration {
  factory: TargetFactory;
  /** One line for `gtm-bench targets` and for the unknown-kind message. */
  description: string;
}

const registry = new Map<string, Registration>();

export function registerTarget(kind: string, description: string, factory: TargetFactory): void {
  if (registry.has(kind)) throw new Error(`target kind ${kind} is registered twice`);
  registry.set(kind, { factory, description });
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
