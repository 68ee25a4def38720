// The pure parts of the device-only evaluator (issue 16), on hand-written inputs: PTX parameter sizes, the
// launch plan's strict parsing (it is written by a process the candidate shares), the output comparison,
// the roofline bound and the verdict built from the runners' reports.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareOutputs, mergeComparisons } from '../harness/tools/kernel-eval/compare.js';
import { parsePlan, planText, PlanError, ptxEntries } from '../harness/tools/kernel-eval/launch-plan.js';
import { rooflineCheck } from '../harness/tools/kernel-eval/roofline.js';
import type { SandboxRun } from '../harness/tools/kernel-eval/sandbox.js';
import { fromCandidateRun, fromCheck, fromRecording, parseRunnerResult } from '../harness/tools/kernel-eval/verdict.js';

const PTX = `
.visible .entry _Z4reluPKfPfi(
	.param .u64 .ptr .global .align 4 _Z4reluPKfPfi_param_0,
	.param .u64 _Z4reluPKfPfi_param_1,
	.param .u32 _Z4reluPKfPfi_param_2
)
.visible .entry withstruct(
	.param .align 8 .b8 withstruct_param_0[24],
	.param .f32 withstruct_param_1
)`;
const entries = ptxEntries(PTX);
const BUFS = [4096, 4096]; // a0: input, a1: output (1024 floats each)
const RELU = '_Z4reluPKfPfi';
const launch = (args = 'p:a0+0 p:a1+0 x:00040000') => `launch ${RELU} 4 1 1 256 1 1 0 3 ${args}`;
const plan = (...calls: string[][]) => ['gtm-launch-plan 1', ...calls.flatMap((ops, i) => [`call ${i}`, ...ops]), 'end'].join('\n') + '\n';
const refusal = (text: string) => {
  try {
    parsePlan(text, BUFS, entries);
  } catch (err) {
    assert.ok(err instanceof PlanError, String(err));
    return (err as Error).message;
  }
  return assert.unreachable('the plan was accepted') as never;
};

test('PTX entries: parameter sizes of scalars, pointers and aligned byte arrays', () => {
  assert.equal(entries.get(RELU)?.params, [8, 8, 4]);
  assert.equal(entries.get('withstruct')?.params, [24, 4]);
});

test('a plan: first call and steady call, written back in the runner form', () => {
  const p = parsePlan(
    plan(['alloc 0 4096', launch()], [launch('p:a0+0 p:s0+0 x:00040000'), launch()], [launch('p:a0+0 p:s0+0 x:00040000'), launch()]),
    BUFS,
    entries,
  );
  assert.is(p.first.length, 2);
  assert.is(p.steady.length, 2);
  assert.is(planText(p), `segment first\nalloc 0 4096\n${launch()}\nsegment steady\n${launch('p:a0+0 p:s0+0 x:00040000')}\n${launch()}\n`);
});

test('scratch allocated inside each call is the same work under different ids', () => {
  const call = (id: number) => [`alloc ${id} 4096`, launch(`p:a0+0 p:s${id}+0 x:00040000`), `free ${id}`];
  const p = parsePlan(plan(call(0), call(1), call(2)), BUFS, entries);
  assert.is(p.steady[0].op, 'alloc');
});

test('hostile or unreplayable plans are refused with a reason', () => {
  assert.match(refusal('not a plan'), /wrote no plan/);
  assert.match(refusal(plan([launch()], [launch()])), /1 of 3|2 of 3/);
  assert.match(refusal(plan([launch()], [launch()], [])), /different work on different calls/);
  assert.match(refusal(plan([launch()], [launch('p:a0+0 p:a1+8192 x:00040000')], [launch()])), /past the end/);
  assert.match(refusal(plan([launch()], [launch('p:a0+0 p:a7+0 x:00040000')], [launch()])), /argument buffer 7 does not exist/);
  assert.match(refusal(plan([`launch nosuchkernel 1 1 1 1 1 1 0 0`], [], [])), /no kernel nosuchkernel/);
  assert.match(refusal(plan([`launch ${RELU} 1 1 1 2048 1 1 0 3 p:a0+0 p:a1+0 x:00040000`], [], [])), /more than 1024 threads/);
  assert.match(refusal(plan([`launch ${RELU} 1 1 1 32 1 1 0 2 p:a0+0 p:a1+0`], [], [])), /2 arguments recorded, the kernel takes 3/);
  assert.match(refusal(plan([launch('p:a0+0 p:a1+0 x:0004')], [], [])), /argument 2 has 2 bytes/);
  assert.match(refusal(plan(['memset a1+0 0 8192'], [], [])), /run past the end/);
  assert.match(refusal(plan(['free 3'], [], [])), /not allocated/);
  assert.match(refusal(plan(['h2d a1+0 4 0000'], [], [])), /does not match its length/);
  assert.match(refusal(plan(['unsupported cudaMemcpy that reads device memory on the host'], [], [])), /cannot replay: cudaMemcpy that reads device memory/);
  assert.match(refusal(plan([`attr ${RELU} 3 1`], [], [])), /attribute 3 is not supported/);
  assert.match(refusal(plan([launch()], [launch()], [launch()]) + 'launch extra\n'), /continues after its end/);
  assert.match(refusal(plan(['alloc 0 99999999999999'], [], [])), /out of range/);
});

