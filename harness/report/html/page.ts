/**
 * A ReportDoc as one self-contained HTML page: styles inline, every chart an inline SVG rendered beforehand,
 * no script and no external reference, so the file opens offline and can be attached to a CI run as is.
 * Pure: the SVGs come in as a map from figure id, already rendered.
 */
import type { Block, Cell, ReportDoc, Section, Table } from '../model.js';
import { BEST_MARK } from '../metric-marks.js';
import { escapeHtml, formatCell } from './escape.js';
import { REPORT_CSS } from './style.js';

export function renderTableHtml(table: Table): string {
  const head = table.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const cell = (v: Cell, best: boolean) => {
    const cls = [typeof v === 'number' ? 'num' : '', best ? 'best' : ''].filter(Boolean).join(' ');
    const text = escapeHtml(formatCell(v));
    return `<td${cls ? ` class="${cls}"` : ''}>${best ? `<strong title="best value of this row">${BEST_MARK} ${text}</strong>` : text}</td>`;
  };
  const rows = table.rows.map((row, r) => `<tr>${row.map((v, c) => cell(v, table.best?.[r]?.includes(c) ?? false)).join('')}</tr>`).join('\n');
  const note = table.note ? `\n<p class="table-note">${escapeHtml(table.note)}</p>` : '';
  return `<table id="table-${escapeHtml(table.id)}"><caption>${escapeHtml(table.title)}</caption>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows}\n</tbody></table>${note}`;
}

function renderBlock(block: Block, svgs: ReadonlyMap<string, string>): string {
  switch (block.kind) {
    case 'table':
      if (block.table.export_only) return `<p class="table-note">Also as CSV: ${escapeHtml(block.table.id)}.csv in the export folder.</p>`;
      // A table without rows (a run with no calls) drew a bare header row; say it is empty instead. Its CSV
      // export is written as before.
      if (!block.table.rows.length) return `<p class="absent">${escapeHtml(block.table.title)}: nothing to show in this run.</p>`;
      return renderTableHtml(block.table);
    case 'note':
    case 'absent':
      return block.detail
        ? `<details class="${block.kind}"><summary>${escapeHtml(block.text)}</summary><p>${escapeHtml(block.detail)}</p></details>`
        : `<p class="${block.kind}">${escapeHtml(block.text)}</p>`;
    case 'html':
      return block.html;
    case 'figure': {
      const f = block.figure;
      const svg = svgs.get(f.id);
      // A chart that could not be drawn says so in place; the page never silently drops one.
      const body = svg ?? `<p class="absent">chart ${escapeHtml(f.id)} could not be rendered</p>`;
      const caption = f.caption ? `<p class="caption">${escapeHtml(f.caption)}</p>` : '';
      return `<figure id="figure-${escapeHtml(f.id)}" data-figure="${escapeHtml(f.id)}"><figcaption>${escapeHtml(f.title)}</figcaption>\n${body}\n${caption}</figure>`;
    }
  }
}

/** True when a block shows something of this run: a chart, a table with rows, or a block of HTML. */
function showsData(block: Block): boolean {
  return block.kind === 'figure' || block.kind === 'html' || (block.kind === 'table' && block.table.rows.length > 0 && !block.table.export_only);
}

/**
 * A section with nothing of this run in it (every block a "not in this run", a note or an empty table) is one
 * line: its title and why, not a heading, an intro and a paragraph per block. A fidelity run's report had
 * screens of such sections (agent, curves, paper figures) between the parts that hold its numbers.
 */
export function emptySectionReason(section: Section): { why: string; detail: string | null } | null {
  if (section.blocks.some(showsData)) return null;
  const said = section.blocks.flatMap((b) => (b.kind === 'absent' || b.kind === 'note' ? [b] : []));
  const details = said.flatMap((b) => (b.detail ? [b.detail] : []));
  return {
    why: said.length ? said.map((b) => b.text).join(' ') : (section.intro ?? 'nothing to show in this run.'),
    detail: details.length ? details.join(' ') : null,
  };
}

function renderSection(section: Section, svgs: ReadonlyMap<string, string>): string {
  const empty = emptySectionReason(section);
  if (empty !== null) {
    const line = `<strong>${escapeHtml(section.title)}</strong>: ${escapeHtml(empty.why)}`;
    const body = empty.detail
      ? `<details class="empty-section"><summary>${line}</summary><p>${escapeHtml(empty.detail)}</p></details>`
      : `<p class="empty-section">${line}</p>`;
    return `<section id="${escapeHtml(section.id)}" class="empty">\n${body}\n</section>`;
  }
  const intro = section.intro ? `<p>${escapeHtml(section.intro)}</p>\n` : '';
  return `<section id="${escapeHtml(section.id)}">\n<h2>${escapeHtml(section.title)}</h2>\n${intro}${section.blocks.map((b) => renderBlock(b, svgs)).join('\n')}\n</section>`;
}

export function renderHtmlPage(doc: ReportDoc, svgs: ReadonlyMap<string, string>, footer: string): string {
  const nav = doc.sections.map((s) => `<li><a href="#${escapeHtml(s.id)}">${escapeHtml(s.title)}</a></li>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header>
<h1>${escapeHtml(doc.title)}</h1>
${doc.lead.map((l) => `<p class="lead">${escapeHtml(l)}</p>`).join('\n')}
<nav><ul>${nav}</ul></nav>
</header>
<main>
${doc.sections.map((s) => renderSection(s, svgs)).join('\n')}
</main>
<footer>${escapeHtml(footer)}</footer>
</body>
</html>
`;
}
