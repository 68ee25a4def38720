/**
 * Agent-run charts (pure), from the summary's agent section: the wall time of one RL step per training mode
 * beside the time spent in the policy and in tools, and the GTM-over-real speedups with their intervals
 * next to the paper's reported figure for the same task.
 */
import { AGENT_MODES, type AgentSection } from '../agent-contract.js';
import type { Figure } from '../model.js';
import { chart } from './common.js';

const toS = (ms: number | null) => (ms === null ? null : ms / 1000);

export function stepTimeFigure(agent: AgentSection): Figure | null {
  const rows = AGENT_MODES.flatMap((mode) => {
    const m = agent.modes[mode];
    if (!m) return [];
    return (
      [
        ['step wall time', m.step_wall_ms],
        ['in the policy', m.step_policy_ms],
        ['in tools', m.step_tool_ms],
      ] as const
    ).flatMap(([measure, s]) =>
      s && s.mean !== null ? [{ mode, measure, mean_s: toS(s.mean), ci_low_s: toS(s.ci_low), ci_high_s: toS(s.ci_high), n: s.n }] : [],
    );
  });
  if (!rows.length) return null;
  const measures = ['step wall time', 'in the policy', 'in tools'];
  return {
    id: 'agent-step-time',
    title: `Time per RL step by training mode (${agent.task}, dialect ${agent.dialect})`,
    caption:
      "Mean seconds per training step (a step = one batch of episodes run concurrently), with 95% intervals, as the agent loop recorded them. Policy and tool times are summed over a step's concurrent episodes, so either can exceed the step's wall time; the wall time of a step is the quantity the paper's 6.3x and 11x speedups refer to, not the latency of one tool call.",
    spec: chart({
      data: { values: rows },
      width: 520,
      height: { step: 14, for: 'offset' },
      encoding: {
        y: { field: 'mode', type: 'nominal', title: 'training mode', sort: [...AGENT_MODES] },
        yOffset: { field: 'measure', type: 'nominal', sort: measures },
        color: { field: 'measure', type: 'nominal', sort: measures, title: null },
      },
      layer: [
        { mark: { type: 'bar', height: { band: 1 } }, encoding: { x: { field: 'mean_s', type: 'quantitative', title: 'seconds per step' } } },
        { mark: { type: 'rule', color: 'black' }, encoding: { x: { field: 'ci_low_s', type: 'quantitative' }, x2: { field: 'ci_high_s' } } },
      ],
    }),
  };
}

/** The two speedups with their intervals; `paper` adds the paper's step-time speedup for this task as a marker. */
export function speedupFigure(agent: AgentSection, paper: { value: number; label: string } | null): Figure | null {
  const s = agent.speedup;
  if (!s) return null;
  const rows = [
    { quantity: 'step wall time', ...s.step_time_gtm_over_real, kind: 'this run' },
    { quantity: 'tool time per step', ...s.tool_time_gtm_over_real, kind: 'this run' },
  ].filter((r) => r.estimate !== null);
  if (!rows.length) return null;
  const layers: Record<string, unknown>[] = [
    { mark: { type: 'rule', strokeWidth: 2 }, encoding: { x: { field: 'ci_low', type: 'quantitative' }, x2: { field: 'ci_high' } } },
    {
      mark: { type: 'point', filled: true, size: 70 },
      encoding: {
        x: { field: 'estimate', type: 'quantitative', title: 'speedup (x, real over GTM)', scale: { zero: true } },
        tooltip: [{ field: 'estimate', format: '.2f' }, { field: 'method' }],
      },
    },
  ];
  if (paper) {
    layers.push({
      data: { values: [{ quantity: 'step wall time', estimate: paper.value, label: paper.label }] },
      mark: { type: 'point', shape: 'diamond', size: 90, color: '#b3261e', filled: false, strokeWidth: 2 },
      encoding: { x: { field: 'estimate', type: 'quantitative' }, tooltip: [{ field: 'label' }] },
    });
  }
  return {
    id: 'agent-speedup',
    title: 'Speedup of GTM over the real tool',
    caption: `Mean real / mean GTM per step, 95% interval by ${s.step_time_gtm_over_real.method}.${paper ? ` Red diamond: ${paper.label} (a different set-up: policy and datasets differ).` : ''}`,
    spec: chart({
      data: { values: rows },
      width: 520,
      height: { step: 30 },
      encoding: { y: { field: 'quantity', type: 'nominal', title: null } },
      layer: layers,
    }),
  };
}
