/**
 * What a metric row of a report table marks (pure), read from the metric registry so that no report keeps a
 * list of its own: the label with the metric's reading direction, the best value(s) across targets, and
 * whether the row's means can be compared across targets at all. The terminal table, report.md and
 * report.html all mark rows through this one module, so they cannot disagree.
 */
import { metricDef, metricLabel } from '../scoring/metric-registry.js';
import type { MetricSummary } from './summary.js';

/** The metric's label, with "(lower is better)" when the registry says so. */
export function directionalLabel(metric: string): string {
  return `${metricLabel(metric)}${metricDef(metric)?.direction === 'lower' ? ' (lower is better)' : ''}`;
}

export const BEST_MARK = '★';

export const BEST_NOTE =
  '★ marks the best value of a row (the highest, or the lowest where lower is better; ties at the shown precision all marked). No mark where fewer than two targets have a value, where all of them tie, or where they were scored over different numbers of calls.';

export const NOT_COMPARABLE_LABEL = ' (not comparable)';

export interface RowComparison {
  /** Positions (in the cells given) of the best value; empty when nothing is marked. */
  best: number[];
  /** Why the row's means cannot be compared across targets, or null when they can. */
  notComparable: string | null;
}

export interface RowCell {
  target: string;
  figures: MetricSummary | undefined;
}

/**
 * Compares one metric across the targets that ran. Means over different numbers of scored calls are over
 * different call sets (on the default suite `logic.invariants` scores 270 calls of the real tool, whose error
 * responses have no invariant, and 300 of a simulator that answers every invalid call with a success), so
 * such a row is flagged and nothing in it is marked best: the paired differences compare the calls both
 * scored. Ties are decided at the shown precision (three decimals), so two cells that read 1.000 are both best;
 * a row where every target ties marks nothing (a star on every cell would say nothing).
 */
export function compareRow(metric: string, cells: readonly RowCell[]): RowComparison {
  const valued = cells.flatMap((c, i) => (c.figures && c.figures.mean !== null ? [{ i, target: c.target, m: c.figures, mean: c.figures.mean }] : []));
  if (valued.length < 2) return { best: [], notComparable: null };
  const counts = new Set(valued.map((v) => `${v.m.n}/${v.m.of ?? ''}`));
  if (counts.size > 1) {
    const each = valued.map((v) => `${v.target} ${v.m.n}${v.m.of !== undefined ? ` of ${v.m.of}` : ''}`).join(', ');
    return { best: [], notComparable: `scored over different numbers of calls (${each})` };
  }
  const direction = metricDef(metric)?.direction;
  if (!direction) return { best: [], notComparable: null };
  const shown = (x: number) => Number(x.toFixed(3));
  const target = (direction === 'lower' ? Math.min : Math.max)(...valued.map((v) => shown(v.mean)));
  const best = valued.filter((v) => shown(v.mean) === target).map((v) => v.i);
  return { best: best.length === valued.length ? [] : best, notComparable: null };
}

/** The sentence under a table for each row that is not comparable. */
export function notComparableNote(metric: string, why: string): string {
  return `${metricLabel(metric)} (${metric}) is not comparable across targets: ${why}; the paired differences in report.md and report.html compare only the calls both targets scored.`;
}
