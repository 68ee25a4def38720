/**
 * The nightly history (pure parts): one compact entry per run, the summary's means and intervals per target
 * and metric plus the gates in force that night, as one JSON line of an append-only file. Appending and
 * reading the file is history-store.ts.
 */
import type { Manifest } from '../records/manifest.js';
import { wilson } from '../scoring/stats.js';
import type { GatesSpec } from '../suite/report-sections.js';
import type { MeanFigures } from '../scoring/stats.js';
import type { Summary } from '../report/summary.js';

export const HISTORY_VERSION = 1;

export interface HistoryTarget {
  name: string;
  kind: string;
  backend: string;
  status: string;
  calls: number;
  /** Scorer metrics, plus call.error: the share of calls without an answer, with its Wilson interval. */
  metrics: Record<string, MeanFigures>;
  latency_p50_ms: number | null;
}

export interface HistoryEntry {
  history_version: typeof HISTORY_VERSION;
  run_id: string;
  suite: { name: string; file: string; sha256: string };
  datasets: Record<string, string>;
  started_at: string;
  ended_at: string | null;
  status: string;
  harness: { version: string; git_commit: string | null };
  gates?: GatesSpec;
  targets: HistoryTarget[];
}

function errorRate(errors: number, calls: number): MeanFigures {
  if (calls < 2) return { n: calls, mean: calls ? errors / calls : null, ci_low: null, ci_high: null, method: 'n<2' };
  const [lo, hi] = wilson(errors, calls);
  return { n: calls, mean: errors / calls, ci_low: lo, ci_high: hi, method: 'wilson' };
}

export function historyEntry(manifest: Manifest, summary: Summary, gates: GatesSpec | undefined): HistoryEntry {
  return {
    history_version: HISTORY_VERSION,
    run_id: manifest.run_id,
    suite: { name: manifest.suite.name, file: manifest.suite.file, sha256: manifest.suite.sha256 },
    datasets: Object.fromEntries(Object.entries(manifest.datasets).map(([k, d]) => [k, d.sha256])),
    started_at: manifest.started_at,
    ended_at: manifest.ended_at,
    status: manifest.status,
    harness: { version: manifest.harness.version, git_commit: manifest.harness.git_commit },
    ...(gates ? { gates } : {}),
    targets: summary.targets.map((t) => ({
      name: t.name,
      kind: t.kind,
      backend: t.backend,
      status: t.status,
      calls: t.calls,
      metrics: t.status === 'ran' ? { ...t.metrics, 'call.error': errorRate(t.errors, t.calls) } : {},
      latency_p50_ms: t.latency_ms?.p50 ?? null,
    })),
  };
}

/** Parses the history file's text; a torn last line (a crash mid-append) is dropped with a note. */
export function parseHistory(text: string, display: string): { entries: HistoryEntry[]; problems: string[] } {
  const entries: HistoryEntry[] = [];
  const problems: string[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    try {
      const e = JSON.parse(line) as HistoryEntry;
      if (e.history_version !== HISTORY_VERSION || !e.run_id || !Array.isArray(e.targets))
        throw new Error(`expected a history entry (history_version ${HISTORY_VERSION}, run_id, targets)`);
      entries.push(e);
    } catch (err) {
      problems.push(`${display}:${i + 1}: ${(err as Error).message}`);
    }
  });
  return { entries, problems };
}
