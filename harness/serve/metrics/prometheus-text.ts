/**
 * A parser for the Prometheus text exposition format (version 0.0.4), which vLLM's /metrics speaks:
 * `# HELP` / `# TYPE` comments and one sample a line, `name{label="value",...} value [timestamp]`.
 * Label values may hold escaped `\\`, `\"` and `\n`; values may be NaN, +Inf or -Inf. Pure.
 * A line that is not a sample is counted as malformed and skipped, never fatal: a scrape is an extra.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  samples: Sample[];
  /** Metric family -> declared type (counter, gauge, histogram, summary, untyped). */
  types: Record<string, string>;
  malformed: number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;

function parseValue(text: string): number | undefined {
  if (text === 'NaN') return NaN;
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  const n = Number(text);
  return text !== '' && Number.isFinite(n) ? n : undefined;
}

/** Parses `{a="x",b="y"}` starting at `i` (the `{`); returns the labels and the index after `}`. */
function parseLabels(line: string, i: number): { labels: Record<string, string>; end: number } | undefined {
  const labels: Record<string, string> = {};
  i++;
  for (;;) {
    while (line[i] === ' ' || line[i] === ',') i++;
    if (line[i] === '}') return { labels, end: i + 1 };
    const m = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(line.slice(i));
    if (!m) return undefined;
    const key = m[0];
    i += key.length;
    while (line[i] === ' ') i++;
    if (line[i] !== '=' || line[i + 1] !== '"') return undefined;
    i += 2;
    let value = '';
    for (;;) {
      const c = line[i];
      if (c === undefined) return undefined;
      if (c === '"') break;
      if (c === '\\') {
        const next = line[i + 1];
        value += next === 'n' ? '\n' : (next ?? '');
        i += 2;
        continue;
      }
      value += c;
      i++;
    }
    labels[key] = value;
    i++;
  }
}

export function parsePrometheusText(text: string): Exposition {
  const samples: Sample[] = [];
  const types: Record<string, string> = {};
  let malformed = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith('#')) {
      const m = /^#\s*TYPE\s+([a-zA-Z_:][a-zA-Z0-9_:]*)\s+(\w+)/.exec(line);
      if (m) types[m[1]] = m[2];
      continue;
    }
    const name = NAME.exec(line)?.[0];
    if (!name) {
      malformed++;
      continue;
    }
    let i = name.length;
    let labels: Record<string, string> = {};
    if (line[i] === '{') {
      const parsed = parseLabels(line, i);
      if (!parsed) {
        malformed++;
        continue;
      }
      labels = parsed.labels;
      i = parsed.end;
    }
    const [valueText] = line.slice(i).trim().split(/\s+/);
    const value = parseValue(valueText ?? '');
    if (value === undefined) {
      malformed++;
      continue;
    }
    samples.push({ name, labels, value });
  }
  return { samples, types, malformed };
}

/** Sum of every sample of `name` over all label sets (vLLM labels each by model_name), or undefined if absent. */
export function sumOf(e: Exposition, name: string): number | undefined {
  let total: number | undefined;
  for (const s of e.samples) if (s.name === name) total = (total ?? 0) + s.value;
  return total;
}

/** The first of `names` the exposition has, for metrics vLLM renamed between versions. */
export function firstPresent(e: Exposition, names: readonly string[], suffix = ''): string | undefined {
  return names.find((n) => e.samples.some((s) => s.name === n + suffix));
}

export interface Histogram {
  /** Upper bounds (le) ascending, the last +Inf, with cumulative counts. */
  buckets: { le: number; count: number }[];
  sum: number;
  count: number;
}

/** A histogram family summed over its label sets (other than `le`). */
export function histogramOf(e: Exposition, name: string): Histogram | undefined {
  const byLe = new Map<number, number>();
  let sum: number | undefined;
  let count: number | undefined;
  for (const s of e.samples) {
    if (s.name === `${name}_bucket`) {
      const le = parseValue(s.labels.le ?? '');
      if (le !== undefined) byLe.set(le, (byLe.get(le) ?? 0) + s.value);
    } else if (s.name === `${name}_sum`) sum = (sum ?? 0) + s.value;
    else if (s.name === `${name}_count`) count = (count ?? 0) + s.value;
  }
  if (count === undefined || byLe.size === 0) return undefined;
  const buckets = [...byLe.entries()].sort((a, b) => a[0] - b[0]).map(([le, c]) => ({ le, count: c }));
  return { buckets, sum: sum ?? 0, count };
}
