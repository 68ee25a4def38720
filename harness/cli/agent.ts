/**
 * `gtm-bench agent SUITE [--mode real|gtm|hybrid ...] [--step N] [--steps N]`: agent rollouts of the suite's
 * `agent:` section; `--step` is the training step the run is told it is at (hybrid picks its backend from it).
 * `gtm-bench agent-report RUN_DIR` recomputes summary.json and report.md of an agent run folder.
 * Exit 0; 1 when every episode ended on a policy error (the policy server is wrong or down); 2 bad input;
 * 130 interrupted (episodes in flight finish, the run folder is completed).
 */
import { displayPath } from '../util/display-path.js';
import { resolve } from 'node:path';
import { writeAgentReports } from '../agents/agent-files.js';
import { runAgent } from '../agents/run-agent.js';
import { AGENT_MODES, type AgentMode } from '../agents/types.js';
import { UserError } from '../util/errors.js';
import { writeSummaryHtmlReport } from './report.js';
import { handleInterrupts } from './interrupts.js';

export interface AgentFlags {
  mode?: string[];
  step?: number;
  steps?: number;
  batchSize?: number;
  policyBaseUrl?: string;
  policyModel?: string;
  /** commander's --no-preflight: false when given. */
  preflight?: boolean;
  out?: string;
  quiet?: boolean;
}

export function parseModes(values: string[] | undefined): AgentMode[] | undefined {
  if (!values?.length) return undefined;
  for (const v of values) if (!(AGENT_MODES as readonly string[]).includes(v)) throw new UserError(`--mode ${v}: expected ${AGENT_MODES.join(', ')}`);
  return [...new Set(values)] as AgentMode[];
}

export async function agentCommand(suiteFile: string, flags: AgentFlags): Promise<void> {
  const interrupts = handleInterrupts('episodes');
  try {
    const result = await runAgent({
      suiteFile,
      modes: parseModes(flags.mode),
      step: flags.step,
      steps: flags.steps,
      batchSize: flags.batchSize,
      policyBaseUrl: flags.policyBaseUrl,
      policyModel: flags.policyModel,
      preflight: flags.preflight,
      out: flags.out,
      argv: process.argv.slice(2),
      signal: interrupts.signal,
      onStep: flags.quiet
        ? undefined
        : (s) =>
            process.stderr.write(
              `step ${s.step} ${s.mode} (${s.tool_backend}): ${s.batch_size} episodes, wall ${s.wall_ms.toFixed(0)} ms, policy ${s.policy_ms.toFixed(0)} ms, tools ${s.tool_ms.toFixed(0)} ms, ${s.tool_calls} tool calls, ${Object.entries(
                s.reward_mean,
              )
                .map(([k, v]) => `${k} ${v.toFixed(3)}`)
                .join(', ')}\n`,
            ),
    });
    const a = result.summary.agent;
    for (const [mode, m] of Object.entries(a.modes)) {
      const r = Object.entries(m!.reward)
        .map(([k, v]) => `${k} ${v.mean?.toFixed(3) ?? '–'}`)
        .join(', ');
      process.stdout.write(
        `${mode}: ${m!.steps} step(s), ${m!.episodes} episodes, step wall ${m!.step_wall_ms.mean?.toFixed(0)} ms (tools ${m!.step_tool_ms.mean?.toFixed(0)} ms), ${r}\n`,
      );
    }
    if (a.speedup) {
      const s = a.speedup.tool_time_gtm_over_real;
      process.stdout.write(
        `tool-time speedup gtm over real: ${s.estimate?.toFixed(2) ?? '–'}x [${s.ci_low?.toFixed(2) ?? '–'}, ${s.ci_high?.toFixed(2) ?? '–'}]\n`,
      );
    }
    if (result.policyFailure) process.stdout.write(`every episode ended on a policy error, e.g.: ${result.policyFailure}\n`);
    await writeSummaryHtmlReport(result.runDir);
    process.stdout.write(`run folder: ${displayPath(result.runDir)} (report.md, report.html, summary.json, steps.jsonl, episodes.jsonl, manifest.json)\n`);
    process.exitCode = result.exitCode;
  } finally {
    interrupts.dispose();
  }
}

export async function agentReportCommand(runDir: string): Promise<void> {
  const summary = writeAgentReports(resolve(runDir));
  await writeSummaryHtmlReport(resolve(runDir));
  process.stdout.write(`recomputed summary.json, report.md and report.html of ${summary.run_id}\n`);
}
