/**
 * The one registry of metric families (metric-family.ts). The families that ship with gtm-bench are
 * registered here, in report order; a new family is one `registerMetricFamily` call. The suite loader checks
 * `metrics:` names against it, the scorer runs the families a suite names, and every report, gate, trend
 * and worst-case view reads labels, definitions, direction and kind from it, so nothing else keeps a list.
 *
 * Look-ups are Map reads on an index built at registration, never per call.
 */
import { answerRecall, answerRecallToken } from './answer-recall.js';
import { callFamily } from './call-metrics.js';
import { formatFamily } from './format.js';
import { judgeFamily } from './judge.js';
import { kernelAgreement } from './kernel-agreement.js';
import { logicFamily } from './logic.js';
import type { MetricDef, MetricFamily, ResolvedMetricDef, ResponseFamily } from './metric-family.js';
import { semanticFamily } from './semantic.js';
import { sessionFamily } from './session-consistency.js';

const families = new Map<string, MetricFamily>();
const defs = new Map<string, ResolvedMetricDef>();
/** Metric name -> its position in registration order, for report ordering. */
const rank = new Map<string, number>();

const KINDS = new Set(['binary', 'bounded', 'unbounded']);

function resolve(family: string, name: string, d: MetricDef): ResolvedMetricDef {
  const range = d.range ?? (d.kind === 'unbounded' ? { min: 0, max: Infinity } : { min: 0, max: 1 });
  return { name, family, label: d.label, how: d.how, direction: d.direction, kind: d.kind, range, aggregation: d.aggregation ?? 'mean' };
}

/** Checks a family's declarations and adds it; throws when a name is taken or a declaration is unsound. */
export function registerMetricFamily(family: MetricFamily): void {
  if (families.has(family.name)) throw new Error(`metric family ${family.name} is already defined`);
  const resolved: ResolvedMetricDef[] = [];
  for (const [name, d] of Object.entries(family.metrics)) {
    const where = `metric ${name} of family ${family.name}`;
    if (!name.startsWith(family.name + '.')) throw new Error(`${where} must be named ${family.name}.<metric>`);
    if (defs.has(name)) throw new Error(`${where} is already defined by family ${defs.get(name)!.family}`);
    if (!KINDS.has(d.kind)) throw new Error(`${where} has kind ${String(d.kind)}; expected binary, bounded or unbounded`);
    if (d.direction !== 'higher' && d.direction !== 'lower') throw new Error(`${where} has direction ${String(d.direction)}; expected higher or lower`);
    const r = resolve(family.name, name, d);
    if (!(r.range.min < r.range.max)) throw new Error(`${where} has an empty range [${r.range.min}, ${r.range.max}]`);
    if (d.kind === 'binary' && (r.range.min !== 0 || r.range.max !== 1)) throw new Error(`${where} is binary, so its range is [0, 1]`);
    if (d.kind === 'bounded' && !Number.isFinite(r.range.max)) throw new Error(`${where} is bounded, so its range needs a finite max`);
    resolved.push(r);
  }
  families.set(family.name, family);
  for (const r of resolved) {
    defs.set(r.name, r);
    rank.set(r.name, rank.size);
  }
}

for (const f of [formatFamily, logicFamily, semanticFamily, judgeFamily, answerRecall, answerRecallToken, kernelAgreement, sessionFamily, callFamily])
  registerMetricFamily(f);

export function metricFamily(name: string): MetricFamily | undefined {
  return families.get(name);
}

/** Every family, in registration order. */
export function metricFamilies(): MetricFamily[] {
  return [...families.values()];
}

/** Every name a suite may write in `metrics`: the families that score answers, in registration order. */
export function knownMetricFamilies(): string[] {
  return metricFamilies().flatMap((f) => (f.source === 'response' ? [f.name] : []));
}

/** The families a suite names, in registration order (so scores come out in a fixed order whatever the suite's). */
export function responseFamilies(names: readonly string[]): ResponseFamily[] {
  return metricFamilies().filter((f): f is ResponseFamily => f.source === 'response' && names.includes(f.name));
}

/** How a metric is defined, or undefined when no registered family emits it. */
export function metricDef(metric: string): ResolvedMetricDef | undefined {
  return defs.get(metric);
}

export function isKnownMetric(metric: string): boolean {
  return defs.has(metric);
}

export function metricLabel(metric: string): string {
  return defs.get(metric)?.label ?? metric;
}

export function isLowerBetter(metric: string): boolean {
  return defs.get(metric)?.direction === 'lower';
}

/** Distinct metrics in registration order (family by family, each family's own order), then unknown ones alphabetically. */
export function orderMetrics(metrics: Iterable<string>): string[] {
  return [...new Set(metrics)].sort((a, b) => {
    const ia = rank.get(a) ?? Infinity;
    const ib = rank.get(b) ?? Infinity;
    if (ia !== ib) return ia - ib;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}
