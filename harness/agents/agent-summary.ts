/**
 * The `agent` section of an agent run's summary.json: a pure reduction over steps.jsonl and episodes.jsonl.
 * Per mode: step wall / policy / tool time and tool calls per step (summarised over steps), rewards (over
 * episodes) and how episodes ended; for kernel tasks, KernelBench's fast_p over all tasks of the task file
 * (scoring/fast-p.ts: a task no episode solved counts 0; several episodes of one task weigh as one). Separately, the latency of one tool call per backend: a simulator can be
 * orders of magnitude faster per call while the step, dominated by policy generation, gains far less; both are
 * reported and never mixed. When real and gtm both ran: the tool-time and step-time speedups of gtm over real
 * (mean real / mean gtm over steps) with seeded bootstrap intervals.
 */
import { bootstrapRatioOfMeans } from '../scoring/bootstrap-ratio.js';
import { fastP, KERNELBENCH_P_VALUES, type FastCandidate, type FastPFigure } from '../scoring/fast-p.js';
import { summarise, type IntervalSpec, type MeanFigures } from '../scoring/stats.js';
import type { MetricKind } from '../scoring/metric-family.js';
import { AGENT_MODES, type AgentMode, type AgentTaskKind, type EpisodeEndReason, type EpisodeRecord, type StepRecord, type ToolBackendName } from './types.js';

export const SPEEDUP_BOOTSTRAP = { iters: 2000 } as const;

export interface AgentModeSummary {
  steps: number;
  episodes: number;
  step_wall_ms: MeanFigures;
  step_policy_ms: MeanFigures;
  step_tool_ms: MeanFigures;
  tool_calls_per_step: MeanFigures;
  reward: Record<string, MeanFigures>;
  /** How the mode's episodes ended: answer, max_turns, policy_error, context_limit. */
  episode_end: Partial<Record<EpisodeEndReason, number>>;
  /** Kernel tasks: fast_p for each of KernelBench's thresholds over the task set, from each episode's final evaluation. */
  fast_p?: { set: string; figures: FastPFigure[] };
  /** Backend per step, in step order (hybrid shows its switch). */
  backend_by_step: { step: number; backend: ToolBackendName }[];
}

export interface SpeedupEstimate {
  estimate: number | null;
  ci_low: number | null;
  ci_high: number | null;
  method: string;
  n_real: number;
  n_gtm: number;
}

export interface AgentSection {
  task: AgentTaskKind;
  dialect: string;
  modes: Partial<Record<AgentMode, AgentModeSummary>>;
  /** Latency of a single tool call, per backend that answered (ms): not to be confused with step time. */
  tool_call_ms: Partial<Record<ToolBackendName, MeanFigures>>;
  speedup?: {
    tool_time_gtm_over_real: SpeedupEstimate;
    step_time_gtm_over_real: SpeedupEstimate;
  };
}

/** Times and counts per step cannot be negative: their intervals are clipped at 0 (scoring/stats.ts, kind unbounded). */
const NON_NEGATIVE: IntervalSpec = { kind: 'unbounded', range: { min: 0, max: Infinity } };
const ms = (xs: number[]): MeanFigures => summarise(xs, NON_NEGATIVE);
const UNIT: IntervalSpec['range'] = { min: 0, max: 1 };
const rewardSpec = (kind: MetricKind | undefined): IntervalSpec | undefined =>
  kind === undefined ? undefined : kind === 'unbounded' ? NON_NEGATIVE : { kind, range: UNIT };

