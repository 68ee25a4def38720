/**
 * The agent run folder's derived files: summary.json (with the `agent` section) and report.md, recomputed
 * from manifest.json, steps.jsonl and episodes.jsonl alone, so `gtm-bench agent-report RUN_DIR` gives the same
 * bytes as the run did.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../util/errors.js';
import { readAgentManifest, type AgentManifest } from './agent-manifest.js';
import { agentReportMarkdown } from './agent-report.js';
import { summariseAgentRun, type AgentSection } from './agent-summary.js';
import { readJsonl } from '../records/jsonl.js';
import { writeRunFile } from '../records/write-error.js';
import { dialectRegistration } from './dialects.js';
import './dialects-builtin.js';
import type { EpisodeRecord, StepRecord } from './types.js';

export interface AgentSummaryFile {
  summary_version: 1;
  kind: 'agent';
  run_id: string;
  suite: { name: string; sha256: string };
  backends: AgentManifest['backends'];
  status: AgentManifest['status'];
  agent: AgentSection;
}

export function writeAgentReports(runDir: string, manifest: AgentManifest = readAgentManifest(runDir)): AgentSummaryFile {
  if (!existsSync(join(runDir, 'steps.jsonl'))) throw new UserError(`${runDir}: no steps.jsonl; not an agent run folder`);
  const steps = readJsonl<StepRecord>(join(runDir, 'steps.jsonl')).rows;
  const episodes = readJsonl<EpisodeRecord>(join(runDir, 'episodes.jsonl')).rows;
  const agent = summariseAgentRun({
    task: manifest.agent.task,
    dialect: manifest.agent.dialect,
    rewardNames: manifest.agent.reward,
    steps,
    episodes,
    seed: manifest.agent.seed,
    rewardKinds: dialectRegistration(manifest.agent.dialect)?.rewardKinds,
    ...(manifest.tasks.ids ? { taskIds: manifest.tasks.ids } : {}),
  });
  const summary: AgentSummaryFile = {
    summary_version: 1,
    kind: 'agent',
    run_id: manifest.run_id,
    suite: { name: manifest.suite.name, sha256: manifest.suite.sha256 },
    backends: manifest.backends,
    status: manifest.status,
    agent,
  };
  writeRunFile(join(runDir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  writeRunFile(join(runDir, 'report.md'), agentReportMarkdown(manifest, agent));
  return summary;
}
