/**
 * The verdict on a `cuda` candidate, from what the trusted programs reported (pure functions): the launch
 * recorder's run (the only place candidate host code runs), the candidate's runner and the reference's
 * runner (each a separate process; native/runner.cu writes its result.txt), and the comparison of their
 * outputs done here. Nothing the candidate prints is read: a candidate cannot write any of these reports.
 */
import type { Comparison } from './compare.js';
import { HarnessProblemError, type KernelEvalResult } from './result.js';
import { rooflineCheck } from './roofline.js';
import type { SandboxRun } from './sandbox.js';

/** What a runner's result.txt says. */
export interface RunnerReport {
  device?: { cc: string; peak_gbps: number; l2_bytes: number; name: string };
  no_device?: string;
  /** A CUDA error from the device code (candidate_error) or from the runner's own work (runner_error). */
  error?: { who: 'candidate_error' | 'runner_error' | 'bad_invocation'; stage: string; code: number; message: string };
  trials: number;
  /** `trialN` / `timed` runs after which an input buffer differed from what was generated. */
  inputs_modified: string[];
  timing?: { median_ms: number; min_ms: number; max_ms: number; n: number };
  done: boolean;
}

export function parseRunnerResult(text: string): RunnerReport {
  const r: RunnerReport = { trials: 0, inputs_modified: [], done: false };
  for (const line of text.split('\n')) {
    const w = line.split(' ');
    switch (w[0]) {
      case 'device':
        r.device = { cc: w[1], peak_gbps: Number(w[2]), l2_bytes: Number(w[3]), name: w.slice(4).join(' ') };
        break;
      case 'no_device':
        r.no_device = w.slice(1).join(' ');
        break;
      case 'candidate_error':
      case 'runner_error':
        r.error = { who: w[0], stage: w[1], code: Number(w[2]), message: w.slice(3).join(' ') };
        break;
      case 'bad_invocation':
        r.error = { who: 'bad_invocation', stage: '', code: 0, message: w.slice(1).join(' ') };
        break;
      case 'trial':
        r.trials++;
        break;
      case 'input_modified':
        r.inputs_modified.push(`${w[1]} buffer ${w[2]}`);
        break;
      case 'timing':
        r.timing = { median_ms: Number(w[1]), min_ms: Number(w[2]), max_ms: Number(w[3]), n: Number(w[4]) };
        break;
      case 'done':
        r.done = true;
        break;
    }
  }
  return r;
}

/**
 * cudaError_t values that mean the kernel itself faulted: 700 illegal address, 710 device assert, 714
 * hardware stack error, 715 illegal instruction, 716 misaligned address, 717 invalid address space, 718
 * invalid pc, 719 launch failure. Other errors (bad launch configuration, no kernel image) are runtime errors.
 */
const DEVICE_FAULTS = new Set([700, 710, 714, 715, 716, 717, 718, 719]);

const round = (v: number, digits: number) => Number(v.toFixed(digits));

type Base = Pick<KernelEvalResult, 'compiled' | 'compile_log'>;

/** The launch recorder's run, when it did not give a plan: how the candidate's host code failed. */
export function fromRecording(base: Base, run: SandboxRun, timeoutMs: number, planError: string | null): KernelEvalResult {
  const failed = { ...base, ran: true, correct: false } as const;
  if (run.outcome === 'timeout')
    return { ...failed, error: `the host code was killed after ${timeoutMs / 1000} s (time limit) while its launches were recorded`, outcome: 'timeout' };
  if (run.outcome === 'output_limit') return { ...failed, error: 'the host code was killed: its output passed the size limit', outcome: 'output_limit' };
  if (run.outcome === 'signaled') return { ...failed, error: `the host code was killed by ${run.signal} while its launches were recorded`, outcome: 'crash' };
  return {
    ...failed,
    error: planError ?? `the host code ended the process (exit code ${run.exit_code}) before its launches were recorded`,
    outcome: 'runtime_error',
  };
}

