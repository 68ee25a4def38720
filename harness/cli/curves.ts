/**
 * `gtm-bench curves SUITE [--out DIR]`: reads the trainer logs and checkpoint summaries the suite's `curves`
 * section names, and writes curves.html (charts and summaries), curves.json (every point and summary) and
 * the exports under DIR/curves-data/. With --evaluate, checkpoints with an `evaluate` block are first run
 * through the agent loop with real tools. Exit 2 when a log or summary cannot be read as described.
 */
import { displayPath } from '../util/display-path.js';
import { defaultOutput } from '../util/default-output.js';
import '../builtin.js';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadCurves } from '../report/curves/load-curves.js';
import { renderReport } from '../report/render-report.js';
import { paperReproduction } from '../report/paper-table.js';
import { loadPaperBaseline } from '../report/run-inputs.js';
import { curvesSection } from '../report/sections/curves-section.js';
import { paperSection } from '../report/sections/paper-section.js';
import { readSuite } from '../suite/load.js';
import { UserError } from '../util/errors.js';
import { redactFileText } from '../util/redact.js';

/** Every file written passes the redactor (util/redact.ts): a run folder made before it may still hold a URL credential. */
const writeRedacted = (path: string, text: string) => writeFileSync(path, redactFileText(path, text));

export async function curvesCommand(suiteFile: string, flags: { out?: string; evaluate?: boolean }): Promise<void> {
  const suite = readSuite(suiteFile);
  if (!suite.curves) throw new UserError(`${suiteFile} has no curves section (logs or checkpoints); see the README's "Accuracy curves"`);
  if (flags.evaluate) {
    // Loaded only when asked: it brings in the whole agent loop.
    const { evaluateCheckpoints } = await import('../agents/evaluate-checkpoints.js');
    await evaluateCheckpoints(suite.curves, {
      argv: process.argv.slice(2),
      onDone: (e) => process.stdout.write(`evaluated ${e.series} step ${e.step} with real tools: ${displayPath(e.runDir)} (exit ${e.exitCode})\n`),
    });
  }
  const curves = loadCurves(suite.curves);
  if (curves.problems.length) {
    throw new UserError(
      `curves of ${suiteFile} could not be read (${curves.problems.length} problem${curves.problems.length === 1 ? '' : 's'}):\n${curves.problems.map((p) => '  ' + p).join('\n')}`,
    );
  }
  const paper = loadPaperBaseline();
  const rows = paper.paper ? paperReproduction(paper.paper, { curves }) : undefined;
  const doc = {
    title: `gtm-bench curves: ${suite.name}`,
    lead: [`Suite ${displayPath(suite.file)}, ${curves.series.length} series.`],
    sections: [curvesSection(curves), paperSection(rows, paper.note)],
  };
  const out = resolve(flags.out ?? defaultOutput('reports', 'curves', suite.name));
  const rendered = await renderReport(doc, `Written by gtm-bench curves from ${displayPath(suite.file)}. Self-contained: no script, no network.`);
  mkdirSync(out, { recursive: true });
  const dataDir = join(out, 'curves-data');
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir);
  for (const [name, text] of rendered.exports) writeRedacted(join(dataDir, name), text);
  writeRedacted(join(out, 'curves.json'), JSON.stringify(curves, null, 2) + '\n');
  writeRedacted(join(out, 'curves.html'), rendered.html);
  for (const e of rendered.chartErrors) process.stderr.write(`warning: ${e}\n`);
  for (const c of curves.summaries) {
    const collapse = c.collapse
      ? `collapse began at step ${c.collapse.began_step} (detected at ${c.collapse.detected_step}, drop ${c.collapse.drop.toFixed(3)})`
      : 'no collapse';
    process.stdout.write(
      `${c.series} [${c.mode}] ${c.metric}: final ${c.final.value.toFixed(3)} at step ${c.final.step}, best ${c.best.value.toFixed(3)} at step ${c.best.step}, AUC ${c.auc.toFixed(3)}, ${collapse}\n`,
    );
  }
  process.stdout.write(`wrote ${displayPath(out)}/curves.html, curves.json and curves-data/\n`);
}
