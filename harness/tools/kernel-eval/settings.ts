/**
 * The kernel evaluator's settings and their defaults, in a file of their own because both evaluators read
 * them: the CUDA path (evaluate.ts) and the KernelBench-format path (kernelbench.ts), which evaluate.ts calls.
 */
import { availableParallelism } from 'node:os';

export interface KernelEvalSettings {
  compile_timeout_ms: number;
  run_timeout_ms: number;
  /** Output kept from the compiler and from a run; more gets the process killed. */
  compile_output_bytes: number;
  run_output_bytes: number;
  /** seed is mixed with 64 random bits per evaluation; trials, warm-ups and timed iterations as named. */
  run: { seed: number; trials: number; warmup: number; iters: number };
  /** Extra nvcc flags after the evaluator's own (-O3 -std=c++17 -arch=...). */
  nvcc_flags: string[];
  /** Largest candidate accepted, in bytes. */
  max_source_bytes: number;
  /** nvcc processes at once, whatever the target's concurrency (each one wants a core and ~0.5 GB). */
  max_parallel_compiles: number;
  /** Address space of each compiler process (a template bomb fails its allocations here instead of taking the machine). */
  compile_memory_bytes: number;
  /** Processes the sandboxed uid may have (a fork bomb stops here; the pid namespace ends them all). */
  max_processes: number;
  /** Time the candidate's host code may take in the launch recorder. */
  record_timeout_ms: number;
  /** Report a speedup even when the time is below the memory roofline (off: such a result is not rewarded). */
  reward_suspicious: boolean;
}

/**
 * Defaults after KernelBench's evaluator (several correctness trials on fresh random inputs, CUDA-event
 * timing after warm-up): 3 trials, 5 warm-ups, median of 21 timed runs.
 */
export const DEFAULT_SETTINGS: KernelEvalSettings = {
  compile_timeout_ms: 120_000,
  run_timeout_ms: 30_000,
  compile_output_bytes: 256 * 1024,
  run_output_bytes: 1024 * 1024,
  run: { seed: 20251204, trials: 3, warmup: 5, iters: 21 },
  nvcc_flags: [],
  max_source_bytes: 256 * 1024,
  max_parallel_compiles: Math.max(1, availableParallelism()),
  compile_memory_bytes: 4 * 1024 ** 3,
  max_processes: 128,
  record_timeout_ms: 20_000,
  reward_suspicious: false,
};
