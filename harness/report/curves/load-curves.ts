/**
 * The I/O edge of the curves: reads the trainer logs and checkpoint summaries a suite's `curves` section
 * names, and hands their text to the pure parsers and summaries. Problems are collected, not thrown, so a
 * run's report still renders when one log is bad; the `curves` command turns them into exit 2.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { portablePath } from '../../records/manifest.js';
import type { CurvesSpec } from '../../suite/report-sections.js';
import { sha256 } from '../../util/hash.js';
import { checkpointPoint } from './checkpoint-curve.js';
import { summariseCurve } from './curve-summary.js';
import { curvesFromLog } from './trainer-log.js';
import type { CurvePoint, CurveSeries, CurvesData } from './types.js';
import { jsonErrorWithoutText } from '../../util/foreign-file.js';

function readText(path: string): { text?: string; problem?: string } {
  try {
    return { text: readFileSync(path, 'utf8') };
  } catch (err) {
    return { problem: `cannot read ${portablePath(path)}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}` };
  }
}

/** A checkpoint's `summary` may name the run folder instead of its summary.json. */
function summaryFile(path: string): string {
  try {
    return statSync(path).isDirectory() ? join(path, 'summary.json') : path;
  } catch {
    return path;
  }
}

export function loadCurves(spec: CurvesSpec): CurvesData {
  const problems: string[] = [];
  const series: CurveSeries[] = [];
  for (const log of spec.logs) {
    const display = portablePath(log.file);
    const { text, problem } = readText(log.file);
    if (problem) {
      problems.push(problem);
      continue;
    }
    const parsed = curvesFromLog(text!, { display, format: log.format, step_column: log.step_column, metrics: log.metrics });
    problems.push(...parsed.problems);
    for (const [metric, points] of Object.entries(parsed.points)) {
      series.push({
        name: log.name,
        mode: log.mode,
        metric,
        source: 'trainer-log',
        files: [{ path: display, sha256: sha256(text!) }],
        ...(log.switch_step !== undefined ? { switch_step: log.switch_step } : {}),
        ...(log.note ? { note: log.note } : {}),
        points,
      });
    }
  }
  for (const ck of spec.checkpoints) {
    const points: CurvePoint[] = [];
    const files: CurveSeries['files'] = [];
    for (const p of ck.points) {
      const file = summaryFile(p.summary);
      const display = portablePath(file);
      const { text, problem } = readText(file);
      if (problem) {
        problems.push(`curve ${ck.name}, step ${p.step}: ${problem}`);
        continue;
      }
      let doc: unknown;
      try {
        doc = JSON.parse(text!);
      } catch (err) {
        problems.push(`curve ${ck.name}, step ${p.step}: ${display} is not JSON: ${jsonErrorWithoutText((err as Error).message)}`);
        continue;
      }
      const got = checkpointPoint(doc, ck.value, p.step, display);
      if (got.problem) problems.push(`curve ${ck.name}, step ${p.step}: ${got.problem}`);
      if (got.point) {
        points.push(got.point);
        files.push({ path: display, sha256: sha256(text!) });
      }
    }
    points.sort((a, b) => a.step - b.step);
    series.push({ name: ck.name, mode: ck.mode, metric: ck.metric, source: 'checkpoints', files, ...(ck.note ? { note: ck.note } : {}), points });
  }
  const summaries = series.flatMap((s) => summariseCurve(s, spec.collapse_drop) ?? []);
  return {
    collapse_drop: spec.collapse_drop,
    ...(spec.switch_step !== undefined ? { switch_step: spec.switch_step } : {}),
    accuracy_metric: spec.accuracy_metric ?? series[0]?.metric ?? null,
    series,
    summaries,
    problems,
  };
}
