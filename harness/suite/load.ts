/**
 * Loads a suite file (YAML or JSON) into the typed LoadedSuite: parse with positions, validate against
 * suite.schema.json, run the checks the schema cannot express, fill in environment variables and
 * defaults, then read the datasets. Every problem found is reported at once, as one UserError (exit 2)
 * whose lines say file:line:column, the JSON path, and what was expected and found.
 */
import { readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError, type Problem } from '../util/errors.js';
import { ajvProblems } from './ajv-problems.js';
import { knownMetricFamilies } from '../scoring/metric-registry.js';
import { buildDatasets, buildTool, DEFAULT_METRICS } from './build.js';
import { resolveLimits } from './limits.js';
import { checkSuite } from './checks.js';
import { didYouMean } from './describe.js';
import { registeredSections, type AnySuiteSection, type SectionContext } from './sections.js';
import { checkDataset, parameterValidators } from './dataset.js';
import { compileToolSchema, suiteValidators } from './schema-ajv.js';
import { readSource, type SourceFile } from './source.js';
import { displayPath } from '../util/display-path.js';
import { buildTargets } from './targets.js';
import { checkTool } from './tool-checks.js';
import { resolveTools } from './tool-files.js';
import { registerSuiteSecrets } from './secrets.js';
import type { JsonSchema, LoadedSuite, Suite, SuiteSections, TargetSpec } from './types.js';
import { notMappingOf } from '../util/foreign-file.js';

export interface LoadSuiteOptions {
  /** Environment for `${VAR}` interpolation in targets and judge; default process.env. */
  env?: Record<string, string | undefined>;
  /** Registered target kinds; when given, a target of any other kind (besides openai) is a problem. */
  knownTargetKinds?: string[];
  /** Per registered kind that declares its options: the schema of its suite entry (see targets/registry.ts). */
  targetEntrySchemas?: Record<string, JsonSchema>;
  /** Metric families a suite may name; default: every family in scoring/metric-registry.ts that scores answers. */
  knownMetrics?: string[];
  /** The optional sections (judge, serve, agent, gates, curves, ...); default: those harness/builtin.ts registered. */
  sections?: readonly AnySuiteSection[];
}

type Raw = Record<string, any>;

/** The core fields of a suite; every other top-level key of the schema is a section built by a registered SuiteSection. */
const CORE_KEYS = new Set([
  '$schema',
  'version',
  'name',
  'description',
  'seed',
  'repeats',
  'max_error_rate',
  'limits',
  'metrics',
  'tools',
  'datasets',
  'targets',
]);

/** Keys a suite has; a file with none of them at its top level is not a suite (util/foreign-file.ts). */
const SUITE_KEYS = ['version', 'name', 'tools', 'datasets', 'targets', ...CORE_KEYS];

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Problems sorted for reading: the suite file first, then included files, each top to bottom. */
function sortProblems(problems: Problem[], suiteDisplay: string): Problem[] {
  const order = [suiteDisplay, ...new Set(problems.map((p) => p.file))];
  const rank = (p: Problem) => order.indexOf(p.file);
  return [...problems].sort((a, b) => rank(a) - rank(b) || a.line - b.line || a.column - b.column);
}

function invalid(file: string, problems: Problem[]): UserError {
  return new UserError(`suite ${file} is invalid (${plural(problems.length, 'problem')})`, sortProblems(problems, file));
}

/**
 * True when the section at `pointer` can be built safely: no problem lies at or under it, except at keys
 * the builder never reads (an unknown or secret key), so that those do not hide its other problems.
 */
function buildable(problems: Problem[], src: SourceFile, pointer: string, def: string): boolean {
  const read = new Set(Object.keys(suiteValidators().schema.$defs[def].properties ?? {}));
  return !problems.some((p) => {
    if (p.file !== src.display || (p.path !== pointer && !p.path.startsWith(pointer + '/'))) return false;
    const rest = p.path.slice(pointer.length + 1);
    return !rest || rest.includes('/') || read.has(rest);
  });
}

/** A suite file in the same folder whose name is a likely typo of the missing one's. */
function closeFileName(abs: string): string | undefined {
  let names: string[];
  try {
    names = readdirSync(dirname(abs)).filter((n) => /\.(ya?ml|json)$/i.test(n));
  } catch {
    return undefined;
  }
  const guess = didYouMean(basename(abs), names);
  return guess ? join(dirname(abs), guess) : undefined;
}

/** A registered target's options checked against the schema its kind declared, at the option's position. */
function targetOptionProblems(src: SourceFile, rawTargets: Raw[], schemas: Record<string, JsonSchema>): Problem[] {
  return rawTargets.flatMap((t, i) => {
    const schema = t && typeof t === 'object' && typeof t.kind === 'string' ? schemas[t.kind] : undefined;
    if (schema === undefined) return [];
    const validate = compileToolSchema(schema);
    return validate(t) ? [] : ajvProblems(src, validate.errors ?? [], `/targets/${i}`);
  });
}

