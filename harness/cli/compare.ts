/**
 * `gtm-bench compare RUN_A RUN_B`: per target and metric, B - A over the calls both runs scored, with a
 * paired bootstrap interval and a verdict against the suite's gates. Markdown on stdout (fit for a pull
 * request comment); with --out, also compare.md, compare.json, compare.csv and gates.junit.xml. Exit 1 when
 * a gated metric regressed, 2 when the runs' inputs differ (unless --allow-different-data).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareScores, samePairs, type Comparison, type TargetPair } from '../compare/compare.js';
import { comparisonTable, renderCompareMarkdown, type CompareContext } from '../compare/compare-markdown.js';
import { dataDifferences } from '../compare/data-identity.js';
import { renderJUnit } from '../compare/junit.js';
import { renderReport, tableToCsv } from '../report/render-report.js';
import { tableBlock, type ReportDoc } from '../report/model.js';
import { scoreTableFromRecords, type ScoreTable } from '../report/score-table.js';
import { UserError } from '../util/errors.js';
import { loadGates, loadRunFolder } from './run-folder.js';
import { redactFileText } from '../util/redact.js';

/** Every file written passes the redactor (util/redact.ts): a run folder made before it may still hold a URL credential. */
const writeRedacted = (path: string, text: string) => writeFileSync(path, redactFileText(path, text));

export interface CompareFlags {
  targetA?: string;
  targetB?: string;
  suite?: string;
  allowDifferentData?: boolean;
  out?: string;
  junit?: string;
}

/** The target pairs to compare: --target-a/--target-b, or every target that ran in both under one name. */
export function choosePairs(
  a: ScoreTable,
  b: ScoreTable,
  flags: { targetA?: string; targetB?: string },
  labels = { a: 'run A', b: 'run B' },
  opts: { allowNone?: boolean } = {},
): TargetPair[] {
  if (flags.targetA || flags.targetB) {
    if (!flags.targetA || !flags.targetB) throw new UserError('--target-a and --target-b go together: name the target of each side');
    if (!a.targets.has(flags.targetA))
      throw new UserError(`--target-a ${flags.targetA}: no such target with records in ${labels.a} (it has: ${[...a.targets.keys()].join(', ') || 'none'})`);
    if (!b.targets.has(flags.targetB))
      throw new UserError(`--target-b ${flags.targetB}: no such target with records in ${labels.b} (it has: ${[...b.targets.keys()].join(', ') || 'none'})`);
    return [{ a: flags.targetA, b: flags.targetB }];
  }
  const pairs = samePairs(a, b);
  if (!pairs.length && !opts.allowNone) {
    throw new UserError(
      `no target ran in both ${labels.a} (${[...a.targets.keys()].join(', ') || 'none'}) and ${labels.b} (${[...b.targets.keys()].join(', ') || 'none'}); pair two with --target-a and --target-b`,
    );
  }
  return pairs;
}

/** Refuses (exit 2) when the inputs differ, unless allowed; returns the differences otherwise. */
export function checkComparable(differences: string[], allow: boolean | undefined, what: string): string[] {
  if (differences.length && !allow) {
    throw new UserError(
      `${what} are not comparable: their inputs differ. Files that differ:\n${differences.map((d) => '  ' + d).join('\n')}\npass --allow-different-data to compare anyway`,
    );
  }
  return differences;
}

/** compare.html: the comparison's table as a self-contained page, drawn by the run report's renderer. */
async function compareHtml(c: Comparison, ctx: CompareContext): Promise<string> {
  const side = (x: CompareContext['a']) => `${x.role} ${x.id}${x.commit ? ` (commit ${x.commit.slice(0, 10)})` : ''}`;
  const failed = c.metrics.filter((m) => m.outcome.failed).length;
  const doc: ReportDoc = {
    title: ctx.title,
    lead: [
      c.failed ? `Result: FAILED (${failed} gated metrics failed, ${c.problems.length} gate problems).` : 'Result: passed: no gated metric regressed.',
      `A = ${side(ctx.a)}; B = ${side(ctx.b)}. B - A over the calls both scored, paired by call id and repeat; ${c.bootstrap.method}. Gates: ${ctx.gatesSource}.`,
      ...c.problems.map((p) => `Gate problem: ${p}`),
      ...ctx.dataDifferences.map((d) => `Compared despite different data: ${d}`),
    ],
    sections: [{ id: 'compare', title: 'Per target pair and metric', blocks: [tableBlock(comparisonTable(c))] }],
  };
  return (await renderReport(doc, 'Written by gtm-bench compare. Self-contained: no script, no network. The same table is in compare.csv.')).html;
}

/** Writes the Markdown (compare.md unless named), compare.json, compare.csv and gates.junit.xml into `dir`. */
export function writeComparison(dir: string, c: Comparison, markdown: string, name: string, markdownFile = 'compare.md'): void {
  mkdirSync(dir, { recursive: true });
  writeRedacted(join(dir, markdownFile), markdown);
  writeRedacted(join(dir, 'compare.json'), JSON.stringify(c, null, 2) + '\n');
  writeRedacted(join(dir, 'compare.csv'), tableToCsv(comparisonTable(c)));
  writeRedacted(join(dir, 'gates.junit.xml'), renderJUnit(c, name));
}

export async function compareCommand(runA: string, runB: string, flags: CompareFlags): Promise<void> {
  const a = loadRunFolder(runA);
  const b = loadRunFolder(runB);
  const differences = checkComparable(dataDifferences(a.manifest, b.manifest), flags.allowDifferentData, `runs ${runA} and ${runB}`);
  const { gates, source } = loadGates(b.manifest, flags.suite);
  const ta = scoreTableFromRecords(a.records);
  const tb = scoreTableFromRecords(b.records);
  const comparison = compareScores(ta, tb, choosePairs(ta, tb, flags), gates);
  const ctx: CompareContext = {
    title: `gtm-bench compare: ${b.manifest.suite.name}`,
    a: { role: 'run A', id: a.manifest.run_id, commit: a.manifest.harness.git_commit },
    b: { role: 'run B', id: b.manifest.run_id, commit: b.manifest.harness.git_commit },
    dataDifferences: differences,
    gatesSource: source,
  };
  const markdown = renderCompareMarkdown(comparison, ctx);
  process.stdout.write(markdown);
  const name = `gtm-bench gates ${b.manifest.suite.name}`;
  if (flags.out) {
    writeComparison(flags.out, comparison, markdown, name);
    writeRedacted(join(flags.out, 'compare.html'), await compareHtml(comparison, ctx));
  }
  if (flags.junit) writeRedacted(flags.junit, renderJUnit(comparison, name));
  process.exitCode = comparison.failed ? 1 : 0;
}
