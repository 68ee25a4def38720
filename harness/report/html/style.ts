/** The report's stylesheet, inlined in the page (a report must open offline, with no file beside it). */
export const REPORT_CSS = `
:root { --fg: #1d232a; --muted: #5b6570; --line: #d8dde3; --bg-alt: #f5f7f9; --bad: #b3261e; --good: #1b6e3a; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); margin: 0; padding: 24px 32px 64px; max-width: 1400px; }
h1 { font-size: 22px; margin: 0 0 6px; }
h2 { font-size: 18px; margin: 36px 0 8px; padding-top: 8px; border-top: 1px solid var(--line); }
h3 { font-size: 15px; margin: 18px 0 6px; }
p.lead { margin: 2px 0; color: var(--muted); }
p.note { background: var(--bg-alt); border-left: 3px solid var(--line); padding: 6px 10px; margin: 8px 0; }
p.absent { background: #fff7e6; border-left: 3px solid #e0a400; padding: 6px 10px; }
nav ul { columns: 3; padding-left: 18px; margin: 10px 0; }
table { border-collapse: collapse; margin: 8px 0 4px; font-size: 13px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border: 1px solid var(--line); padding: 3px 7px; text-align: left; vertical-align: top; }
th { background: var(--bg-alt); }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.best { background: #eef6ef; }
section.empty { margin: 4px 0; }
.empty-section { margin: 4px 0; color: var(--muted); }
.empty-section strong { color: var(--fg); }
details.note, details.absent { margin: 8px 0; }
details.note summary, details.absent summary, details.empty-section summary { cursor: pointer; }
.table-note { color: var(--muted); font-size: 12px; margin: 0 0 12px; }
figure { margin: 12px 0 18px; }
figcaption { font-weight: 600; margin-bottom: 4px; }
figure .caption { color: var(--muted); font-size: 12px; margin: 4px 0 0; max-width: 900px; }
.case { border: 1px solid var(--line); border-radius: 4px; margin: 10px 0; padding: 6px 10px; }
.case summary { cursor: pointer; }
.side-by-side { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 8px; margin-top: 6px; }
.side-by-side h4 { margin: 0 0 2px; font-size: 12px; color: var(--muted); }
pre { background: var(--bg-alt); padding: 6px 8px; margin: 0; overflow: auto; max-height: 320px; font-size: 12px; white-space: pre-wrap; word-break: break-word; }
ul.reasons { margin: 4px 0; padding-left: 18px; font-size: 12px; }
.verdict-worse, .regressed { color: var(--bad); font-weight: 600; }
.verdict-better { color: var(--good); font-weight: 600; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
`;
