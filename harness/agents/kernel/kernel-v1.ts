/**
 * Dialect `kernel-v1`: the CUDA kernel-optimisation agent. The policy sees the problem (description, the
 * `solution` signature, the reference source), proposes a kernel in a fenced ```cuda block, gets the
 * evaluator's answer (the kernel_eval JSON: compiled, correct, speedup, ...) and may refine; a reply without a
 * code block that says DONE ends the episode. The prompt follows KernelBench's single-kernel prompt (give the
 * reference architecture, ask for a faster replacement in one code block, feed back compile/correctness/
 * timing), in this harness's own words. KernelBench-format problems ask for a ```python block with ModelNew.
 * Reward: kernel-reward.ts (speedup when correct, of the final kernel); fast_p over the task set in the summary.
 * Options: `system` (the system prompt).
 */
import { UserError } from '../../util/errors.js';
import type { AgentAction, AgentMessage, AgentTask, Dialect, PolicyReply, ToolOutcome } from '../types.js';
import { KERNEL_REWARD_NAMES, KERNEL_TOOL, kernelReward } from './kernel-reward.js';
import type { KernelTaskPayload } from './kernel-tasks.js';

export const DEFAULT_SYSTEM = 'You are an expert CUDA engineer. You write correct, fast GPU kernels.';

const CUDA_LANGS = new Set(['cuda', 'cu', 'c++', 'cpp', 'cxx', 'c', '']);
const PYTHON_LANGS = new Set(['python', 'py', '']);

export function firstPrompt(p: KernelTaskPayload): string {
  if (p.format === 'kernelbench') {
    return [
      `Optimise this PyTorch model with custom CUDA kernels: ${p.title} (level ${p.level}).`,
      p.description,
      'The reference model is:',
      '```python\n' + p.reference_source.trimEnd() + '\n```',
      'Write a class ModelNew with the same constructor arguments and forward, using custom CUDA kernels through torch.utils.cpp_extension.load_inline. ' +
        'Reply with the complete Python module in a single ```python code block. It will be built, checked against Model on random inputs and timed; you will see the evaluation and may submit improved versions. ' +
        'When you are satisfied, reply DONE without a code block.',
    ].join('\n\n');
  }
  return [
    `Optimise this CUDA kernel problem: ${p.title} (level ${p.level}).`,
    p.description,
    'Every solution defines this host entry point; it receives float32 device buffers and scalars and launches its kernels:',
    '    ' + p.signature,
    'The reference implementation (correct, but slow) is:',
    '```cuda\n' + p.reference_source.trimEnd() + '\n```',
    'Write a faster implementation. Reply with the complete source in a single ```cuda code block that defines `solution` with exactly this signature, ' +
      'together with every kernel and helper it uses (no main()). It will be compiled with nvcc, checked against the reference on random inputs and timed; ' +
      'you will see the evaluation and may submit improved versions. When you are satisfied, reply DONE without a code block.',
  ].join('\n\n');
}

/** The last complete fenced block whose language fits the problem's format, or why there is none. */
export function readCodeBlock(text: string, format: KernelTaskPayload['format'], finishReason?: string): { source: string } | { invalid: string } {
  const fits = format === 'kernelbench' ? PYTHON_LANGS : CUDA_LANGS;
  const fence = /```([\w+-]*)[^\n]*\n([\s\S]*?)```/g;
  let found: string | undefined;
  for (let m = fence.exec(text); m; m = fence.exec(text)) {
    if (fits.has(m[1].toLowerCase()) && m[2].trim()) found = m[2];
  }
  if (found !== undefined) return { source: found };
  const unclosed = (text.match(/```/g) ?? []).length % 2 === 1;
  if (unclosed) return { invalid: `the code block is never closed${finishReason === 'length' ? ' (the reply hit max_tokens)' : ''}` };
  return { invalid: `no \`\`\`${format === 'kernelbench' ? 'python' : 'cuda'} code block` };
}

function evaluationText(o: ToolOutcome): string {
  if (o.error) return `The evaluator gave no answer (${o.error.class}: ${o.error.message}).`;
  return 'Evaluation of your submission:\n```json\n' + JSON.stringify(o.value, null, 2) + '\n```';
}

export function createKernelV1Dialect(options: Record<string, unknown>): Dialect<KernelTaskPayload> {
  const system = options.system ?? DEFAULT_SYSTEM;
  if (typeof system !== 'string' || !system.trim()) throw new UserError(`agent.options.system: expected a non-empty string, found ${JSON.stringify(system)}`);
  return {
    name: 'kernel-v1',
    task: 'kernel',
    rewardNames: KERNEL_REWARD_NAMES,
    initialMessages: (task: AgentTask<KernelTaskPayload>): AgentMessage[] => [
      { role: 'system', content: system },
      { role: 'user', content: firstPrompt(task.payload) },
    ],
    parseAction(reply: PolicyReply, _tools, task?: AgentTask<KernelTaskPayload>): AgentAction {
      if (!task) return { kind: 'invalid', reason: 'kernel-v1 needs the task to name its problem (episode loop without the task argument)' };
      const r = readCodeBlock(reply.text, task.payload.format, reply.finish_reason);
      if ('source' in r) return { kind: 'tool', calls: [{ tool: KERNEL_TOOL, arguments: { problem_id: task.payload.problem_id, source: r.source } }] };
      if (/\bDONE\b/.test(reply.text)) return { kind: 'answer', answer: 'DONE' };
      return { kind: 'invalid', reason: r.invalid };
    },
    assistantMessage: (reply: PolicyReply): AgentMessage => ({ role: 'assistant', content: reply.text }),
    observationMessages(action: AgentAction, outcomes: readonly ToolOutcome[]): AgentMessage[] {
      if (action.kind === 'invalid') {
        return [{ role: 'user', content: `Your reply could not be evaluated: ${action.reason}. Reply with the complete source in one code block, or DONE.` }];
      }
      if (action.kind !== 'tool') return [];
      const body = outcomes.map(evaluationText).join('\n\n');
      return [{ role: 'user', content: `${body}\n\nSubmit an improved version in one code block, or reply DONE.` }];
    },
    reward: (_task, end) => kernelReward(end),
  };
}