/** How the candidate's runner ended, when it did not finish: null when it did. */
export function fromCandidateRun(base: Base, run: SandboxRun, report: RunnerReport, timeoutMs: number): KernelEvalResult | null {
  if (report.no_device !== undefined)
    return { ...base, ran: false, error: null, outcome: 'not_run', not_run_reason: `no GPU: cudaGetDeviceCount: ${report.no_device}` };
  if (report.error && report.error.who !== 'candidate_error')
    throw new HarnessProblemError(`the runner failed (${report.error.who} ${report.error.stage}): ${report.error.message}`);
  const failed = { ...base, ran: true, correct: false } as const;
  if (run.outcome === 'timeout')
    return { ...failed, error: `killed after ${timeoutMs / 1000} s (time limit): the candidate hangs or is far too slow`, outcome: 'timeout' };
  if (run.outcome === 'output_limit') return { ...failed, error: 'killed: the device code printed past the output limit', outcome: 'output_limit' };
  if (run.outcome === 'spawn_error' || run.outcome === 'aborted') throw new HarnessProblemError(`the runner did not run: ${run.message ?? run.outcome}`);
  if (report.error) {
    const outcome = DEVICE_FAULTS.has(report.error.code) ? 'crash' : 'runtime_error';
    return { ...failed, error: `CUDA error in ${report.error.stage}: ${report.error.message}`, outcome };
  }
  if (run.outcome === 'signaled')
    return { ...failed, error: `the runner was killed by ${run.signal} while running the candidate's device code`, outcome: 'crash' };
  if (!report.done) throw new HarnessProblemError(`the runner exited with code ${run.exit_code} without finishing`);
  return null;
}

export interface Checked {
  comparison: Comparison;
  candidate: RunnerReport;
  reference: RunnerReport;
  /** Bytes the problem must move (inputs + outputs), for the roofline bound. */
  bytes: number;
  /** Report a suspicious speedup anyway (off by default: it is not rewarded). */
  reward_suspicious: boolean;
}

/** The verdict once both runners finished and their outputs were compared. */
export function fromCheck(base: Base, c: Checked): KernelEvalResult {
  const ran = { ...base, ran: true, max_abs_error: round(c.comparison.max_abs_error, 9) } as const;
  if (c.candidate.inputs_modified.length) {
    return {
      ...ran,
      correct: false,
      error: `the candidate wrote into its input (${c.candidate.inputs_modified.join(', ')}); inputs are read-only`,
      outcome: 'wrong',
    };
  }
  const cmp = c.comparison;
  if (cmp.mismatches) {
    const nonfinite = cmp.nonfinite ? `, ${cmp.nonfinite} not finite` : '';
    return {
      ...ran,
      correct: false,
      error: `wrong result: ${cmp.mismatches} elements outside tolerance${nonfinite} (first at index ${cmp.first_bad}), max abs error ${cmp.max_abs_error}`,
      outcome: 'wrong',
    };
  }
  const runtime = round(c.candidate.timing?.median_ms ?? 0, 6);
  const reference = round(c.reference.timing?.median_ms ?? 0, 6);
  const timed = { ...ran, correct: true, runtime_ms: runtime, reference_ms: reference } as const;
  if (!(runtime > 0) || !(reference > 0)) return { ...timed, error: 'the timed runs measured 0 ms; no speedup reported', outcome: 'correct' };
  const speedup = round(reference / runtime, 4);
  const bound = rooflineCheck(runtime, c.bytes, c.candidate.device?.peak_gbps ?? 0);
  if (bound?.suspicious && !c.reward_suspicious) {
    // Correct, but faster than the GPU can move the problem's bytes: the time is not believed, so no speedup
    // (which is what rewards) is reported. The message starts with "suspicious:" so it can be counted.
    return {
      ...timed,
      error: `suspicious: ${runtime} ms is below the memory roofline (${bound.floor_ms.toPrecision(3)} ms for ${bound.bytes} bytes at ${c.candidate.device?.peak_gbps} GB/s); speedup ${speedup} withheld, not rewarded`,
      outcome: 'correct',
    };
  }
  return { ...timed, speedup, error: null, outcome: 'correct' };
}
