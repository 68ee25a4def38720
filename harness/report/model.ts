/**
 * What a rendered report is made of, independent of the output format: sections holding tables, figures
 * and notes. HTML, the CSV exports (one file per table) and the JSON exports (one file per figure: the
 * vega-lite spec with its data inline) are all drawn from the same values, so they cannot disagree.
 */
import type { TopLevelSpec } from 'vega-lite';

export type Cell = string | number | boolean | null;

export interface Table {
  /** File-name-safe id, unique in a report: the CSV export is `<id>.csv`. */
  id: string;
  title: string;
  columns: string[];
  rows: Cell[][];
  note?: string;
  /**
   * Per row, the columns whose cell is the best value of the row (metric-marks.ts): drawn bold with ★ in the
   * HTML page; the CSV export holds the values alone.
   */
  best?: number[][];
  /** Exported as CSV but not drawn as a table in the HTML page (which shows the same data another way). */
  export_only?: boolean;
}

export interface Figure {
  /** File-name-safe id, unique in a report: the JSON export is `<id>.vl.json`. */
  id: string;
  title: string;
  /** A vega-lite spec with its data inline (`data.values`), so the export alone redraws the chart. */
  spec: TopLevelSpec;
  caption?: string;
}

/** A block of already-escaped HTML (built with html/escape.ts), for content that is neither table nor chart. */
export interface HtmlBlock {
  kind: 'html';
  html: string;
}

/**
 * `absent`: something a report would show is not in this run, and why (rendered so nobody misses it).
 * `detail`: a long tail (a list of names) kept behind the one-line `text`, shown when the reader opens it.
 */
export type Block =
  | { kind: 'table'; table: Table }
  | { kind: 'figure'; figure: Figure }
  | { kind: 'note'; text: string; detail?: string }
  | { kind: 'absent'; text: string; detail?: string }
  | HtmlBlock;

export interface Section {
  id: string;
  title: string;
  /** Plain text shown under the title. */
  intro?: string;
  blocks: Block[];
}

export interface ReportDoc {
  title: string;
  /** Plain-text lines under the title: run id, inputs, harness. */
  lead: string[];
  sections: Section[];
}

export const tableBlock = (table: Table): Block => ({ kind: 'table', table });
export const figureBlock = (figure: Figure): Block => ({ kind: 'figure', figure });
export const noteBlock = (text: string, detail?: string): Block => ({ kind: 'note', text, ...(detail ? { detail } : {}) });
export const absentBlock = (text: string, detail?: string): Block => ({ kind: 'absent', text, ...(detail ? { detail } : {}) });

/** Every table and figure of a report, in order: what the exports write. */
export function collectExports(doc: ReportDoc): { tables: Table[]; figures: Figure[] } {
  const blocks = doc.sections.flatMap((s) => s.blocks);
  return {
    tables: blocks.flatMap((b) => (b.kind === 'table' ? [b.table] : [])),
    figures: blocks.flatMap((b) => (b.kind === 'figure' ? [b.figure] : [])),
  };
}
