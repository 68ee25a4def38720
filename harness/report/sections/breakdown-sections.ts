/**
 * The report.html sections of the breakdowns (breakdowns.ts): every metric per dataset and per --group-by
 * group, and the calls each mean leaves out with why.
 */
import { breakdowns, notScoredRows } from '../breakdowns.js';
import { tableBlock, type Block, type Section, type Table } from '../model.js';
import type { Summary } from '../summary.js';
import { wideMetricTable } from './run-sections.js';

const safe = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_');

export function breakdownSections(summary: Summary): Section[] {
  return breakdowns(summary).map((b) => {
    const blocks: Block[] = b.groups.map((g) =>
      tableBlock(wideMetricTable(`by-${safe(b.field)}-${safe(g.name)}`, `${b.field} = ${g.name}`, summary.targets, g.pick)),
    );
    // A breakdown with no groups (one dataset) is said by its intro alone: a note repeating it printed the
    // sentence twice.
    return { id: `by-${safe(b.field)}`, title: b.title, intro: b.intro, blocks };
  });
}

export function notScoredSection(summary: Summary): Section | null {
  const rows = notScoredRows(summary);
  if (!rows.length) return null;
  const table: Table = {
    id: 'not-scored',
    title: 'Calls each mean leaves out',
    columns: ['target', 'metric', 'label', 'scored', 'of', 'no answer', 'not applicable', 'why'],
    rows: rows.map((r) => [r.target, r.metric, r.label, r.scored, r.of, r.no_answer, r.not_applicable, r.why]),
  };
  return {
    id: 'not-scored',
    title: 'Calls each mean leaves out',
    intro:
      "Every call not in a mean, counted with why: no answer (transport errors), or the metric does not apply to it (the scorer's reason, with the number of calls).",
    blocks: [tableBlock(table)],
  };
}