/** The suite without its datasets read: parse, validate, check, interpolate, fill defaults. */
export function readSuite(file: string, opts: LoadSuiteOptions = {}): Suite {
  const abs = resolve(file);
  const display = displayPath(abs);
  let src: SourceFile;
  try {
    src = readSource(abs);
  } catch (err) {
    // The reason is said once, in the problem line (the message used to repeat it).
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    const guess = missing ? closeFileName(abs) : undefined;
    const why = missing ? `no such file${guess ? ` (did you mean ${displayPath(guess)}?)` : ''}` : (err as Error).message;
    throw new UserError(`cannot read suite ${display}`, [{ file: display, line: 0, column: 0, path: '', message: why }]);
  }
  if (src.syntaxProblems.length) throw invalid(display, src.syntaxProblems);
  // A path that is not a suite (a typo naming a key file, a binary): said without quoting any of it.
  const foreign = notMappingOf(src.value, src.bytes, SUITE_KEYS);
  if (foreign) throw invalid(display, [{ file: display, line: 1, column: 1, path: '', message: `not a gtm-bench suite: ${foreign}` }]);

  const validate = suiteValidators().suite;
  const problems: Problem[] = validate(src.value) ? [] : ajvProblems(src, validate.errors ?? []);
  const raw = src.value as Raw;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw invalid(display, problems);
  // Before anything can print or write a value of this suite: its keys and URL credentials are secrets from here on.
  const env = opts.env ?? process.env;
  registerSuiteSecrets(raw, env);

  const tools = resolveTools(src, raw.tools);
  problems.push(...tools.problems, ...tools.tools.flatMap(checkTool));
  problems.push(...checkSuite(src, raw, tools.tools, opts.knownTargetKinds, opts.knownMetrics ?? knownMetricFamilies()));

  // Targets and sections are built (interpolated, URL and file checks) only where the schema found them sound,
  // so their problems join the others instead of waiting for a second run.
  const rawTargets: Raw[] = Array.isArray(raw.targets) ? raw.targets : [];
  const soundTargets = rawTargets
    .map((raw, index) => ({ raw, index }))
    .filter(({ raw, index }) => buildable(problems, src, `/targets/${index}`, raw?.kind === 'openai' ? 'openaiTarget' : 'registeredTarget'));
  problems.push(...targetOptionProblems(src, rawTargets, opts.targetEntrySchemas ?? {}));
  const built = buildTargets(src, soundTargets, env);
  problems.push(...built.problems);

  const names = (list: unknown) => (Array.isArray(list) ? list.filter((x) => typeof x?.name === 'string') : []);
  const ctx: SectionContext = {
    src,
    raw,
    env,
    targets: names(rawTargets).map((t) => ({ name: t.name, kind: t.kind })),
    tools: tools.tools.flatMap((t) => (typeof t.value.name === 'string' ? [t.value.name] : [])),
  };
  const sections = opts.sections ?? registeredSections();
  const unhandled = Object.keys(suiteValidators().schema.properties).filter(
    (k) => raw[k] !== undefined && !CORE_KEYS.has(k) && !sections.some((s) => s.key === k),
  );
  if (unhandled.length) throw new Error(`suite section ${unhandled.join(', ')} has no registered builder: the entry point must import harness/builtin.js`);
  for (const section of sections) problems.push(...(section.check?.(ctx) ?? []));
  const values: Partial<SuiteSections> = {};
  for (const section of sections) {
    if (raw[section.key] === undefined || !buildable(problems, src, `/${section.key}`, section.schemaDef)) continue;
    const b = section.build(raw[section.key], ctx);
    problems.push(...b.problems);
    (values as Record<string, unknown>)[section.key] = b.value;
  }
  if (problems.length) throw invalid(display, problems);

  return {
    file: abs,
    name: raw.name,
    ...(raw.description !== undefined ? { description: raw.description } : {}),
    version: raw.version,
    tools: tools.tools.map(buildTool),
    datasets: buildDatasets(abs, raw.datasets),
    targets: built.targets as TargetSpec[],
    metrics: raw.metrics ?? [...DEFAULT_METRICS],
    repeats: raw.repeats ?? 1,
    seed: raw.seed ?? 0,
    max_error_rate: raw.max_error_rate ?? 0,
    limits: resolveLimits(raw.limits),
    hash: src.sha256,
    included_files: tools.included,
    ...values,
  };
}

/** Loads a suite and its datasets; throws a UserError (exit 2) listing every problem found. */
export async function loadSuite(file: string, opts: LoadSuiteOptions = {}): Promise<LoadedSuite> {
  const suite = readSuite(file, opts);
  const seenIds = new Map<string, { dataset: string; line: number }>();
  const validators = parameterValidators(suite.tools);
  const loaded: LoadedSuite = { ...suite, calls: [], dataset_hashes: {}, skipped_rows: [] };
  const problems: Problem[] = [];
  const badDatasets: string[] = [];
  for (const spec of suite.datasets) {
    const r = checkDataset(spec, suite.tools, { seenIds, validators });
    // One by one: push(...calls) passes every call as an argument, and 300k calls overflow the stack.
    for (const call of r.calls) loaded.calls.push(call);
    loaded.dataset_hashes[spec.name] = r.hash;
    for (const row of r.skipped_rows) loaded.skipped_rows.push(row);
    if (r.problems.length) badDatasets.push(`${spec.name} (${displayPath(spec.path)})`);
    for (const p of r.problems) problems.push(p);
  }
  if (problems.length) {
    const which = badDatasets.length === 1 ? `dataset ${badDatasets[0]} is` : `datasets ${badDatasets.join(', ')} are`;
    throw new UserError(`${which} invalid (${plural(problems.length, 'problem')})`, problems);
  }
  return loaded;
}

export type SuiteValidation = { ok: true; suite: LoadedSuite } | { ok: false; error: UserError };

/** loadSuite for the `validate` command: a user error comes back as a value; harness bugs still throw. */
export async function validateSuiteFile(file: string, opts: LoadSuiteOptions = {}): Promise<SuiteValidation> {
  try {
    return { ok: true, suite: await loadSuite(file, opts) };
  } catch (err) {
    if (err instanceof UserError) return { ok: false, error: err };
    throw err;
  }
}
