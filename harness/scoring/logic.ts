/**
 * Logic fidelity: is the response consistent with the call and with itself, and does the simulator refuse
 * exactly the calls the real tool refuses?
 *
 * Invariant applicability follows what the response IS (an error response or a result), not what the call
 * expected: an invariant checks the internal consistency of what was returned, and refusing or not refusing is
 * scored separately by error_detected / false_refusal. Only `true` passes: `false`, any other value (a number,
 * a string, nothing) and evaluation errors fail, with a reason naming the invariant.
 * A truncated response's repaired prefix is checked like any other value.
 */
import { missingRequiredField, notAResult } from './invariant-fields.js';
import { isErrorResponse, isRefusal } from './refusal.js';
import { parsedValue } from './format.js';
import { InvariantTimeout, ScoringInterrupted } from './invariant-runner.js';
import type { Score, ScoreInput } from './types.js';
import type { ResponseFamily } from './metric-family.js';

/**
 * Synchronous when it can be: the default refusal rule and the fast invariant path (jsonata-sync/) need no
 * promise, and an answer scored without one saves the event loop a few microtask turns per call. A refusal
 * predicate, or an invariant JSONata must evaluate, continues asynchronously from there, in the same order.
 */
export function scoreLogic(input: ScoreInput): Score[] | Promise<Score[]> {
  const { tool, call, parsed } = input;
  const got = parsedValue(parsed);
  // A response that is not JSON is neither a refusal nor an acceptance the tool's caller could act on:
  // it counts as "did not return an error" for both rates (format.parse already counts it as a failure).
  if (got !== undefined && tool.refusal) return isRefusal(tool, got.value, call.arguments).then((isError) => scoreWith(input, got, isError));
  return scoreWith(input, got, got !== undefined && isErrorResponse(tool, got.value));
}

function scoreWith(input: ScoreInput, got: { value: unknown } | undefined, isError: boolean): Score[] | Promise<Score[]> {
  const { tool, call, parsed } = input;
  const invariants: Score = { metric: 'logic.invariants', value: null, reasons: [] };
  const detection: Score = call.expect_error
    ? { metric: 'logic.error_detected', value: isError ? 1 : 0, reasons: [] }
    : { metric: 'logic.false_refusal', value: isError ? 1 : 0, reasons: [] };
  if (!parsed) {
    detection.value = null;
    detection.reasons.push('no response text');
  } else if (detection.value === 0 && call.expect_error) {
    detection.reasons.push(got ? 'returned a result, not an error response' : `no JSON value (${parsed.status})`);
  } else if (detection.value === 1 && !call.expect_error) {
    detection.reasons.push('refused a valid call with an error response');
  }

  if (!parsed) {
    invariants.reasons.push('no response text');
    return [invariants, detection];
  }
  const applicable = tool.invariants.filter((inv) => inv.applies_to === 'always' || inv.applies_to === (isError ? 'error' : 'result'));
  if (applicable.length === 0) {
    invariants.reasons.push(`no invariant applies to ${isError ? 'an error response' : 'a result'}`);
    return [invariants, detection];
  }
  // An answer with no parsed value counts (scored 0): none of the invariants a result must satisfy holds for
  // it, and leaving it out would let broken answers raise the mean.
  if (!got) {
    invariants.value = 0;
    invariants.reasons.push(`nothing parsed: none of ${applicable.length} invariant(s) can hold (scored 0)`);
    return [invariants, detection];
  }
  const stranger = isError ? undefined : notAResult(tool.spec.response_schema, got.value);
  if (stranger) {
    invariants.value = 0;
    invariants.reasons.push(`${stranger}: none of ${applicable.length} invariant(s) holds (scored 0)`);
    return [invariants, detection];
  }
  const bindings = { args: call.arguments, output: got.value };
  const tally = { passed: 0 };
  const done = () => {
    invariants.value = tally.passed / applicable.length;
    return [invariants, detection];
  };
  // Sequential on purpose: reasons come out in the suite's order, whatever the timing of the promises.
  for (let i = 0; i < applicable.length; i++) {
    const inv = applicable[i];
    // A required field the invariant reads is missing or of another type: it fails, it does not pass vacuously.
    const missing = !isError && inv.reads.length > 0 ? missingRequiredField(tool.spec.response_schema, got.value, inv.reads) : undefined;
    if (missing) {
      invariants.reasons.push(`${inv.name}: ${missing}`);
      continue;
    }
    // The synchronous path answers most invariants without a promise per JSONata node; JSONata decides the rest.
    const fast = inv.evaluateSync?.(bindings, { signal: input.signal });
    if (fast) {
      verdict(inv.name, fast.value, tally, invariants);
      continue;
    }
    return (async () => {
      for (let j = i; j < applicable.length; j++) {
        const rest = applicable[j];
        const miss = j > i && !isError && rest.reads.length > 0 ? missingRequiredField(tool.spec.response_schema, got.value, rest.reads) : undefined;
        if (miss) {
          invariants.reasons.push(`${rest.name}: ${miss}`);
          continue;
        }
        try {
          const quick = j > i ? rest.evaluateSync?.(bindings, { signal: input.signal }) : undefined;
          verdict(rest.name, quick ? quick.value : await rest.evaluate(bindings, { signal: input.signal }), tally, invariants);
        } catch (err) {
          if (err instanceof ScoringInterrupted) throw err;
          // Past its time budget an invariant fails with reason `timeout` (invariant-runner.ts), and the run goes on.
          if (err instanceof InvariantTimeout) invariants.reasons.push(`${rest.name}: ${err.message}`);
          else invariants.reasons.push(`${rest.name}: evaluation error: ${errorMessage(err)}`);
        }
      }
      return done();
    })();
  }
  return done();
}

/** Only `true` passes; `false` and any other value fail with a reason naming the invariant. */
function verdict(name: string, result: unknown, tally: { passed: number }, invariants: Score): void {
  if (result === true) tally.passed++;
  else invariants.reasons.push(`${name}: ${result === false ? 'false' : `returned ${describe(result)}, not a boolean`}`);
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 80 ? s.slice(0, 77) + '...' : s;
}

/** JSONata throws plain objects ({code, message, position}) as well as Errors. */
function errorMessage(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { message?: unknown; code?: unknown };
    const msg = typeof e.message === 'string' ? e.message : String(err);
    return typeof e.code === 'string' ? `${e.code} ${msg}` : msg;
  }
  return String(err);
}

/** The logic family (metric-family.ts). */
export const logicFamily: ResponseFamily = {
  source: 'response',
  name: 'logic',
  description: 'invariants over arguments and output hold, and the simulator refuses exactly the calls the real tool refuses',
  needs: {},
  metrics: {
    'logic.invariants': {
      label: 'invariants hold',
      direction: 'higher',
      kind: 'bounded',
      how: "per response, the share of the tool's applicable invariants (JSONata expressions over args and output, from the suite) that evaluate to true; averaged over responses that have any",
    },
    'logic.error_detected': {
      label: 'error detection rate',
      direction: 'higher',
      kind: 'binary',
      how: 'over calls the dataset marks expect_error (invalid calls a faithful tool refuses): share answered with an error response',
    },
    'logic.false_refusal': {
      label: 'false refusal rate',
      direction: 'lower',
      kind: 'binary',
      how: 'over valid calls: share the simulator wrongly answered with an error response',
    },
  },
  score: (input, ctx) => scoreLogic({ ...input, signal: ctx.signal }),
};
