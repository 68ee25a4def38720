/** The paper-reproduction section (pure): the table of paper figures beside this run's, with the set-up caveat. */
import { absentBlock, noteBlock, tableBlock, type Section, type Table } from '../model.js';
import { SETUP_CAVEAT, type ReproductionRow } from '../paper-table.js';

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

export function paperSection(rows: readonly ReproductionRow[] | undefined, absentReason?: string): Section {
  const base = { id: 'paper', title: 'Paper reproduction' };
  if (!rows) return { ...base, blocks: [absentBlock(absentReason ?? 'No paper baseline was found.')] };
  const thirdParty = rows.some((r) => r.figure.source === 'third-party table' && r.this_run !== null);
  return {
    ...base,
    intro: SETUP_CAVEAT,
    blocks: [
      tableBlock(paperTable(rows)),
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
