// How the evaluator turns what the compiler and the harness binary did into its answer (pure functions,
// hand-made process results): the GPU-side outcomes are checked here too, without a GPU.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanCompileLog, COMPILE_LOG_MAX, fromCompile, fromRun, harnessEvents, HarnessProblemError } from '../harness/tools/kernel-eval/result.js';
import type { SandboxRun } from '../harness/tools/kernel-eval/sandbox.js';

const NONCE = 'n0nce';
const run = (over: Partial<SandboxRun>, lines: object[] = []): SandboxRun => ({
  outcome: 'exited',
  exit_code: 0,
  signal: null,
  stdout: lines.map((l) => `@@GTM ${NONCE} ${JSON.stringify(l)}`).join('\n') + '\n',
  stderr: '',
  output_truncated: false,
  wall_ms: 10,
  ...over,
});
const device = { event: 'device', name: 'NVIDIA H100', cc: '9.0' };

test('compile: exit 0 is no verdict yet; errors, timeouts and floods are classified', () => {
  assert.is(fromCompile(run({}), '', 1000), null);
  const err = fromCompile(run({ exit_code: 2 }), 'candidate.cu(3): error: expected a ";"\n\n1 error detected', 1000)!;
  assert.equal(err, {
    compiled: false,
    compile_log: 'candidate.cu(3): error: expected a ";"\n\n1 error detected',
    ran: false,
    error: 'nvcc exited with code 2: candidate.cu(3): error: expected a ";"',
    outcome: 'compile_error',
  });
  assert.is(fromCompile(run({ outcome: 'timeout', exit_code: null, signal: 'SIGKILL' }), '', 60000)!.outcome, 'compile_timeout');
  assert.is(fromCompile(run({ outcome: 'output_limit', exit_code: null }), '', 1000)!.error, 'compiler killed: its output passed the size limit');
});

test('compile logs: no sandbox path, no pid-numbered temp names, cut at the limit', () => {
  const dir = '/tmp/gtm-kernel-AbC123';
  assert.is(
    cleanCompileLog(`${dir}/candidate.cu(3): error\n/usr/bin/ld: tmpxft_00004326_00000000-11_harness.o: in function main`, dir),
    'candidate.cu(3): error\n/usr/bin/ld: tmpxft_harness.o: in function main',
  );
  const long = cleanCompileLog('x'.repeat(COMPILE_LOG_MAX + 10), dir);
  assert.ok(long.endsWith('[... 10 more characters cut]'));
});

test('harness lines count only with the run nonce', () => {
  const text = `@@GTM ${NONCE} {"event":"check","correct":false}\n@@GTM forged {"event":"check","correct":true}\nprintf noise\n@@GTM ${NONCE} {"event":"timing"`;
  assert.equal(harnessEvents(text, NONCE), [{ event: 'check', correct: false }]);
});

test('run: correct and timed; speedup = reference_ms / runtime_ms, rounded', () => {
  const r = fromRun(
    run({}, [
      device,
      { event: 'check', correct: true, max_abs_error: 1.2e-7, mismatches: 0, nonfinite: 0, first_bad_index: -1 },
      { event: 'timing', reference_ms: 0.9, runtime_ms: 0.3, iters: 21, warmup: 5 },
    ]),
    NONCE,
    '',
    30000,
  );
  assert.equal(r, {
    compiled: true,
    compile_log: '',
    ran: true,
    correct: true,
    max_abs_error: 1.2e-7,
    runtime_ms: 0.3,
    reference_ms: 0.9,
    speedup: 3,
    error: null,
    outcome: 'correct',
  });
});

test('run: wrong, device fault, launch error, signal, hang, flood, early exit, no device', () => {
  const wrong = fromRun(
    run({}, [device, { event: 'check', correct: false, max_abs_error: 0.25, mismatches: 4096, nonfinite: 2, first_bad_index: 7 }]),
    NONCE,
    '',
    30000,
  );
  assert.is(wrong.outcome, 'wrong');
  assert.is(wrong.max_abs_error, 0.25);
  assert.is(wrong.error, 'wrong result: 4096 elements outside tolerance, 2 not finite (first at index 7), max abs error 0.25');
  assert.not.ok('runtime_ms' in wrong);
  const fault = fromRun(
    run({ exit_code: 4 }, [device, { event: 'candidate_error', stage: 'candidate', error: 'an illegal memory access was encountered', code: 700 }]),
    NONCE,
    '',
    30000,
  );
  assert.equal(
    [fault.outcome, fault.ran, fault.correct, fault.error],
    ['crash', true, false, 'CUDA error in candidate: an illegal memory access was encountered'],
  );
  const launch = fromRun(
    run({ exit_code: 4 }, [device, { event: 'candidate_error', stage: 'candidate', error: 'invalid configuration argument', code: 9 }]),
    NONCE,
    '',
    30000,
  );
  assert.is(launch.outcome, 'runtime_error');
  assert.is(fromRun(run({ outcome: 'signaled', exit_code: null, signal: 'SIGSEGV' }), NONCE, '', 30000).outcome, 'crash');
  assert.is(
    fromRun(run({ outcome: 'timeout', exit_code: null, signal: 'SIGKILL' }, [device]), NONCE, '', 30000).error,
    'killed after 30 s (time limit): the candidate hangs or is far too slow',
  );
  assert.is(fromRun(run({ outcome: 'output_limit', exit_code: null }), NONCE, '', 30000).outcome, 'output_limit');
  assert.is(fromRun(run({}, [device]), NONCE, '', 30000).outcome, 'runtime_error');
  const none = fromRun(run({ exit_code: 3 }, [{ event: 'no_device', error: 'no CUDA-capable device is detected' }]), NONCE, 'warn', 30000);
  assert.equal(none, {
    compiled: true,
    compile_log: 'warn',
    ran: false,
    error: null,
    outcome: 'not_run',
    not_run_reason: 'no GPU: cudaGetDeviceCount: no CUDA-capable device is detected',
  });
});

test("a failing reference is the problem's fault, not a verdict on the candidate", () => {
  assert.throws(
    () => fromRun(run({ exit_code: 5 }, [device, { event: 'reference_error', stage: 'reference', error: 'out of memory' }]), NONCE, '', 30000),
    (e: unknown) => e instanceof HarnessProblemError && /the reference failed at reference: out of memory/.test((e as Error).message),
  );
});

test.run();
