/**
 * Optional top-level suite sections (judge, serve, agent, gates, curves, and those added later) as plug-ins.
 * Each section lives beside the code that uses it and brings its key, the name of its part of the published
 * schema (suite.schema.json's $defs), the checks the schema cannot express, and its builder; the loader
 * loops over the sections it is given and never imports a section's folder. The typed value of a section
 * is declared by its own module through `SuiteSections` (declaration merging), so suite/types.ts does not
 * import the folders above it either.
 */
import type { Problem } from '../util/errors.js';
import type { SourceFile } from './source.js';
import type { SuiteSections } from './types.js';

export type RawSuite = Record<string, any>;

/** What a section's checks and builder may read besides their own section: names, for cross-references. */
export interface SectionContext {
  src: SourceFile;
  /** The whole suite value as parsed (possibly ill-shaped where the schema found problems). */
  raw: RawSuite;
  env: Record<string, string | undefined>;
  /** The suite's targets and tools by name, as written (entries without a name are left out). */
  targets: { name: string; kind: string }[];
  tools: string[];
}

export interface SuiteSection<K extends keyof SuiteSections = keyof SuiteSections> {
  key: K;
  /** The section's definition in suite.schema.json's $defs: a problem under a key it never reads does not stop it being built. */
  schemaDef: string;
  /** Checks the schema cannot express (missing files, repeated names); run beside schema problems on a value that may have the wrong shape. */
  check?(ctx: SectionContext): Problem[];
  /** Builds the typed value from a section the schema found sound: interpolation, defaults, cross-references. */
  build(raw: any, ctx: SectionContext): { value: SuiteSections[K]; problems: Problem[] };
}

/** Any section, whatever its key (the list the composition root hands the loader). */
export type AnySuiteSection = { [K in keyof SuiteSections]: SuiteSection<K> }[keyof SuiteSections];

/** Identity, typed: lets a section module state its key once and get its value type checked. */
export function defineSection<K extends keyof SuiteSections>(section: SuiteSection<K>): SuiteSection<K> {
  return section;
}

const registered: AnySuiteSection[] = [];

/** Called by the composition root (harness/builtin.ts) once per section; a key registered twice is a harness bug. */
export function registerSection(section: AnySuiteSection): void {
  if (registered.some((s) => s.key === section.key)) throw new Error(`suite section ${section.key} is registered twice`);
  registered.push(section);
}

/** The sections the composition root registered, in registration order. */
export function registeredSections(): readonly AnySuiteSection[] {
  return registered;
}
