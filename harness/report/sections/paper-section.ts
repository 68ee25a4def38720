/** The paper-reproduction section (pure): the table of paper figures beside this run's, with the set-up caveat. */
import { absentBlock, noteBlock, tableBlock, type Section, type Table } from '../model.js';
import { NOT_MEASURED, SETUP_CAVEAT, type ReproductionRow } from '../paper-table.js';

export function paperTable(rows: readonly ReproductionRow[]): Table {
  return {
    id: 'paper-reproduction',
    title: 'Paper figures (arXiv 2512.04535) and this run',
    columns: [
      'quantity',
      'paper value',
      'unit',
      'where in the paper',
      'source',
      'verified',
      'subject',
      'this run',
      'ratio (this run / paper)',
      'this run measured by',
    ],
    rows: rows.map((r) => [
      r.figure.quantity,
      r.figure.value,
      r.figure.unit,
      r.figure.where,
      r.figure.source,
      r.figure.verified,
      r.subject,
      r.this_run_text,
      r.ratio,
      r.measured_by,
    ]),
  };
}

/**
 * The paper figures this run measured, in a table, and one line naming the rest: a fidelity run measures few
 * or none of them, and a table of "not measured in this run" rows said nothing about the run. With none
 * measured the section is that one line (html/page.ts draws it as such).
 */
export function paperSection(rows: readonly ReproductionRow[] | undefined, absentReason?: string): Section {
  const base = { id: 'paper', title: 'Paper reproduction' };
  if (!rows) return { ...base, blocks: [absentBlock(absentReason ?? 'No paper baseline was found.')] };
  const measured = rows.filter((r) => r.this_run_text !== NOT_MEASURED);
  const figures = new Set(rows.map((r) => r.figure.id)).size;
  const rest = [...new Set(rows.filter((r) => r.this_run_text === NOT_MEASURED).map((r) => r.figure.quantity))];
  // One line; the names of the figures not measured sit behind it (opened on demand in the page).
  const restLine = measured.length
    ? `${rest.length} of the paper's ${figures} figures ${rest.length === 1 ? 'is' : 'are'} not measured in this run.`
    : `none of the paper's ${figures} figures is measured in this run (they need agent runs or accuracy curves).`;
  const restNames = `Not measured: ${rest.join('; ')}.`;
  if (!measured.length) return { ...base, blocks: [absentBlock(restLine, restNames)] };
  const thirdParty = measured.some((r) => r.figure.source === 'third-party table' && r.this_run !== null);
  return {
    ...base,
    intro: SETUP_CAVEAT,
    blocks: [
      tableBlock(paperTable(measured)),
      ...(rest.length ? [noteBlock(restLine, restNames)] : []),
      ...(thirdParty
        ? [
            noteBlock(
              "Rows with source 'third-party table' compare against a number a paper-aggregator site extracted without its row: the paper's definition of that quantity is not known.",
            ),
          ]
        : []),
    ],
  };
}
