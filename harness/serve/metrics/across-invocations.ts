/**
 * server-metrics.json across the invocations of one run (the first and each --resume). Each invocation scrapes
 * its servers before its first call and after its last, so its figures cover only its own calls; the file
 * keeps every invocation's scrapes (`invocations`) and, in `servers`, figures summed over them per server
 * (serverFiguresAcross says how each kind of metric adds up). An invocation that never reached its closing
 * scrape (kill -9, a crash) left nothing: its calls are in no figure, and the summary says so (coverageNote).
 * Pure; serve-stage.ts reads and writes the file.
 */
import type { ServerMetricsEntry, ServerMetricsFile } from './scraper.js';
import { serverFiguresAcross } from './server-figures.js';

/** The file once the invocation that scraped `current` is added to `previous` (undefined for a first run). */
export function addInvocation(previous: ServerMetricsFile | undefined, current: ServerMetricsEntry[]): ServerMetricsFile {
  // A file written by a single invocation (or by a gtm-bench before this) holds that invocation in `servers`.
  const earlier = previous ? (previous.invocations ?? [{ servers: previous.servers }]) : [];
  const invocations = [...earlier, { servers: current }];
  if (invocations.length === 1) return { version: 1, servers: current };
  const byUrl = new Map<string, ServerMetricsEntry[]>();
  for (const inv of invocations) for (const e of inv.servers) byUrl.set(e.url, [...(byUrl.get(e.url) ?? []), e]);
  const servers = [...byUrl.values()].map((list) => combine(list, invocations.length));
  return { version: 1, servers, invocations };
}

function combine(list: ServerMetricsEntry[], total: number): ServerMetricsEntry {
  const canSum = list.every((e) => e.before && e.after);
  const figures = canSum
    ? serverFiguresAcross(list.map((e) => ({ before: exposition(e.before!), after: exposition(e.after!), figures: e.figures })))
    : list[list.length - 1].figures;
  const notes = [...figures.notes];
  if (!canSum) notes.push('these figures are the last invocation only: an earlier one was stored without its samples');
  if (list.length < total) notes.push(`this server answered ${list.length} of the run's ${total} invocations; the figures cover those`);
  const last = list[list.length - 1];
  return {
    url: last.url,
    targets: [...new Set(list.flatMap((e) => e.targets))],
    server: last.server ?? list.find((e) => e.server)?.server ?? null,
    before_at: list[0].before_at,
    after_at: last.after_at,
    invocations: list.length,
    figures: { ...figures, notes },
  };
}

const exposition = (samples: NonNullable<ServerMetricsEntry['before']>) => ({ samples, types: {}, malformed: 0 });

/**
 * The note for figures that cover fewer invocations than the run had (`runInvocations`: 1 + the manifest's
 * resumes): the missing ones ended without their closing scrape, and their calls are not counted.
 */
export function coverageNote(file: ServerMetricsFile, runInvocations: number): string | undefined {
  const stored = file.invocations?.length ?? 1;
  if (stored >= runInvocations) return undefined;
  return `these server figures cover ${stored} of the run's ${runInvocations} invocations: ${runInvocations - stored} ended without the closing scrape (killed or crashed), and the calls they made are not counted`;
}
