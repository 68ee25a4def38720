/**
 * The kernel evaluator's output (the `kernel_eval` tool's response, suites/tools/kernel_eval.yaml) and the
 * pure functions that build it from what the compiler and the harness binary did. Run fields are present
 * only when the candidate ran: nothing is ever filled in for a run that did not happen.
 */
import type { SandboxRun } from './sandbox.js';

/**
 * How an evaluation ended, most specific first: refused before compiling, compiler error or timeout, not
 * run (no GPU), killed for time or output, crashed (signal, or a device fault such as an illegal address),
 * another runtime error, wrong result, or correct (then timed).
 */
export type KernelOutcome =
  'rejected' | 'compile_error' | 'compile_timeout' | 'not_run' | 'timeout' | 'output_limit' | 'crash' | 'runtime_error' | 'wrong' | 'correct';

export interface KernelEvalResult {
  compiled: boolean;
  /** nvcc's output with the sandbox path removed, cut to COMPILE_LOG_MAX characters. */
  compile_log: string;
  ran: boolean;
  /** Present when ran: the candidate matched the reference on every element of every trial. */
  correct?: boolean;
  /** Present when the check completed: the largest |candidate - reference| over finite pairs. */
  max_abs_error?: number;
  /** Present when correct: medians of the timed runs, and reference_ms / runtime_ms. */
  runtime_ms?: number;
  reference_ms?: number;
  speedup?: number;
  /** What went wrong with the candidate, or null. */
  error: string | null;
  outcome: KernelOutcome;
  /** Present when compiled but not run: why (no GPU, with the probe's message). */
  not_run_reason?: string;
}

export const COMPILE_LOG_MAX = 4000;

/**
 * nvcc's log without what changes from run to run -- the sandbox dir, and the pid-numbered names of nvcc's
 * intermediate files (tmpxft_00004326_00000000-11_harness.o) -- so logs compare across runs; cut to a
 * readable size.
 */
export function cleanCompileLog(text: string, dir: string): string {
  const plain = text
    .split(dir + '/')
    .join('')
    .split(dir)
    .join('.')
    .replace(/tmpxft_[0-9a-f]+_[0-9a-f]+-\d+_/g, 'tmpxft_')
    .trim();
  if (plain.length <= COMPILE_LOG_MAX) return plain;
  return `${plain.slice(0, COMPILE_LOG_MAX)}\n[... ${plain.length - COMPILE_LOG_MAX} more characters cut]`;
}

/** The first line that names an error, for the one-line `error` field. */
function firstErrorLine(log: string): string {
  const line = log.split('\n').find((l) => /error/i.test(l)) ?? log.split('\n').find((l) => l.trim()) ?? '';
  return line.trim().slice(0, 300);
}

export function rejected(reason: string): KernelEvalResult {
  return { compiled: false, compile_log: '', ran: false, error: `rejected before compiling: ${reason}`, outcome: 'rejected' };
}

export function fromCompile(run: SandboxRun, log: string, timeoutMs: number): KernelEvalResult | null {
  if (run.outcome === 'exited' && run.exit_code === 0) return null;
  if (run.outcome === 'timeout') {
    return { compiled: false, compile_log: log, ran: false, error: `compiler killed after ${timeoutMs / 1000} s (time limit)`, outcome: 'compile_timeout' };
  }
  if (run.outcome === 'output_limit') {
    return { compiled: false, compile_log: log, ran: false, error: 'compiler killed: its output passed the size limit', outcome: 'compile_error' };
  }
  const how = run.signal ? `compiler killed by ${run.signal}` : `nvcc exited with code ${run.exit_code}`;
  return { compiled: false, compile_log: log, ran: false, error: `${how}: ${firstErrorLine(log) || 'no message'}`, outcome: 'compile_error' };
}

/** One `@@GTM <nonce> {json}` line of the harness. */
export type HarnessEvent = { event: string } & Record<string, unknown>;

/** The harness's own lines, recognised by the run's nonce; anything else on stdout is the candidate's. */
export function harnessEvents(stdout: string, nonce: string): HarnessEvent[] {
  const prefix = `@@GTM ${nonce} `;
  const events: HarnessEvent[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.startsWith(prefix)) continue;
    try {
      const value = JSON.parse(line.slice(prefix.length));
      if (value && typeof value.event === 'string') events.push(value);
    } catch {
      // a line cut by the output limit
    }
  }
  return events;
}

