/**
 * A ReportDoc to its files' contents (pure apart from CPU): the HTML page with every chart rendered to an
 * inline SVG, one CSV per table and one JSON per figure (the vega-lite spec with its data). Nothing is
 * written here; write-html-report.ts and the trend command put the texts on disk.
 */
import { stringify } from 'csv-stringify/sync';
import { renderSvg } from './charts/render-svg.js';
import { renderHtmlPage } from './html/page.js';
import { collectExports, type ReportDoc, type Table } from './model.js';
import { showControls } from '../util/visible-controls.js';

export interface RenderedReport {
  html: string;
  /** File name (inside the export folder) -> content. */
  exports: Map<string, string>;
  /** Charts that failed to render (the page says so in their place). */
  chartErrors: string[];
}

export function tableToCsv(table: Table): string {
  // Control characters (NUL cuts a cell short in C-based readers) are written visibly, as \u0000.
  const rows = table.rows.map((r) => r.map((v) => (v === null ? '' : typeof v === 'boolean' ? String(v) : typeof v === 'string' ? showControls(v) : v)));
  return stringify(rows, { header: true, columns: table.columns });
}

export async function renderReport(doc: ReportDoc, footer: string): Promise<RenderedReport> {
  const { tables, figures } = collectExports(doc);
  const svgs = new Map<string, string>();
  const chartErrors: string[] = [];
  // One at a time: vega's dataflow is CPU-bound, so running charts concurrently only interleaves them.
  for (const f of figures) {
    try {
      svgs.set(f.id, await renderSvg(f.spec, `fig-${f.id}`));
    } catch (err) {
      chartErrors.push(`chart ${f.id}: ${(err as Error).message}`);
    }
  }
  const exports = new Map<string, string>();
  for (const t of tables) exports.set(`${t.id}.csv`, tableToCsv(t));
  for (const f of figures) exports.set(`${f.id}.vl.json`, JSON.stringify(f.spec, null, 2) + '\n');
  return { html: renderHtmlPage(doc, svgs, footer), exports, chartErrors };
}
