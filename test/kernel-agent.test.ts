// The kernel agent: the kernel-v1 dialect (code blocks to kernel_eval calls), its reward (speedup when correct,
// fast_p), the task loader, and runAgent end to end with the loopback stand-in as policy and as GTM and the
// real evaluator (nvcc) as the real tool.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKernelV1Dialect, readCodeBlock } from '../harness/agents/kernel/kernel-v1.js';
import { kernelReward } from '../harness/agents/kernel/kernel-reward.js';
import { loadKernelTasks, type KernelTaskPayload } from '../harness/agents/kernel/kernel-tasks.js';
import { runAgent } from '../harness/agents/run-agent.js';
import type { AgentTask, EpisodeRecord, StepRecord, ToolOutcome } from '../harness/agents/types.js';
import { HARNESS_ROOT } from '../harness/records/manifest.js';
import { kernelEnvironment } from '../harness/tools/kernel-eval/environment.js';
import { UserError } from '../harness/util/errors.js';
import { startStandIn, type StandInRequest, completionRequests } from '../dev/stand-ins/vllm-stand-in.js';

const tmp = mkdtempSync(join(tmpdir(), 'gtm-kernel-agent-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));
const PROBLEMS = join(HARNESS_ROOT, 'datasets', 'kernels', 'problems');
const readJsonl = <T>(file: string): T[] =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as T);

function writeTasks(rows: unknown[]): string {
  const file = join(mkdtempSync(join(tmp, 'tasks-')), 'tasks.jsonl');
  writeFileSync(file, rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n');
  return file;
}

const relu = loadKernelTasks({ file: writeTasks([{ problem_id: '03_relu', problems: PROBLEMS }]), on_bad_row: 'fail' })
  .tasks[0] as AgentTask<KernelTaskPayload>;
const outcome = (value: unknown): ToolOutcome => ({
  invocation: { tool: 'kernel_eval', arguments: {} },
  backend: 'gtm',
  raw: JSON.stringify(value),
  value,
  latency_ms: 1,
  error: null,
});
const evaluation = (speedup: number | null, correct = speedup !== null) => ({
  compiled: true,
  compile_log: '',
  ran: true,
  correct,
  error: correct ? null : 'wrong result',
  outcome: correct ? 'correct' : 'wrong',
  ...(correct ? { max_abs_error: 0, runtime_ms: 1, reference_ms: speedup, speedup } : { max_abs_error: 1 }),
});

test('tasks: problems by id, with the signature and reference the policy is shown; bad rows name their line', () => {
  assert.is(relu.id, '03_relu');
  assert.is(relu.payload.signature, 'void solution(const float* x, float* y, int n)');
  assert.match(relu.payload.reference_source, /positive_mask/);
  const file = writeTasks([{ problem_id: '03_relu', problems: PROBLEMS }, { problem_id: '99_nope', problems: PROBLEMS }, '{"problems": 3}']);
  try {
    loadKernelTasks({ file, on_bad_row: 'fail' });
    assert.unreachable('bad rows accepted');
  } catch (err) {
    assert.instance(err, UserError);
    const lines = (err as UserError).render();
    assert.match(lines, /tasks\.jsonl:2:1: problem_id: no problem 99_nope in /);
    assert.match(lines, /tasks\.jsonl:3:1: problem_id: expected a problem id/);
  }
  assert.is(loadKernelTasks({ file, on_bad_row: 'skip' }).skipped.length, 2);
});

test('kernel-v1: the last cuda block becomes a kernel_eval call; DONE ends; anything else is invalid', () => {
  const d = createKernelV1Dialect({});
  const first = d.initialMessages(relu, []);
  assert.is(first[0].role, 'system');
  assert.match(first[1].content as string, /void solution\(const float\* x, float\* y, int n\)/);
  assert.match(first[1].content as string, /```cuda\n\/\/ Reference in eager style/);
  const reply = (text: string, finish_reason = 'stop') => ({ text, tool_calls: [], finish_reason });
  const two = 'First try:\n```cuda\n__global__ void a() {}\n```\nBetter:\n```cu\nvoid solution(const float* x, float* y, int n) {}\n```\n';
  assert.equal(d.parseAction(reply(two), [], relu), {
    kind: 'tool',
    calls: [{ tool: 'kernel_eval', arguments: { problem_id: '03_relu', source: 'void solution(const float* x, float* y, int n) {}\n' } }],
  });
  assert.equal(d.parseAction(reply('The kernel is as fast as it gets. DONE'), [], relu), { kind: 'answer', answer: 'DONE' });
  assert.equal(d.parseAction(reply('```cuda\n__global__ void k('), [], relu), { kind: 'invalid', reason: 'the code block is never closed' });
  assert.equal(d.parseAction(reply('```python\nprint(1)\n```'), [], relu), { kind: 'invalid', reason: 'no ```cuda code block' });
  assert.is(d.parseAction(reply(two), []).kind, 'invalid', 'without the task there is no problem to name');
  assert.equal(readCodeBlock('```\nx\n```', 'kernelbench'), { source: 'x\n' });
  const obs = d.observationMessages({ kind: 'tool', calls: [] }, [outcome(evaluation(2))]);
  assert.match(obs[0].content as string, /^Evaluation of your submission:\n```json\n\{\n  "compiled": true/);
  assert.match(
    d.observationMessages({ kind: 'invalid', reason: 'no ```cuda code block' }, [])[0].content as string,
    /could not be evaluated: no ```cuda code block/,
  );
});

test('reward: speedup when correct else 0; the final evaluation counts', () => {
  const end = (...values: unknown[]) => ({ reason: 'answer' as const, answer: 'DONE', outcomes: values.map(outcome) });
  assert.equal(kernelReward(end(evaluation(1.8))), { speedup: 1.8, correct: 1, compiled: 1, ran: 1 });
  assert.equal(kernelReward(end(evaluation(0.5))), { speedup: 0.5, correct: 1, compiled: 1, ran: 1 });
  assert.equal(kernelReward(end(evaluation(3), evaluation(null))), { speedup: 0, correct: 0, compiled: 1, ran: 1 }, 'the last kernel, not the best');
  const notRun = { compiled: true, compile_log: '', ran: false, error: null, outcome: 'not_run', not_run_reason: 'no GPU' };
  assert.equal(kernelReward(end(notRun)), { speedup: 0, correct: 0, compiled: 1, ran: 0 });
  assert.equal(kernelReward({ reason: 'max_turns', answer: null, outcomes: [] }), { speedup: 0, correct: 0, compiled: 0, ran: 0 });
});

// ---- end to end ----

const NOT_A_KERNEL = readFileSync(join(PROBLEMS, '03_relu', 'candidates', 'kernel_returns_value.cu'), 'utf8');
/** A scripted policy (not a model): submits a kernel, then says DONE once it has seen an evaluation. */
function scriptedPolicy(req: StandInRequest) {
  const msgs = req.body.messages as { role: string; content: string }[];
  if (/Evaluation of your submission/.test(msgs[msgs.length - 1].content)) return { text: 'That will do. DONE' };
  return { text: 'Here is a kernel:\n```cuda\n' + NOT_A_KERNEL + '```\n' };
}
const GTM_EVALUATION = evaluation(1.8);

test('runAgent: real (nvcc) and gtm backends, kernel rewards per mode, step and tool time', async () => {
  const env = await kernelEnvironment();
  if (!env.nvcc_version) {
    console.log(`skip: the kernel agent's real mode needs nvcc (${env.nvcc_missing_reason})`);
    return;
  }
  const policy = await startStandIn({ models: ['policy'], respond: scriptedPolicy, log: true });
  const gtm = await startStandIn({ models: ['gtm'], respond: () => ({ text: '```json\n' + JSON.stringify(GTM_EVALUATION) + '\n```' }), log: true });
  try {
    const dir = mkdtempSync(join(tmp, 'e2e-'));
    const tasks = writeTasks([{ problem_id: '03_relu', problems: PROBLEMS }]);
    const suiteFile = join(dir, 'suite.yaml');
    writeFileSync(
      suiteFile,
      `
version: "1"
name: kernel-agent-test
seed: 9
tools: [{ file: ${JSON.stringify(join(HARNESS_ROOT, 'suites', 'tools', 'kernel_eval.yaml'))} }]
datasets: [{ name: calls, path: ${JSON.stringify(join(HARNESS_ROOT, 'datasets', 'kernels', 'kernel-calls.jsonl'))} }]
targets:
  - { name: real, kind: real:kernel-eval, problems: ${JSON.stringify(PROBLEMS)} }
  - { name: gtm, kind: openai, base_url: "${gtm.url}/v1", model: gtm, api: chat, prompt_template: ${JSON.stringify(join(HARNESS_ROOT, 'harness', 'prompts', 'gtm-tool-sim-v1.yaml'))}, retries: 0 }
agent:
  task: kernel
  dialect: kernel-v1
  tasks: ${JSON.stringify(tasks)}
  backends: { real: real, gtm: gtm }
  policy: { base_url: "${policy.url}/v1", model: policy, sampling: { temperature: 1, max_tokens: 2048 }, retries: 0 }
  modes: [real, gtm]
  steps: 1
  batch_size: 2
  max_turns: 3
`,
    );
    const out = join(dir, 'run');
    const r = await runAgent({ suiteFile, out, argv: ['agent'], env: {} });
    assert.is(r.exitCode, 0);
    const steps = readJsonl<StepRecord>(join(out, 'steps.jsonl'));
    const episodes = readJsonl<EpisodeRecord>(join(out, 'episodes.jsonl'));
    assert.is(steps.length, 2);
    assert.is(episodes.length, 4);
    for (const e of episodes) {
      assert.is(e.task_id, '03_relu');
      assert.is(e.end, 'answer');
      assert.is(e.turns.length, 2);
      assert.equal(e.tool_backend_per_turn, [e.mode === 'real' ? 'real' : 'gtm', null]);
      assert.ok(e.turns[0].tool_ms > 0);
      if (e.mode === 'real') assert.equal(e.reward, { speedup: 0, correct: 0, compiled: 0, ran: 0 }, 'the real nvcc refuses a kernel that returns a value');
      else assert.equal(e.reward, { speedup: 1.8, correct: 1, compiled: 1, ran: 1 });
    }
    // The simulator was asked the same call the real evaluator got: the problem id and the policy's source.
    assert.match(JSON.stringify(completionRequests(gtm)[0].body.messages), /03_relu/);
    assert.match(JSON.stringify(completionRequests(gtm)[0].body.messages), /__global__ float relu/);
    // The second policy turn saw the evaluation of the first submission.
    const second = completionRequests(policy).find((q) => q.body.messages.length === 4)!.body.messages;
    assert.match(second[3].content, /Evaluation of your submission:/);

    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const a = summary.agent;
    assert.is(a.task, 'kernel');
    assert.is(a.dialect, 'kernel-v1');
    assert.equal(Object.keys(a.modes), ['real', 'gtm']);
    assert.is(a.modes.gtm.reward.speedup.mean, 1.8);
    const fast = (mode: string, p: number) => a.modes[mode].fast_p.figures.find((f: { p: number }) => f.p === p).value;
    assert.equal([fast('gtm', 1.5), fast('gtm', 2), fast('real', 0)], [1, 0, 0], 'fast_p over the task set (one problem)');
    assert.match(a.modes.gtm.fast_p.set, /the 1 tasks of the task file/);
    assert.is(a.modes.real.reward.compiled.mean, 0);
    assert.ok(a.speedup.tool_time_gtm_over_real, 'both modes ran: a tool-time speedup is reported');
    assert.match(summary.backends.real, /^real:kernel-eval/);
  } finally {
    await policy.close();
    await gtm.close();
  }
});

test.run();
