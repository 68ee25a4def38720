/**
 * report.html in a real browser: headless Chromium (Debian's `chromium`, driven by playwright-core) opens a
 * run's report, an agent run's report and a curves page, checks that every chart rendered as SVG with data
 * marks, that nothing logged an error and that hostile model output did not execute, and saves screenshots
 * under test/output/. Without Chromium the tests are skipped with the reason printed.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { curvesCommand } from '../harness/cli/curves.js';
import { writeHtmlReport } from '../harness/report/write-html-report.js';
import { inProcess } from './support/in-process-cli.js';
import { startReportRuns } from './support/report-runs.js';

/** CHROMIUM_PATH, else Debian's /usr/bin/chromium, else a `chromium` on the PATH. */
function findChromium(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  const dirs = ['/usr/bin', ...(process.env.PATH ?? '').split(delimiter)];
  return dirs.map((d) => join(d, 'chromium')).find((p) => existsSync(p)) ?? '/usr/bin/chromium';
}
const CHROMIUM = findChromium();
const OUTPUT = new URL('./output/', import.meta.url).pathname;
const AGENT = JSON.parse(readFileSync(new URL('./fixtures/report/agent-summary.json', import.meta.url), 'utf8'));
const CURVES_SUITE = new URL('../suites/examples/curves.yaml', import.meta.url).pathname;
const available = existsSync(CHROMIUM);
const tmp = mkdtempSync(join(tmpdir(), 'gtm-browser-'));
let browser: Browser;
let runDir: string;

interface PageCheck {
  figures: { id: string; svgs: number; dataMarks: number }[];
  /** Each section's id and the text of its first table's header row ('' when it has no table). */
  sections: { id: string; head: string }[];
  /** Sections drawn as one line (class "empty"): their height in pixels, headings and tables inside. */
  empty: { id: string; height: number; headings: number; tables: number; text: string }[];
  /** The paper section: its table's rows, the line naming the figures not measured, and that line's height. */
  paper: { rows: number; rest: string; restHeight: number };
  /** Cells marked best (td.best): their text. */
  best: string[];
  /** The fidelity chart's x-axis title. */
  fidelityAxisTitle: string;
  problems: string[];
  pwned: unknown;
}

/** Opens a file, collects console errors and page errors, and counts each figure's SVG data marks. */
async function open(file: string, screenshot: string): Promise<PageCheck> {
  const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) problems.push(`network request: ${r.url()}`);
  });
  await page.goto(pathToFileURL(file).href);
  const figures = await page.$$eval('figure[data-figure]', (els) =>
    els.map((fig) => {
      // Data marks: vega's mark groups outside axes, legends and titles, with at least one drawn item.
      const marks = [...fig.querySelectorAll('svg g.role-mark')].filter((g) => !g.closest('.role-axis, .role-legend, .role-title'));
      return { id: fig.getAttribute('data-figure')!, svgs: fig.querySelectorAll('svg').length, dataMarks: marks.reduce((n, g) => n + g.children.length, 0) };
    }),
  );
  const sections = await page.$$eval('section[id]', (els) => els.map((el) => ({ id: el.id, head: el.querySelector('table thead')?.textContent ?? '' })));
  const empty = await page.$$eval('section.empty', (els) =>
    els.map((el) => ({
      id: el.id,
      height: el.getBoundingClientRect().height,
      headings: el.querySelectorAll('h2, h3').length,
      tables: el.querySelectorAll('table').length,
      text: (el as HTMLElement).innerText,
    })),
  );
  const [paper = { rows: 0, rest: '', restHeight: -1 }] = await page.$$eval('section#paper', (els) =>
    els.map((el) => ({
      rows: el.querySelectorAll('table tbody tr').length,
      rest: (el.querySelector('details.note summary') as HTMLElement | null)?.innerText ?? '',
      restHeight: el.querySelector('details.note')?.getBoundingClientRect().height ?? -1,
    })),
  );
  const best = await page.$$eval('td.best', (els) => els.map((el) => (el as HTMLElement).innerText));
  const fidelityAxisTitle = await page.$$eval('figure[data-figure="fidelity"] svg .role-axis-title text', (els) =>
    els.map((el) => el.textContent ?? '').join(' | '),
  );
  const pwned = await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned);
  mkdirSync(OUTPUT, { recursive: true });
  // The first screen only: a full-page shot of a long report costs seconds and shows nothing more to a test.
  await page.screenshot({ path: join(OUTPUT, screenshot) });
  await page.close();
  return { figures, problems, pwned, sections, empty, paper, best, fidelityAxisTitle };
}

