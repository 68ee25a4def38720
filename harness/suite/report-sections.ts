/**
 * The two optional suite sections that only reports read: `gates` (thresholds for comparing runs) and
 * `curves` (accuracy curves from trainer logs and checkpoint evaluations). Their shape is checked by
 * suite.schema.json; here are the typed values, the checks the schema cannot express (files that must
 * exist, names that must be unique), and the defaults.
 */
import { dirname, resolve } from 'node:path';
import type { Problem } from '../util/errors.js';
import { duplicateNames, missingFile } from './checks.js';
import { defineSection } from './sections.js';
import { joinPointer, problemAt, type SourceFile } from './source.js';

/** Thresholds for one metric, in the metric's own units. */
export interface GateSpec {
  /** Smallest difference that counts as a change: a detectable difference smaller than this is "no detectable change". */
  min_delta: number;
  /** Largest worsening of the mean a gated metric may show before the check fails. */
  max_regression: number;
  /** Whether a regression beyond max_regression fails the check (exit 1). */
  gated: boolean;
}

export interface GatesSpec {
  metrics: Record<string, GateSpec>;
  /** Targets the gates apply to; undefined: every target both runs ran. */
  targets?: string[];
  bootstrap: { iters: number; seed: number };
}

/** How an agent was trained: GTM only, GTM until switch_step then the real tool, or the real tool only. */
export type TrainingMode = 'gtm' | 'hybrid' | 'real';

export interface CurveLogSpec {
  name: string;
  mode: TrainingMode;
  /** Absolute path of the trainer log. */
  file: string;
  format: 'csv' | 'jsonl';
  step_column: string;
  /** Curve metric name -> column (or JSONL key). */
  metrics: Record<string, string>;
  switch_step?: number;
  note?: string;
}

export interface CheckpointPointSpec {
  step: number;
  /** Absolute path of the checkpoint evaluation's summary.json (a run folder is resolved to its summary.json). */
  summary: string;
  base_url?: string;
  model?: string;
}

export interface CurveCheckpointsSpec {
  name: string;
  mode: TrainingMode;
  metric: string;
  /** JSON Pointer into each summary.json. */
  value: string;
  note?: string;
  /** How `curves --evaluate` evaluates each checkpoint with real tools before the curve is read. */
  evaluate?: { suite: string; steps: number; batch_size?: number };
  points: CheckpointPointSpec[];
}

export interface CurvesSpec {
  collapse_drop: number;
  switch_step?: number;
  accuracy_metric?: string;
  logs: CurveLogSpec[];
  checkpoints: CurveCheckpointsSpec[];
}

export const DEFAULT_GATE: GateSpec = { min_delta: 0, max_regression: 0, gated: false };
export const DEFAULT_BOOTSTRAP = { iters: 2000, seed: 0 };
export const DEFAULT_COLLAPSE_DROP = 0.1;

type Raw = Record<string, any>;
const isObject = (v: unknown): v is Raw => !!v && typeof v === 'object' && !Array.isArray(v);

/** Problems the schema cannot see: missing log files and repeated series names. */
export function checkReportSections(src: SourceFile, raw: Raw): Problem[] {
  const curves = raw.curves;
  if (!isObject(curves)) return [];
  const problems: Problem[] = [];
  const series: { name: string; src: SourceFile; pointer: string }[] = [];
  for (const key of ['logs', 'checkpoints'] as const) {
    if (!Array.isArray(curves[key])) continue;
    curves[key].forEach((entry: unknown, i: number) => {
      if (!isObject(entry)) return;
      const pointer = `/curves/${key}/${i}`;
      if (typeof entry.name === 'string') series.push({ name: entry.name, src, pointer });
      if (key === 'logs' && typeof entry.file === 'string' && entry.file) {
        const why = missingFile(src, entry.file);
        if (why) problems.push(problemAt(src, joinPointer(pointer, 'file'), `trainer log not found (${why})`));
      }
      if (key === 'checkpoints' && isObject(entry.evaluate) && typeof entry.evaluate.suite === 'string' && entry.evaluate.suite) {
        const why = missingFile(src, entry.evaluate.suite);
        if (why) problems.push(problemAt(src, `${pointer}/evaluate/suite`, `agent suite not found (${why})`));
      }
    });
  }
  problems.push(...duplicateNames('curve series', series));
  return problems;
}

export function buildGates(raw: Raw): GatesSpec {
  const metrics: Record<string, GateSpec> = {};
  for (const [metric, g] of Object.entries((raw.metrics ?? {}) as Record<string, Raw>)) {
    metrics[metric] = { min_delta: g.min_delta ?? 0, max_regression: g.max_regression ?? 0, gated: g.gated ?? true };
  }
  return {
    metrics,
    ...(raw.targets ? { targets: raw.targets as string[] } : {}),
    bootstrap: { iters: raw.bootstrap?.iters ?? DEFAULT_BOOTSTRAP.iters, seed: raw.bootstrap?.seed ?? DEFAULT_BOOTSTRAP.seed },
  };
}

function formatOf(file: string): 'csv' | 'jsonl' {
  return /\.(jsonl|ndjson)$/i.test(file) ? 'jsonl' : 'csv';
}

export function buildCurves(suiteFile: string, raw: Raw): CurvesSpec {
  const dir = dirname(suiteFile);
  const opt = <K extends string>(key: K, v: unknown) => (v === undefined ? {} : { [key]: v });
  return {
    collapse_drop: raw.collapse_drop ?? DEFAULT_COLLAPSE_DROP,
    ...opt('switch_step', raw.switch_step),
    ...opt('accuracy_metric', raw.accuracy_metric),
    logs: ((raw.logs ?? []) as Raw[]).map((l) => ({
      name: l.name,
      mode: l.mode,
      file: resolve(dir, l.file),
      format: l.format ?? formatOf(l.file),
      step_column: l.step_column ?? 'step',
      metrics: { ...l.metrics },
      ...opt('switch_step', l.switch_step ?? raw.switch_step),
      ...opt('note', l.note),
    })),
    checkpoints: ((raw.checkpoints ?? []) as Raw[]).map((c) => ({
      name: c.name,
      mode: c.mode,
      metric: c.metric,
      value: c.value,
      ...opt('note', c.note),
      ...(c.evaluate ? { evaluate: { suite: resolve(dir, c.evaluate.suite), steps: c.evaluate.steps ?? 1, ...opt('batch_size', c.evaluate.batch_size) } } : {}),
      points: (c.points as Raw[]).map((p) => ({
        step: p.step,
        summary: resolve(dir, p.summary),
        ...opt('base_url', p.base_url),
        ...opt('model', p.model),
      })),
    })),
  };
}

declare module './types.js' {
  interface SuiteSections {
    /** Thresholds for comparing runs (compare, run --against, trend). */
    gates: GatesSpec;
    /** Accuracy curves for the report (trainer logs, checkpoint evaluations). */
    curves: CurvesSpec;
  }
}

/** The `gates:` section: thresholds that compare, run --against and trend apply. */
export const gatesSection = defineSection({ key: 'gates', schemaDef: 'gates', build: (raw) => ({ value: buildGates(raw), problems: [] }) });

/** The `curves:` section: accuracy curves from trainer logs and checkpoint evaluations. */
export const curvesSection = defineSection({
  key: 'curves',
  schemaDef: 'curves',
  check: ({ src, raw }) => checkReportSections(src, raw),
  build: (raw, { src }) => ({ value: buildCurves(src.path, raw), problems: [] }),
});