/** fast_p over the task set; an episode's candidate is its final evaluation (reward.correct, reward.speedup). */
function kernelFastP(eps: readonly EpisodeRecord[], taskIds?: readonly string[]): NonNullable<AgentModeSummary['fast_p']> {
  const byTask = new Map<string, FastCandidate[]>();
  for (const e of eps) {
    const correct = e.reward.correct === 1;
    // kernelReward gives speedup 0 for a correct kernel whose evaluation had no speedup: unknown, not slow.
    const speedup = correct && e.reward.speedup > 0 ? e.reward.speedup : undefined;
    byTask.set(e.task_id, [...(byTask.get(e.task_id) ?? []), { correct, ...(speedup !== undefined ? { speedup } : {}) }]);
  }
  const set = taskIds ? [...new Set([...taskIds, ...byTask.keys()])] : [...byTask.keys()];
  const described = taskIds ? `the ${set.length} tasks of the task file` : `only the ${set.length} tasks some episode ran (the manifest lists no task ids)`;
  return { set: described, figures: fastP(set, byTask, KERNELBENCH_P_VALUES) };
}

export function summariseAgentRun(input: {
  task: AgentTaskKind;
  dialect: string;
  rewardNames: readonly string[];
  /** Each reward's kind, from its dialect; a reward without one keeps the value-based interval rule. */
  rewardKinds?: Readonly<Record<string, MetricKind>>;
  steps: readonly StepRecord[];
  episodes: readonly EpisodeRecord[];
  seed: number;
  /** Every task of the task file (the problem set); without it, only the tasks some episode ran. */
  taskIds?: readonly string[];
}): AgentSection {
  const modes: AgentSection['modes'] = {};
  for (const mode of AGENT_MODES) {
    const steps = input.steps.filter((s) => s.mode === mode).sort((a, b) => a.step - b.step);
    if (!steps.length) continue;
    const eps = input.episodes.filter((e) => e.mode === mode);
    const reward: Record<string, MeanFigures> = {};
    for (const name of input.rewardNames)
      reward[name] = summarise(
        eps.map((e) => e.reward[name] ?? 0),
        rewardSpec(input.rewardKinds?.[name]),
      );
    const episode_end: AgentModeSummary['episode_end'] = {};
    for (const e of eps) episode_end[e.end] = (episode_end[e.end] ?? 0) + 1;
    modes[mode] = {
      steps: steps.length,
      episodes: eps.length,
      step_wall_ms: ms(steps.map((s) => s.wall_ms)),
      step_policy_ms: ms(steps.map((s) => s.policy_ms)),
      step_tool_ms: ms(steps.map((s) => s.tool_ms)),
      tool_calls_per_step: ms(steps.map((s) => s.tool_calls)),
      reward,
      ...(input.task === 'kernel' ? { fast_p: kernelFastP(eps, input.taskIds) } : {}),
      episode_end,
      backend_by_step: steps.map((s) => ({ step: s.step, backend: s.tool_backend })),
    };
  }
  const perCall: Record<ToolBackendName, number[]> = { real: [], gtm: [] };
  for (const e of input.episodes) for (const t of e.turns) if (t.backend) perCall[t.backend].push(...t.tool_latency_ms);
  const tool_call_ms: AgentSection['tool_call_ms'] = {};
  for (const b of ['real', 'gtm'] as const) if (perCall[b].length) tool_call_ms[b] = ms(perCall[b]);

  const section: AgentSection = { task: input.task, dialect: input.dialect, modes, tool_call_ms };
  const real = input.steps.filter((s) => s.mode === 'real');
  const gtm = input.steps.filter((s) => s.mode === 'gtm');
  if (real.length && gtm.length) {
    const ratio = (pick: (s: StepRecord) => number, seed: number): SpeedupEstimate => {
      const r = bootstrapRatioOfMeans(real.map(pick), gtm.map(pick), SPEEDUP_BOOTSTRAP.iters, seed);
      return { estimate: r.estimate, ci_low: r.ci_low, ci_high: r.ci_high, method: r.method, n_real: r.n_a, n_gtm: r.n_b };
    };
    section.speedup = {
      tool_time_gtm_over_real: ratio((s) => s.tool_ms, input.seed),
      step_time_gtm_over_real: ratio((s) => s.wall_ms, input.seed),
    };
  }
  return section;
}
