/**
 * A run folder's report as a ReportDoc (pure): the inputs are the run's manifest, summary and records plus
 * whatever the edge could load beside them (dataset references, curves, the paper baseline), each with a
 * note when it could not. Sections that need data the run lacks say "not in this run" rather than vanish.
 */
import type { Manifest } from '../records/manifest.js';
import { agentBackends, agentSection } from './agent-contract.js';
import type { CurvesData } from './curves/types.js';
import type { DatasetCallView } from './run-inputs.js';
import { absentBlock, tableBlock, type ReportDoc, type Section } from './model.js';
import { paperReproduction, type PaperBaseline } from './paper-table.js';
import { agentSectionBlocks } from './sections/agent-section.js';
import { curvesSection } from './sections/curves-section.js';
import { breakdownSections, notScoredSection } from './sections/breakdown-sections.js';
import { paperSection } from './sections/paper-section.js';
import { sessionSection } from './sections/session-section.js';
import { fidelitySection, latencySection, metricsHowSection, perToolSection, targetsSection } from './sections/run-sections.js';
import type { Summary } from './summary.js';
import { WORST_PER_TARGET, type RecordsDigest } from './records-digest.js';
import { errorClassSection } from './error-classes.js';
import { pairedSection, type PairedDifferences } from './paired-differences.js';
import { worstCasesHtml, worstCasesTable } from './html/worst-cases-html.js';
import { limitText } from './limit-text.js';

export interface RunReportInputs {
  manifest: Manifest;
  summary: Summary;
  /** What the report needs of records.jsonl beyond the summary (records-digest.ts); absent when the folder has none. */
  digest?: RecordsDigest;
  /** Dataset rows by call id (arguments, recorded real response). */
  calls?: ReadonlyMap<string, DatasetCallView>;
  /** Why some rows are missing, when they are. */
  callsNote?: string;
  curves?: CurvesData;
  curvesNote?: string;
  paper?: PaperBaseline;
  paperNote?: string;
  /** Each target against the baseline target, when two or more ran (paired-differences.ts). */
  paired?: PairedDifferences;
}

function lead(m: Manifest): string[] {
  const lines = [`Run ${m.run_id}, ${m.started_at} to ${m.ended_at ?? '(not finished)'}, status ${m.status}.`];
  if (m.suite) lines.push(`Suite ${m.suite.file} (version ${m.suite.version}, sha256 ${m.suite.sha256?.slice(0, 16)}…).`);
  for (const [name, d] of Object.entries(m.datasets ?? {})) lines.push(`Dataset ${name}: ${d.path}, ${d.rows} calls, sha256 ${d.sha256.slice(0, 16)}….`);
  if (m.plan) lines.push(`Seed ${m.seed}, repeats ${m.repeats}, ${m.plan.items} work items${m.plan.limit !== null ? ` (${limitText(m.plan)})` : ''}.`);
  if (m.harness)
    lines.push(
      `Harness ${m.harness.name} ${m.harness.version}, commit ${m.harness.git_commit ?? 'unknown'}${m.harness.git_dirty ? ' (with uncommitted changes)' : ''}; Node ${m.runtime?.node} on ${m.runtime?.host} (${m.runtime?.cpus} CPUs).`,
    );
  return lines;
}

function worstSection(inp: RunReportInputs, summary: Summary): Section {
  const ran = summary.targets.filter((t) => t.status === 'ran');
  const groups = inp.digest?.worst.result(
    ran.map((t) => t.name),
    inp.calls,
  );
  const blocks: Section['blocks'] = [];
  if (inp.callsNote) blocks.push(absentBlock(inp.callsNote));
  if (!groups || !inp.digest?.count) blocks.push(absentBlock('Not in this run: the run folder has no records.jsonl, so there are no calls to rank.'));
  else blocks.push({ kind: 'html', html: worstCasesHtml(groups) }, tableBlock(worstCasesTable(groups)));
  return {
    id: 'worst-cases',
    title: 'Worst cases',
    intro: `The ${WORST_PER_TARGET} lowest-scoring calls of each target (score: the mean of the call's 0..1 scores, lower-is-better metrics turned around), with the arguments, the real response and the simulated response side by side, and every scorer's reasons.`,
    blocks,
  };
}

export function buildRunReport(inp: RunReportInputs): ReportDoc {
  // Agent run summaries may carry no fidelity targets; every section copes with an empty list.
  const summary: Summary = { ...inp.summary, targets: inp.summary.targets ?? [] };
  const { agent, problem } = agentSection(inp.summary);
  const sections: Section[] = [];
  if (summary.targets.length) {
    sections.push(targetsSection(inp.manifest, summary));
    const errors = errorClassSection(summary);
    if (errors) sections.push(errors);
    sections.push(fidelitySection(summary));
    const ran = summary.targets.filter((t) => t.status === 'ran').length;
    if (ran >= 2) sections.push(pairedSection(inp.paired, ran));
    sections.push(latencySection(summary, inp.digest?.latencies));
    const perTool = perToolSection(summary);
    if (perTool) sections.push(perTool);
    sections.push(...breakdownSections(summary));
    const notScored = notScoredSection(summary);
    if (notScored) sections.push(notScored);
    const sessions = inp.digest ? sessionSection(inp.digest.sessions) : null;
    if (sessions) sections.push(sessions);
  }
  sections.push(agentSectionBlocks(agent, inp.paper, problem, agentBackends(inp.manifest)));
  sections.push(curvesSection(inp.curves, inp.curvesNote));
  sections.push(paperSection(inp.paper ? paperReproduction(inp.paper, { summary, agent, curves: inp.curves }) : undefined, inp.paperNote));
  if (summary.targets.length) sections.push(worstSection(inp, summary), metricsHowSection(summary));
  return { title: `gtm-bench run: ${inp.manifest.suite?.name ?? inp.summary.suite?.name ?? inp.manifest.run_id}`, lead: lead(inp.manifest), sections };
}
