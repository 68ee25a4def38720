/**
 * The agent section (pure): step time GTM vs real with the speedup, rewards per training mode, and the
 * per-call tool time beside the per-step wall time (two quantities a report must never confuse). A run
 * without an agent section gets a clear "not in this run" instead of empty charts.
 */
import { AGENT_MODES, type AgentSection } from '../agent-contract.js';
import { speedupFigure, stepTimeFigure } from '../charts/agent-specs.js';
import { fmtMetric } from '../format-number.js';
import { absentBlock, figureBlock, noteBlock, tableBlock, type Block, type Section, type Table } from '../model.js';
import type { PaperBaseline } from '../paper-table.js';

const NOT_IN_RUN = 'Not in this run: this run folder has no agent section (summary.agent); agent runs (search, kernel) write one.';

export function agentSectionBlocks(
  agent: AgentSection | undefined,
  paper: PaperBaseline | undefined,
  problem?: string,
  backends?: { policy?: string; real?: string; gtm?: string },
): Section {
  const base = { id: 'agent', title: 'RL step time: GTM vs real tool' };
  if (!agent) return { ...base, blocks: [absentBlock(problem ?? NOT_IN_RUN)] };
  const blocks: Block[] = [];
  const paperFigure = paper?.figures.find((f) => f.id === (agent.task === 'search' ? 'search_step_speedup' : 'kernel_step_speedup'));
  const paperMark =
    paperFigure && typeof paperFigure.value === 'number'
      ? { value: paperFigure.value, label: `paper, ${paperFigure.quantity}: ${paperFigure.value}x (${paperFigure.source})` }
      : null;
  const step = stepTimeFigure(agent);
  if (step) blocks.push(figureBlock(step));
  const speed = speedupFigure(agent, paperMark);
  if (speed) blocks.push(figureBlock(speed));
  else blocks.push(noteBlock('No speedup: it needs both a real and a gtm mode in the run.'));

  const modes = AGENT_MODES.filter((m) => agent.modes[m]);
  const s = (x: number | null, d = 1) => (x === null ? null : Number((x / 1000).toFixed(d + 2)));
  // With the loop's own per-call latency (tool_call_ms) there is no need for the per-step estimate of it.
  const derivePerCall = !agent.tool_call_ms || !Object.keys(agent.tool_call_ms).length;
  const steps: Table = {
    id: 'agent-steps',
    title: 'Per training mode: steps, step wall time, policy and tool time, tool calls',
    columns: [
      'mode',
      'steps',
      'episodes',
      'step wall s',
      'step wall 95% interval',
      'policy s per step',
      'tools s per step',
      'tool calls per step',
      ...(derivePerCall ? ['tool ms per call'] : []),
    ],
    rows: modes.map((mode) => {
      const m = agent.modes[mode]!;
      const perCall = m.step_tool_ms.mean !== null && m.tool_calls_per_step.mean ? m.step_tool_ms.mean / m.tool_calls_per_step.mean : null;
      return [
        mode,
        m.steps,
        m.episodes,
        s(m.step_wall_ms.mean),
        m.step_wall_ms.ci_low === null ? null : `[${(m.step_wall_ms.ci_low / 1000).toFixed(2)}, ${(m.step_wall_ms.ci_high! / 1000).toFixed(2)}]`,
        s(m.step_policy_ms.mean),
        s(m.step_tool_ms.mean),
        m.tool_calls_per_step.mean,
        ...(derivePerCall ? [perCall] : []),
      ];
    }),
    ...(derivePerCall
      ? { note: 'tool ms per call = mean tool time per step / mean tool calls per step: the per-call latency, not the wall time of a step.' }
      : {}),
  };
  blocks.push(tableBlock(steps));
  if (agent.tool_call_ms && Object.keys(agent.tool_call_ms).length) {
    blocks.push(
      tableBlock({
        id: 'agent-tool-call-latency',
        title: 'Latency of one tool call, per backend (ms)',
        columns: ['backend', 'produced by', 'calls', 'mean', 'ci_low', 'ci_high'],
        rows: (['real', 'gtm'] as const).flatMap((b) => {
          const m = agent.tool_call_ms![b];
          return m ? [[b, backends?.[b] ?? null, m.n, m.mean, m.ci_low, m.ci_high]] : [];
        }),
        note: 'One call to the tool backend as the agent loop measured it: a different quantity from the wall time of a step.',
      }),
    );
  }
  if (agent.speedup) {
    const rows = (['step_time_gtm_over_real', 'tool_time_gtm_over_real'] as const).map((k) => {
      const r = agent.speedup![k];
      return [
        k === 'step_time_gtm_over_real' ? 'RL step wall time, real / GTM' : 'time in tools per step, real / GTM',
        r.estimate,
        r.ci_low,
        r.ci_high,
        r.n_real,
        r.n_gtm,
        r.method,
      ];
    });
    blocks.push(
      tableBlock({
        id: 'agent-speedup',
        title: 'Speedup of GTM over the real tool',
        columns: ['quantity', 'estimate (x)', 'ci_low', 'ci_high', 'real steps', 'gtm steps', 'method'],
        rows,
      }),
    );
  }
  const rewards = [...new Set(modes.flatMap((m) => Object.keys(agent.modes[m]!.reward)))].sort();
  if (rewards.length) {
    blocks.push(
      tableBlock({
        id: 'agent-rewards',
        title: 'Rewards per training mode (mean [95% interval] over episodes)',
        columns: ['reward', ...modes],
        rows: rewards.map((r) => [r, ...modes.map((m) => (agent.modes[m]!.reward[r] ? fmtMetric(agent.modes[m]!.reward[r]) : null))]),
      }),
    );
  }
  const producers = backends
    ? ` Backends: policy ${backends.policy ?? 'not recorded'}${backends.real ? `; real tool ${backends.real}` : ''}${backends.gtm ? `; GTM ${backends.gtm}` : ''}.`
    : '';
  return { ...base, intro: `Task ${agent.task}, dialect ${agent.dialect}. A step is one batch of episodes run concurrently.${producers}`, blocks };
}
