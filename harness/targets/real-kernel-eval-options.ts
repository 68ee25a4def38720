/**
 * real:kernel-eval's options, apart from the target itself so that the composition root (targets/builtin.ts) can
 * declare them for `validate` without loading the kernel evaluator, which only a kernel suite needs.
 */
import type { TargetOptionsSpec } from './registry.js';

export const INT_OPTIONS = ['compile_timeout_ms', 'run_timeout_ms', 'trials', 'warmup', 'iters', 'seed', 'max_parallel_compiles'] as const;
const int = (minimum: number, description: string) => ({ type: 'integer', minimum, description });
const text = (description: string) => ({ type: 'string', minLength: 1, description });

/** The options `validate` checks at their position in the suite (see targets/registry.ts). */
export const KERNEL_EVAL_OPTIONS: TargetOptionsSpec = {
  properties: {
    problems: text('folder of problem folders, relative to the suite file'),
    arch: { type: 'string', pattern: '^(sm|compute)_\\d+[a-z]?$', description: 'nvcc -arch, such as sm_80' },
    python: text('python for KernelBench problems'),
    compile_timeout_ms: int(1, 'nvcc time limit per candidate'),
    run_timeout_ms: int(1, 'run time limit per candidate'),
    trials: int(1, 'correctness trials'),
    warmup: int(0, 'untimed launches before timing'),
    iters: int(1, 'timed launches'),
    seed: int(0, 'input seed'),
    max_parallel_compiles: int(1, 'nvcc processes at once'),
    unsafe_no_sandbox: { type: 'boolean', description: 'run candidates even where bubblewrap cannot contain them' },
  },
};
