/**
 * Accepted baselines (pure): a run's summary plus its per-call scores, frozen as one JSON file under
 * baselines/. The summary is what a person reads; the per-call scores let `run --against` compare a new
 * run call by call with the same paired bootstrap as `compare`, instead of only comparing two means.
 */
import type { Manifest } from '../records/manifest.js';
import type { RunRecord } from '../records/types.js';
import { UserError } from '../util/errors.js';
import type { DataIdentity } from './data-identity.js';
import { scoreTableFromRecords, type CallScores, type ScoreTable } from '../report/score-table.js';
import type { Summary } from '../report/summary.js';

export const BASELINE_VERSION = 1;

export interface BaselineScores {
  /** Column order of `rows`' values. */
  metrics: string[];
  /** [call key, value per metric (null: no value)] */
  rows: [string, ...(number | null)[]][];
}

export interface RunBaseline extends DataIdentity {
  baseline_kind: 'run';
  baseline_version: typeof BASELINE_VERSION;
  accepted_at: string;
  run_id: string;
  suite: Manifest['suite'];
  datasets: Manifest['datasets'];
  harness: Manifest['harness'];
  targets: { name: string; kind: string; backend: string; status: string }[];
  summary: Summary;
  scores: Record<string, BaselineScores>;
}

export function buildBaseline(manifest: Manifest, summary: Summary, records: readonly RunRecord[], acceptedAt: string): RunBaseline {
  const table = scoreTableFromRecords(records);
  const scores: Record<string, BaselineScores> = {};
  for (const [target, calls] of table.targets) {
    const metrics = [...new Set([...calls.values()].flatMap((v) => Object.keys(v)))].sort();
    const rows = [...calls.entries()]
      .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
      .map(([key, v]) => [key, ...metrics.map((m) => v[m] ?? null)] as [string, ...(number | null)[]]);
    scores[target] = { metrics, rows };
  }
  return {
    baseline_kind: 'run',
    baseline_version: BASELINE_VERSION,
    accepted_at: acceptedAt,
    run_id: manifest.run_id,
    suite: manifest.suite,
    datasets: manifest.datasets,
    harness: manifest.harness,
    targets: summary.targets.map((t) => ({ name: t.name, kind: t.kind, backend: t.backend, status: t.status })),
    summary,
    scores,
  };
}

/** JSON with one line per call row, so a baseline under version control diffs line by line. */
export function serialiseBaseline(b: RunBaseline): string {
  const { scores, ...rest } = b;
  const head = JSON.stringify(rest, null, 2).replace(/\n}$/, '');
  const blocks = Object.entries(scores).map(([target, s]) => {
    const rows = s.rows.map((r) => '        ' + JSON.stringify(r)).join(',\n');
    return `    ${JSON.stringify(target)}: {\n      "metrics": ${JSON.stringify(s.metrics)},\n      "rows": [\n${rows}\n      ]\n    }`;
  });
  return `${head},\n  "scores": {\n${blocks.join(',\n')}\n  }\n}\n`;
}

export function parseBaseline(doc: unknown, display: string): RunBaseline {
  const b = doc as Partial<RunBaseline> | null;
  if (!b || b.baseline_kind !== 'run')
    throw new UserError(`${display}: not a run baseline (expected baseline_kind "run"; write one with gtm-bench baseline accept RUN_DIR)`);
  if (b.baseline_version !== BASELINE_VERSION) throw new UserError(`${display}: baseline_version ${b.baseline_version} is not ${BASELINE_VERSION}`);
  if (!b.suite?.sha256 || !b.datasets || !b.scores || !b.summary) throw new UserError(`${display}: expected suite, datasets, summary and scores`);
  return b as RunBaseline;
}

export function scoreTableFromBaseline(b: RunBaseline): ScoreTable {
  const targets = new Map<string, CallScores>();
  const backends = new Map<string, string>();
  for (const [target, s] of Object.entries(b.scores)) {
    const calls: CallScores = new Map();
    for (const [key, ...values] of s.rows) {
      const v: Record<string, number> = {};
      s.metrics.forEach((m, i) => {
        if (values[i] !== null && values[i] !== undefined) v[m] = values[i] as number;
      });
      calls.set(key, v);
    }
    targets.set(target, calls);
    backends.set(target, b.targets.find((t) => t.name === target)?.backend ?? '?');
  }
  return { targets, backends };
}
