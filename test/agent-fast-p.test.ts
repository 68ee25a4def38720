// fast_p of a kernel agent run is KernelBench's: over every task of the task file, not over the episodes run.
// A task no episode reached counts 0, several episodes of one task weigh as one, a correct kernel without a
// speedup makes fast_p (p > 0) not applicable.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { summariseAgentRun } from '../harness/agents/agent-summary.js';
import type { EpisodeRecord, StepRecord } from '../harness/agents/types.js';

const step = { mode: 'real', step: 0, batch_size: 3, tool_backend: 'real', wall_ms: 10, policy_ms: 5, tool_ms: 5, tool_calls: 3, reward_mean: {} } as StepRecord;
const episode = (task_id: string, correct: number, speedup: number) =>
  ({ step: 0, mode: 'real', tool_backend_per_turn: [], task_id, index: 0, turns: [], end: 'answer', answer: null, reward: { speedup, correct, compiled: 1, ran: 1 }, wall_ms: 1 }) as EpisodeRecord;
const figures = (a: ReturnType<typeof summariseAgentRun>) => Object.fromEntries(a.modes.real!.fast_p!.figures.map((f) => [f.p, f.value]));
const run = (episodes: EpisodeRecord[], taskIds?: string[]) =>
  summariseAgentRun({ task: 'kernel', dialect: 'kernel-v1', rewardNames: ['speedup', 'correct'], steps: [step], episodes, seed: 1, ...(taskIds ? { taskIds } : {}) });

test('over the task set: a task no episode ran counts 0; two episodes of one task weigh as one', () => {
  const a = run([episode('relu', 1, 2.5), episode('relu', 0, 0), episode('softmax', 1, 1.2)], ['relu', 'softmax', 'matmul', 'conv']);
  const f = figures(a);
  assert.is(f[0], (0.5 + 1) / 4, 'fast_0: relu half, softmax whole, matmul and conv never ran');
  assert.is(f[1], (0.5 + 1) / 4);
  assert.is(f[1.5], 0.5 / 4);
  assert.match(a.modes.real!.fast_p!.set, /the 4 tasks of the task file/);
  // The mean of a per-episode indicator would have said 2/3 for fast_1: the figure the issue calls wrong.
});

test('a correct kernel without a speedup: fast_0 counts it, fast_p > 0 is n/a; without task ids the set says so', () => {
  const a = run([episode('relu', 1, 0)], ['relu', 'softmax']);
  const f = figures(a);
  assert.is(f[0], 0.5);
  assert.is(f[1], null);
  assert.match(a.modes.real!.fast_p!.figures[3].reason!, /no speedup/);
  assert.match(run([episode('relu', 1, 2)]).modes.real!.fast_p!.set, /only the 1 tasks some episode ran/);
  const search = summariseAgentRun({ task: 'search', dialect: 'search-r1-tags', rewardNames: ['em'], steps: [step], episodes: [], seed: 1 });
  assert.is(search.modes.real!.fast_p, undefined, 'only kernel runs have fast_p');
});

test.run();
