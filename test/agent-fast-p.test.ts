// fast_p of a kernel agent run is KernelBench's: over every task of the task file, not over the episodes run.
// A task no episode reached counts 0, several episodes of one task weigh as one, a correct kernel without a
// speedup makes fast_p (p > 0) not applicable.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { summariseAgentRun } from '../harness/agents/agent-summary.js';
import type { EpisodeRecord, StepRecord } from '../harness/agents/types.js';
import { dialectRegistration } from '../harness/agents/dialects.js';
import '../harness/agents/dialects-builtin.js';

const step = {
  mode: 'real',
  step: 0,
  batch_size: 3,
  tool_backend: 'real',
  wall_ms: 10,
  policy_ms: 5,
  tool_ms: 5,
  tool_calls: 3,
  reward_mean: {},
} as StepRecord;
const episode = (task_id: string, correct: number, speedup: number) =>
  ({
    step: 0,
    mode: 'real',
    tool_backend_per_turn: [],
    task_id,
    index: 0,
    turns: [],
    end: 'answer',
    answer: null,
    reward: { speedup, correct, compiled: 1, ran: 1 },
    wall_ms: 1,
  }) as EpisodeRecord;
const figures = (a: ReturnType<typeof summariseAgentRun>) => Object.fromEntries(a.modes.real!.fast_p!.figures.map((f) => [f.p, f.value]));
const run = (episodes: EpisodeRecord[], taskIds?: string[]) =>
  summariseAgentRun({
    task: 'kernel',
    dialect: 'kernel-v1',
    rewardNames: ['speedup', 'correct'],
    steps: [step],
    episodes,
    seed: 1,
    ...(taskIds ? { taskIds } : {}),
  });

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

test("rewards and step times get their kind's interval: a speedup that is 0 everywhere is no proportion", () => {
  const kinds = dialectRegistration('kernel-v1')!.rewardKinds;
  const a = summariseAgentRun({
    task: 'kernel',
    dialect: 'kernel-v1',
    rewardNames: ['speedup', 'correct'],
    rewardKinds: kinds,
    steps: [step, { ...step, step: 1, wall_ms: 1000 }],
    episodes: [episode('a', 0, 0), episode('b', 0, 0), episode('c', 0, 0)],
    seed: 1,
  });
  const m = a.modes.real!;
  assert.equal([m.reward.speedup.method, m.reward.speedup.ci_low, m.reward.speedup.ci_high], ['t-clipped', 0, 0]);
  assert.is(m.reward.correct.method, 'wilson');
  // two steps of 10 and 1000 ms: the t interval would start far below 0 s
  assert.equal([m.step_wall_ms.method, m.step_wall_ms.ci_low], ['t-clipped', 0]);
  // Without kinds (an old run folder of an unknown dialect) the former value-based rule: Wilson on all-0 values.
  const old = summariseAgentRun({
    task: 'kernel',
    dialect: 'kernel-v1',
    rewardNames: ['speedup'],
    steps: [step],
    episodes: [episode('a', 0, 0), episode('b', 0, 0)],
    seed: 1,
  });
  assert.is(old.modes.real!.reward.speedup.method, 'wilson');
});

test.run();
