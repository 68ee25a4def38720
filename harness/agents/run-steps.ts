/**
 * Training steps and their time accounting. A step = batch_size episodes run concurrently on the backend its
 * mode gives for that step; per step it records wall time (first request to last answer), the policy and tool
 * time summed over its episodes, tool calls and the mean reward. When several modes run, they take turns step
 * by step, and the mode that goes first rotates (step 0: real, gtm; step 1: gtm, real; ...), so neither a slow
 * drift of the machine's load nor the first step's warm-up (JIT, connections) falls on one mode only.
 */
import type { ToolSpec } from '../suite/types.js';
import { batchIndices } from './batches.js';
import { runEpisode } from './episode.js';
import { backendForStep } from './modes.js';
import type { ToolBackend } from './tool-call.js';
import type { AgentMode, AgentTask, Dialect, EpisodeRecord, PolicyClient, StepRecord, ToolBackendName } from './types.js';
import type { Target } from '../targets/types.js';

export interface StepRunOptions {
  dialect: Dialect<any>;
  policy: PolicyClient;
  tools: readonly ToolSpec[];
  /** Targets by backend; only those the modes need must be present. */
  backends: Partial<Record<ToolBackendName, Target>>;
  tasks: readonly AgentTask<any>[];
  modes: readonly AgentMode[];
  /** The training steps to run, in order (e.g. 0..9, or the single step a run is told it is at). */
  steps: readonly number[];
  batch_size: number;
  switch_step?: number;
  max_turns: number;
  seed: number;
  onEpisode(record: EpisodeRecord): void;
  onStep(record: StepRecord): void;
  signal?: AbortSignal;
}

export async function runSteps(opts: StepRunOptions): Promise<{ steps: number; episodes: number }> {
  let steps = 0;
  let episodes = 0;
  for (const [i, step] of opts.steps.entries()) {
    const n = opts.modes.length;
    for (const mode of opts.modes.map((_, j) => opts.modes[(i + j) % n])) {
      if (opts.signal?.aborted) return { steps, episodes };
      const name = backendForStep(mode, step, opts.switch_step);
      const target = opts.backends[name];
      if (!target) throw new Error(`mode ${mode} needs the ${name} tool backend at step ${step}, and none was given`);
      const backend: ToolBackend = { name, target };
      const batch = batchIndices(opts.tasks.length, opts.batch_size, step, opts.seed).map((i) => opts.tasks[i]);
      const start = performance.now();
      const records = await Promise.all(
        batch.map(async (task, index) => {
          const rec = await runEpisode(task, { ...opts, backend }, { step, mode, index });
          opts.onEpisode(rec);
          return rec;
        }),
      );
      const wall_ms = performance.now() - start;
      opts.onStep(stepRecord(mode, step, name, wall_ms, records, opts.dialect.rewardNames));
      steps++;
      episodes += records.length;
    }
  }
  return { steps, episodes };
}

export function stepRecord(
  mode: AgentMode,
  step: number,
  backend: ToolBackendName,
  wall_ms: number,
  eps: readonly EpisodeRecord[],
  rewardNames: readonly string[],
): StepRecord {
  let policy_ms = 0;
  let tool_ms = 0;
  let tool_calls = 0;
  for (const e of eps) {
    for (const t of e.turns) {
      policy_ms += t.policy_ms;
      tool_ms += t.tool_ms;
      tool_calls += t.tool_calls;
    }
  }
  const reward_mean: Record<string, number> = {};
  for (const name of rewardNames) reward_mean[name] = eps.length ? eps.reduce((s, e) => s + (e.reward[name] ?? 0), 0) / eps.length : 0;
  return { mode, step, batch_size: eps.length, tool_backend: backend, wall_ms, policy_ms, tool_ms, tool_calls, reward_mean };
}