test('comparison: tolerance, NaN poison, infinities, lengths', () => {
  const tol = { atol: 1e-3, rtol: 1e-3 };
  assert.equal(compareOutputs(new Float32Array([1, 2, 3]), new Float32Array([1, 2.0005, 3]), tol), {
    mismatches: 0,
    nonfinite: 0,
    max_abs_error: compareOutputs(new Float32Array([2]), new Float32Array([2.0005]), tol).max_abs_error,
    first_bad: -1,
  });
  const poisoned = compareOutputs(new Float32Array([1, NaN, 3]), new Float32Array([1, 2, 3]), tol);
  assert.equal([poisoned.mismatches, poisoned.nonfinite, poisoned.first_bad], [1, 1, 1]);
  assert.is(compareOutputs(new Float32Array([Infinity, NaN]), new Float32Array([Infinity, NaN]), tol).mismatches, 0);
  assert.is(compareOutputs(new Float32Array([1]), new Float32Array([1, 2]), tol).mismatches, 2);
  const merged = mergeComparisons([compareOutputs(new Float32Array([1]), new Float32Array([1]), tol), poisoned]);
  assert.equal([merged.mismatches, merged.first_bad], [1, 1]);
});

test('roofline: a time below half the DRAM floor for the bytes is suspicious', () => {
  // 8 MB at 2000 GB/s: 0.004 ms at the least.
  const floor = rooflineCheck(0.004, 8e6, 2000)!;
  assert.ok(Math.abs(floor.floor_ms - 0.004) < 1e-12);
  assert.is(floor.suspicious, false);
  assert.is(rooflineCheck(0.001, 8e6, 2000)!.suspicious, true);
  assert.is(rooflineCheck(0.001, 8e6, 0), null);
});

const sbx = (over: Partial<SandboxRun> = {}): SandboxRun => ({
  outcome: 'exited',
  exit_code: 0,
  signal: null,
  stdout: '',
  stderr: '',
  output_truncated: false,
  wall_ms: 5,
  ...over,
});
const base = { compiled: true, compile_log: '' } as const;
const report = (lines: string) => parseRunnerResult(lines);
const DONE = 'device 8.0 2039.0 41943040 NVIDIA A100-SXM4-80GB\ntrial 0\ntrial 1\ntrial 2\ntiming 0.5 0.49 0.6 21 5\ndone\n';

test('runner reports: device, errors, modified inputs, timing', () => {
  const r = report(DONE + 'input_modified trial1 0\n');
  assert.equal(r.device, { cc: '8.0', peak_gbps: 2039, l2_bytes: 41943040, name: 'NVIDIA A100-SXM4-80GB' });
  assert.is(r.trials, 3);
  assert.equal(r.inputs_modified, ['trial1 buffer 0']);
  assert.equal(r.timing, { median_ms: 0.5, min_ms: 0.49, max_ms: 0.6, n: 21 });
  assert.is(r.done, true);
});

test('verdicts: recorder failures, runner failures, wrong, modified input, correct, suspicious', () => {
  assert.is(fromRecording(base, sbx({ outcome: 'signaled', signal: 'SIGSEGV', exit_code: null }), 1000, null).outcome, 'crash');
  assert.is(fromRecording(base, sbx({ outcome: 'timeout' }), 1000, null).outcome, 'timeout');
  assert.is(fromRecording(base, sbx(), 1000, 'the plan is bad').error, 'the plan is bad');
  const noGpu = fromCandidateRun(base, sbx({ exit_code: 3 }), report('no_device no CUDA-capable device is detected\n'), 1000)!;
  assert.equal([noGpu.outcome, noGpu.ran, noGpu.not_run_reason], ['not_run', false, 'no GPU: cudaGetDeviceCount: no CUDA-capable device is detected']);
  assert.is(
    fromCandidateRun(base, sbx({ exit_code: 4 }), report('candidate_error trial 700 an illegal memory access was encountered\n'), 1000)!.outcome,
    'crash',
  );
  assert.is(fromCandidateRun(base, sbx({ exit_code: 4 }), report('candidate_error trial 9 invalid configuration argument\n'), 1000)!.outcome, 'runtime_error');
  assert.is(fromCandidateRun(base, sbx(), report(DONE), 1000), null);
  assert.throws(() => fromCandidateRun(base, sbx({ exit_code: 5 }), report('runner_error allocate 2 out of memory\n'), 1000), /the runner failed/);

  const ok = { mismatches: 0, nonfinite: 0, max_abs_error: 1e-7, first_bad: -1 };
  const reference = report(DONE.replace('timing 0.5', 'timing 1.5'));
  const check = (over: object) => fromCheck(base, { comparison: ok, candidate: report(DONE), reference, bytes: 8e6, reward_suspicious: false, ...over });
  const correct = check({});
  assert.equal([correct.outcome, correct.correct, correct.speedup, correct.error], ['correct', true, 3, null]);
  assert.is(check({ comparison: { ...ok, mismatches: 4, first_bad: 2 } }).outcome, 'wrong');
  const mutated = check({ candidate: report(DONE + 'input_modified trial0 0\n') });
  assert.equal([mutated.outcome, mutated.correct], ['wrong', false]);
  assert.match(mutated.error ?? '', /wrote into its input/);
  // 1 GB in 0.5 ms would be 2000 GB/s... at 2039 GB/s peak, 4 GB cannot move in 0.5 ms.
  const suspicious = check({ bytes: 4e9 });
  assert.equal([suspicious.outcome, suspicious.correct, 'speedup' in suspicious], ['correct', true, false]);
  assert.match(suspicious.error ?? '', /^suspicious: .* not rewarded/);
  assert.is(check({ bytes: 4e9, reward_suspicious: true }).speedup, 3);
});

test.run();
