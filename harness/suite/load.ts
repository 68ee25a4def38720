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
import { checkSuite } from './checks.js';
import { didYouMean } from './describe.js';
import { buildCurves, buildGates, checkReportSections } from './report-sections.js';
import { buildServe, type ServeSpec } from '../serve/serve-spec.js';
import { buildAgentSpec, type AgentSpec } from '../agents/agent-spec.js';
import { checkDataset, parameterValidators } from './dataset.js';
import { suiteValidators } from './schema-ajv.js';
import { displayPath, readSource, type SourceFile } from './source.js';
import { buildJudge, buildTargets } from './targets.js';
import { checkTool } from './tool-checks.js';
import { resolveTools } from './tool-files.js';
import type { JudgeSpec, LoadedSuite, Suite, TargetSpec } from './types.js';

export interface LoadSuiteOptions {
  /** Environment for `${VAR}` interpolation in targets and judge; default process.env. */
  env?: Record<string, string | undefined>;
  /** Registered target kinds; when given, a target of any other kind (besides openai) is a problem. */
  knownTargetKinds?: string[];
  /** Metric families a suite may name; default: every family in scoring/metric-registry.ts that scores answers. */
  knownMetrics?: string[];
}

type Raw = Record<string, any>;

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

  const validate = suiteValidators().suite;
  const problems: Problem[] = validate(src.value) ? [] : ajvProblems(src, validate.errors ?? []);
  const raw = src.value as Raw;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw invalid(display, problems);

  const tools = resolveTools(src, raw.tools);
  problems.push(...tools.problems, ...tools.tools.flatMap(checkTool));
  problems.push(...checkSuite(src, raw, tools.tools, opts.knownTargetKinds, opts.knownMetrics ?? knownMetricFamilies()));
  problems.push(...checkReportSections(src, raw));

  // Targets and judge are built (interpolated, URL and file checks) only where the schema found them sound,
  // so their problems join the others instead of waiting for a second run.
  const env = opts.env ?? process.env;
  const rawTargets: Raw[] = Array.isArray(raw.targets) ? raw.targets : [];
  const soundTargets = rawTargets
    .map((raw, index) => ({ raw, index }))
    .filter(({ raw, index }) => buildable(problems, src, `/targets/${index}`, raw?.kind === 'openai' ? 'openaiTarget' : 'registeredTarget'));
  const built = buildTargets(src, soundTargets, env);
  problems.push(...built.problems);
  let judge: JudgeSpec | undefined;
  if (raw.judge !== undefined && buildable(problems, src, '/judge', 'judge')) {
    const j = buildJudge(src, raw.judge, env);
    problems.push(...j.problems);
    judge = j.judge;
  }
  let serve: ServeSpec | undefined;
  if (raw.serve !== undefined && buildable(problems, src, '/serve', 'serve')) {
    const s = buildServe(src, raw.serve, rawTargets.map((t) => ({ name: t?.name, kind: t?.kind })), env);
    problems.push(...s.problems);
    serve = s.serve;
  }
  let agent: AgentSpec | undefined;
  if (raw.agent !== undefined && buildable(problems, src, '/agent', 'agent')) {
    const names = (list: unknown): string[] => (Array.isArray(list) ? list.flatMap((x) => (typeof x?.name === 'string' ? [x.name] : [])) : []);
    const a = buildAgentSpec(src, raw.agent, { targets: names(rawTargets), tools: tools.tools.map((t) => t.value.name as string) }, env);
    problems.push(...a.problems);
    agent = a.agent;
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
    ...(judge ? { judge } : {}),
    repeats: raw.repeats ?? 1,
    seed: raw.seed ?? 0,
    max_error_rate: raw.max_error_rate ?? 0,
    hash: src.sha256,
    included_files: tools.included,
    ...(raw.gates !== undefined ? { gates: buildGates(raw.gates) } : {}),
    ...(raw.curves !== undefined ? { curves: buildCurves(abs, raw.curves) } : {}),
    ...(serve ? { serve } : {}),
    ...(agent ? { agent } : {}),
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
    loaded.calls.push(...r.calls);
    loaded.dataset_hashes[spec.name] = r.hash;
    loaded.skipped_rows.push(...r.skipped_rows);
    if (r.problems.length) badDatasets.push(`${spec.name} (${displayPath(spec.path)})`);
    problems.push(...r.problems);
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