if (!available) {
  console.log(`report-html-browser: skipped: no Chromium at ${CHROMIUM} (install Debian's chromium, or set CHROMIUM_PATH); .ci/run installs it when missing`);
  test.skip('report.html renders in headless Chromium');
} else {
  test.before(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    const runs = await startReportRuns();
    runs.behaviour.b = 'hostile';
    runDir = join(tmp, 'run');
    await runs.run(runDir);
    await runs.close();
  });
  test.after(async () => {
    await browser?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  test('a run report: every chart drew data marks, no console error, no request, hostile output inert', async () => {
    const page = await open(join(runDir, 'report.html'), 'browser-run-report.png');
    assert.equal(page.problems, []);
    assert.is(page.pwned, undefined, 'a <script> in a model response must not run');
    assert.equal(
      page.figures.map((f) => f.id),
      ['fidelity', 'latency', 'per-tool'],
    );
    for (const f of page.figures) {
      assert.is(f.svgs, 1, f.id);
      assert.ok(f.dataMarks > 0, `${f.id} has no data marks`);
    }
    // The fidelity chart draws an interval and a dot for every (target, metric) mean in the summary.
    const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8'));
    const means = summary.targets.flatMap((t: { metrics: Record<string, { mean: number | null }> }) => Object.values(t.metrics).filter((m) => m.mean !== null));
    assert.is(page.figures[0].dataMarks, 2 * means.length);
    // Issue 13 item 12: with two targets the page answers "which is better, by how much" in a table of its own.
    const paired = page.sections.find((x) => x.id === 'paired');
    assert.ok(paired, `sections: ${page.sections.map((x) => x.id).join(', ')}`);
    assert.match(paired!.head, /difference \(target - baseline\)/);
    assert.match(paired!.head, /95% interval/);
    // Issue 13 item 13: sections with nothing of this fidelity run (agent, curves, paper figures) are one line
    // each: no heading, no table, about one line of text high (a heading, intro and paragraph are > 80 px).
    assert.equal(
      page.empty.map((e) => e.id),
      ['by-dataset', 'agent', 'curves'],
    );
    for (const e of page.empty) {
      assert.is(e.headings + e.tables, 0, e.id);
      assert.ok(e.height > 0 && e.height < 40, `${e.id} is ${e.height} px high: ${e.text}`);
    }
    // The paper table holds the figures this run measured (the model targets' error detection rate), one row
    // each, and one closed line for the rest.
    assert.equal(page.paper.rows, 2);
    assert.match(page.paper.rest, /^\d+ of the paper's \d+ figures are not measured in this run\.$/);
    assert.ok(page.paper.restHeight < 40, `the line naming the rest is ${page.paper.restHeight} px high`);
    // The best value of each row is marked, with the mark visible; the axis title names its range.
    assert.ok(page.best.length > 0, 'no cell marked best');
    for (const text of page.best) assert.match(text, /^★ \d\.\d{3} /);
    assert.match(page.fidelityAxisTitle, /^mean \(95% interval\); axis from [\d.]+ to [\d.]+/);
  });

  test('an agent run report (rollout-contract summary) and a curves page render their charts', async () => {
    const agentDir = join(tmp, 'agent');
    mkdirSync(agentDir);
    const manifest = JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8'));
    writeFileSync(join(agentDir, 'summary.json'), JSON.stringify(AGENT));
    await writeHtmlReport(agentDir, { ...manifest, datasets: {} }, AGENT);
    const agent = await open(join(agentDir, 'report.html'), 'browser-agent-report.png');
    assert.equal(agent.problems, []);
    assert.equal(
      agent.figures.map((f) => f.id),
      ['agent-step-time', 'agent-speedup'],
    );
    assert.ok(agent.figures.every((f) => f.dataMarks > 0));

    const out = join(tmp, 'curves');
    const r = await inProcess(() => curvesCommand(CURVES_SUITE, { out }));
    assert.is(r.code, 0, r.stderr);
    const curves = await open(join(out, 'curves.html'), 'browser-curves.png');
    assert.equal(curves.problems, []);
    assert.equal(
      curves.figures.map((f) => f.id),
      ['curve-1', 'curve-2'],
    );
    assert.ok(curves.figures.every((f) => f.dataMarks > 0));
  });
}

test.run();
