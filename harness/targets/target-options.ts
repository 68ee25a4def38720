/**
 * Reading a registered target's kind-specific options (the extra keys of its suite entry) with messages that
 * name the target, the option and what was expected. Shared by the real search targets.
 */
import { dirname, resolve } from 'node:path';
import type { RegisteredTargetSpec, TargetSpec } from '../suite/types.js';
import { UserError } from '../util/errors.js';
import type { TargetOptionsSpec } from './registry.js';

/** JSON Schema pieces for declaring options (see TargetOptionsSpec): one line per option in each kind's file. */
export const optionSchema = {
  text: (description: string) => ({ type: 'string', minLength: 1, description }),
  url: (description: string) => ({ type: 'string', pattern: '^https?://', description }),
  int: (minimum: number, maximum: number | undefined, description: string) => ({
    type: 'integer',
    minimum,
    ...(maximum !== undefined ? { maximum } : {}),
    description,
  }),
  number: (exclusiveMinimum: number, description: string) => ({ type: 'number', exclusiveMinimum, description }),
  oneOf: (values: readonly string[], description: string) => ({ enum: [...values], description }),
};

export class TargetOptions {
  readonly #spec: TargetSpec;
  readonly #options: Record<string, unknown>;
  readonly #suiteDir: string;

  constructor(spec: TargetSpec, suiteFile: string, declared: TargetOptionsSpec) {
    const allowed = Object.keys(declared.properties);
    this.#spec = spec;
    this.#options = (spec as RegisteredTargetSpec).options ?? {};
    this.#suiteDir = dirname(suiteFile);
    const unknown = Object.keys(this.#options).filter((k) => !allowed.includes(k));
    if (unknown.length) this.fail(unknown[0], `unknown option; ${spec.kind} takes ${allowed.join(', ')}`);
  }

  fail(option: string, expected: string): never {
    const at = this.#spec.at ? `${this.#spec.at.file}:${this.#spec.at.line}:${this.#spec.at.column}: ` : '';
    throw new UserError(`${at}target ${this.#spec.name} (${this.#spec.kind}): option ${option}: ${expected}`);
  }

  string(option: string, fallback?: string): string {
    const v = this.#options[option];
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== 'string' || v === '') this.fail(option, `expected a non-empty string, found ${JSON.stringify(v) ?? 'nothing'}`);
    return v;
  }

  optionalString(option: string): string | undefined {
    return this.#options[option] === undefined ? undefined : this.string(option);
  }

  /** A path resolved against the suite file's folder. */
  path(option: string): string {
    return resolve(this.#suiteDir, this.string(option));
  }

  optionalPath(option: string): string | undefined {
    return this.#options[option] === undefined ? undefined : this.path(option);
  }

  int(option: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
    const v = this.#options[option] ?? fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      this.fail(option, `expected an integer from ${min} to ${max}, found ${JSON.stringify(v)}`);
    return v;
  }

  number(option: string, fallback: number, min: number): number {
    const v = this.#options[option] ?? fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min) this.fail(option, `expected a number >= ${min}, found ${JSON.stringify(v)}`);
    return v;
  }

  oneOf<T extends string>(option: string, values: readonly T[], fallback: T): T {
    const v = this.#options[option] ?? fallback;
    if (!values.includes(v as T)) this.fail(option, `expected one of ${values.join(', ')}, found ${JSON.stringify(v)}`);
    return v as T;
  }

  url(option: string, fallback?: string): string {
    const v = this.string(option, fallback);
    try {
      const u = new URL(v);
      if (u.protocol === 'http:' || u.protocol === 'https:') return v;
    } catch {
      /* reported below */
    }
    this.fail(option, `expected an http:// or https:// URL, found ${JSON.stringify(v)}`);
  }
}
