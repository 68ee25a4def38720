/** Settings every chart shares, so the report's charts look like one family. */
import type { TopLevelSpec } from 'vega-lite';

export const VL_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

export const CHART_CONFIG = {
  font: 'sans-serif',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, labelLimit: 260 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 260 },
  header: { labelFontSize: 12, titleFontSize: 12 },
  background: 'white',
} as const;

/** Adds the schema and shared config to a spec body. */
export function chart(body: Record<string, unknown>): TopLevelSpec {
  return { $schema: VL_SCHEMA, config: CHART_CONFIG, ...body } as TopLevelSpec;
}

/** True when every value lies in [0, 1]: such metrics share a fixed 0..1 axis. */
export function allUnit(values: Iterable<number | null>): boolean {
  for (const v of values) if (v !== null && (v < 0 || v > 1)) return false;
  return true;
}

export interface AxisRange {
  domain: [number, number];
  /** Tick values, both ends included, so the axis says where it starts and ends. */
  ticks: number[];
  /** True when the axis does not start at 0: the title says so. */
  zoomed: boolean;
}

/**
 * The axis of a bounded 0..1 chart fitted to the range its values occupy, so that means of 0.93..0.99 are not
 * squeezed into the last few pixels of a 0..1 axis. The ends are rounded outward to a step that gives about
 * five ticks and stay inside [0, 1] (a bounded metric never gets an axis beyond its bounds); both ends are
 * labelled. With values near 0 the axis simply starts at 0.
 */
export function unitAxisRange(values: Iterable<number | null>): AxisRange {
  const xs = [...values].filter((v): v is number => v !== null && Number.isFinite(v));
  if (!xs.length) return fitUnitAxis(0, 1);
  return fitUnitAxis(Math.max(0, Math.min(...xs)), Math.min(1, Math.max(...xs)));
}

// Rounded to the steps' two decimals: 0.9 - 0.05 must be 0.85, not 0.8500000000000001.
const round2 = (x: number) => Number(x.toFixed(2));

function fitUnitAxis(lo: number, hi: number): AxisRange {
  const step = [0.01, 0.02, 0.05, 0.1, 0.2].find((s) => Math.max(hi - lo, 0.01) / s <= 6) ?? 0.2;
  const from = round2(Math.max(0, Math.floor((lo - step / 2) / step) * step));
  const to = round2(Math.min(1, Math.ceil((hi + step / 2) / step) * step));
  // Within two steps of 0: start at 0 (and fit the step again) rather than at an odd small number.
  if (from > 0 && from <= 2 * step) return fitUnitAxis(0, hi);
  const ticks: number[] = [];
  for (let t = from; t < to - step / 2; t = round2(t + step)) ticks.push(t);
  ticks.push(to);
  return { domain: [from, to], ticks, zoomed: from > 0 };
}