/**
 * CUDA errors that mean the kernel itself faulted (cudaError_t values: 700 illegal address, 710 device
 * assert, 714 hardware stack error, 715 illegal instruction, 716 misaligned address, 717 invalid address
 * space, 718 invalid pc, 719 launch failure); other errors (bad launch configuration, missing kernel image)
 * are runtime errors.
 */
const DEVICE_FAULTS = new Set([700, 710, 714, 715, 716, 717, 718, 719]);

/** Rounding of reported times and speedups: CUDA event resolution is about 0.5 microseconds. */
const round = (v: number, digits: number) => Number(v.toFixed(digits));

export class HarnessProblemError extends Error {}

/**
 * The result of running a compiled harness. Throws HarnessProblemError when the reference itself failed:
 * that is a fault of the problem or the machine, not a verdict on the candidate.
 */
export function fromRun(run: SandboxRun, nonce: string, compileLog: string, timeoutMs: number): KernelEvalResult {
  const events = harnessEvents(run.stdout, nonce);
  const find = (name: string) => events.find((e) => e.event === name);
  const base = { compiled: true, compile_log: compileLog } as const;
  const noDevice = find('no_device');
  if (noDevice) {
    return { ...base, ran: false, error: null, outcome: 'not_run', not_run_reason: `no GPU: cudaGetDeviceCount: ${noDevice.error}` };
  }
  const refError = find('reference_error');
  if (refError) throw new HarnessProblemError(`the reference failed at ${refError.stage}: ${refError.error}`);
  const ranBase = { ...base, ran: true, correct: false } as const;
  if (run.outcome === 'timeout') {
    return { ...ranBase, error: `killed after ${timeoutMs / 1000} s (time limit): the candidate hangs or is far too slow`, outcome: 'timeout' };
  }
  if (run.outcome === 'output_limit') {
    return { ...ranBase, error: 'killed: output passed the size limit (the candidate floods stdout/stderr)', outcome: 'output_limit' };
  }
  if (run.outcome === 'spawn_error' || run.outcome === 'aborted') {
    throw new HarnessProblemError(`the harness binary did not run: ${run.message ?? run.outcome}`);
  }
  const candError = find('candidate_error');
  if (candError) {
    const code = Number(candError.code);
    // The KernelBench runner has no cudaError_t code, only torch's message, and says `fault` itself.
    const outcome = DEVICE_FAULTS.has(code) || candError.fault === true ? 'crash' : 'runtime_error';
    return { ...ranBase, error: `CUDA error in ${candError.stage}: ${candError.error}`, outcome };
  }
  if (run.outcome === 'signaled') {
    return { ...ranBase, error: `the process was killed by ${run.signal}`, outcome: 'crash' };
  }
  const check = find('check');
  if (!check) {
    const how = run.exit_code === 0 ? 'exited with code 0' : `exited with code ${run.exit_code}`;
    return { ...ranBase, error: `the harness ${how} before checking the result (did the candidate exit the process?)`, outcome: 'runtime_error' };
  }
  const maxAbs = Number(check.max_abs_error);
  const withCheck = { ...ranBase, max_abs_error: round(maxAbs, 9) };
  if (check.correct !== true) {
    const nonfinite = Number(check.nonfinite) ? `, ${check.nonfinite} not finite` : '';
    return {
      ...withCheck,
      error: `wrong result: ${check.mismatches} elements outside tolerance${nonfinite} (first at index ${check.first_bad_index}), max abs error ${maxAbs}`,
      outcome: 'wrong',
    };
  }
  const timing = find('timing');
  if (!timing) {
    return {
      ...withCheck,
      error: `the harness exited with code ${run.exit_code} before timing (did the candidate exit the process?)`,
      outcome: 'runtime_error',
    };
  }
  const runtime = round(Number(timing.runtime_ms), 6);
  const reference = round(Number(timing.reference_ms), 6);
  const timed = { ...withCheck, correct: true, runtime_ms: runtime, reference_ms: reference };
  if (!(runtime > 0)) return { ...timed, error: 'the timed runs measured 0 ms; no speedup reported', outcome: 'correct' };
  return { ...timed, speedup: round(reference / runtime, 4), error: null, outcome: 'correct' };
}
