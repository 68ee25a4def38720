/**
 * report.md of an agent run: per mode, step time split into policy and tool time, tool calls and rewards; the
 * latency of one tool call per backend; the speedups of gtm over real. Every figure names the backend that
 * produced it (from the manifest), and a loopback stand-in is called what it is.
 */
import type { MeanFigures } from '../scoring/stats.js';
import type { AgentManifest } from './agent-manifest.js';
import type { AgentSection, SpeedupEstimate } from './agent-summary.js';
import { AGENT_MODES } from './types.js';

const f = (x: number | null | undefined, d = 1) => (x === null || x === undefined ? '–' : x.toFixed(d));
const ci = (m: MeanFigures | undefined, d = 1) =>
  !m || m.mean === null ? '–' : `${f(m.mean, d)}${m.ci_low !== null && m.ci_high !== null ? ` [${f(m.ci_low, d)}, ${f(m.ci_high, d)}]` : ''}`;
const speed = (s: SpeedupEstimate) =>
  s.estimate === null
    ? 'not computable (no tool time on the gtm side)'
    : `${f(s.estimate, 2)}x${s.ci_low !== null ? ` [${f(s.ci_low, 2)}, ${f(s.ci_high, 2)}]` : ''} (n real ${s.n_real}, n gtm ${s.n_gtm} steps; ${s.method})`;

export function agentReportMarkdown(manifest: AgentManifest, agent: AgentSection): string {
  const out: string[] = [];
  const b = manifest.backends;
  out.push(`# Agent run ${manifest.run_id}`, '');
  out.push(
    `Suite \`${manifest.suite.name}\` (sha256 ${manifest.suite.sha256.slice(0, 12)}), task **${agent.task}**, dialect **${agent.dialect}**, ` +
      `batch size ${manifest.agent.batch_size}, max turns ${manifest.agent.max_turns}, steps ${manifest.agent.steps.join(', ')}` +
      `${manifest.agent.switch_step !== undefined ? `, hybrid switch at step ${manifest.agent.switch_step}` : ''}. Status: ${manifest.status}.`,
    '',
  );
  out.push('Backends:', '');
  out.push(`- policy: ${b.policy}`);
  if (b.real) out.push(`- real tool: ${b.real}`);
  if (b.gtm) out.push(`- gtm (tool simulator): ${b.gtm}`);
  out.push('', '## Step time and reward per mode', '');
  out.push(
    "A step is one batch of episodes run concurrently. Policy and tool time are summed over the step's episodes (they overlap, so either can exceed the step's wall time). Mean [95% interval] over steps; rewards over episodes.",
    '',
  );
  const rewardNames = [...new Set(Object.values(agent.modes).flatMap((m) => Object.keys(m!.reward)))];
  out.push(`| mode | steps | episodes | step wall ms | step policy ms | step tool ms | tool calls / step | ${rewardNames.join(' | ')} | ended |`);
  out.push(`|---|---|---|---|---|---|---|${rewardNames.map(() => '---|').join('')}---|`);
  for (const mode of AGENT_MODES) {
    const m = agent.modes[mode];
    if (!m) continue;
    const ended = Object.entries(m.episode_end)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    out.push(
      `| ${mode} | ${m.steps} | ${m.episodes} | ${ci(m.step_wall_ms)} | ${ci(m.step_policy_ms)} | ${ci(m.step_tool_ms)} | ${ci(m.tool_calls_per_step, 2)} | ${rewardNames.map((r) => ci(m.reward[r], 3)).join(' | ')} | ${ended} |`,
    );
  }
  const fastModes = AGENT_MODES.filter((mode) => agent.modes[mode]?.fast_p);
  if (fastModes.length) {
    const ps = agent.modes[fastModes[0]]!.fast_p!.figures.map((f) => f.p);
    out.push('', '## fast_p over the task set', '');
    out.push(
      `KernelBench's fast_p: the share of the task set's problems (${agent.modes[fastModes[0]]!.fast_p!.set}) whose final kernel is correct and faster than the reference by more than p; a problem no episode solved counts 0, several episodes of one problem weigh as one. n/a: a correct kernel had no speedup (no reference time), so the figure is unknown.`,
      '',
    );
    out.push(`| mode | ${ps.map((p) => `fast_${p}`).join(' | ')} |`, `|---|${ps.map(() => '---|').join('')}`);
    for (const mode of fastModes)
      out.push(`| ${mode} | ${agent.modes[mode]!.fast_p!.figures.map((f) => (f.value === null ? 'n/a' : f.value.toFixed(3))).join(' | ')} |`);
  }
  out.push('', '## Latency of one tool call', '');
  out.push('One call to the tool backend, as the target measured it: a different quantity from the step time above.', '');
  out.push('| backend | calls | mean ms [95% interval] |', '|---|---|---|');
  for (const [name, m] of Object.entries(agent.tool_call_ms)) out.push(`| ${name} | ${m!.n} | ${ci(m, 2)} |`);
  if (agent.speedup) {
    out.push('', '## Speedup of gtm over real', '');
    out.push(`- tool time per step: ${speed(agent.speedup.tool_time_gtm_over_real)}`);
    out.push(`- wall time per step: ${speed(agent.speedup.step_time_gtm_over_real)}`);
    out.push(
      '',
      'Ratio of the mean over real-mode steps to the mean over gtm-mode steps; the paper reports 661 s vs 105.1 s per step (6.3x) for its search experiment.',
    );
  }
  out.push('', '## How the figures are computed', '');
  out.push(
    "- Reward `em`/`f1` (search): SQuAD v1.1 answer normalisation (lower case, no punctuation, no articles), exact match against any golden answer, token F1 against the best one (FlashRAG's rule: a yes / no / noanswer prediction or golden answer scores F1 0 unless both are equal); no answer scores 0.",
  );
  out.push('- Intervals: Wilson for 0/1 values, Student t otherwise; speedups: unpaired bootstrap of the ratio of means, seeded.');
  out.push('- Files: `steps.jsonl` (one line per step and mode), `episodes.jsonl` (one line per episode, every turn timed), `manifest.json`.');
  return out.join('\n') + '\n';
}
