/**
 * `kernel_agreement`: how well a simulated kernel evaluator agrees with the real one on the verdicts that
 * matter to an agent learning from it. Per call:
 *   kernel_agreement.compiled                 1 when the simulated `compiled` equals the real one
 *   kernel_agreement.correct                  1 when the simulated `correct` equals the real one; null when the
 *                                             real evaluator did not run the candidate (nothing to agree with)
 *   kernel_agreement.speedup_abs_log_ratio    |ln(simulated speedup / real speedup)|, lower is better; null
 *                                             unless both give a speedup
 *   kernel_agreement.{compiled,correct}_{tp,fn,fp,tn}
 *                                             0/1 cell indicators of the confusion matrix (positive = true),
 *                                             so a summary's mean x n is the cell's count
 * Pure: reads only the parsed output and the recorded reference.
 */
import type { MetricDef, ResponseFamily } from './metric-family.js';
import type { Score } from './types.js';

const F = 'kernel_agreement';
const CELLS = ['tp', 'fn', 'fp', 'tn'] as const;
type Cell = (typeof CELLS)[number];

const CELL_LABEL: Record<Cell, string> = {
  tp: 'real true, simulated true',
  fn: 'real true, simulated false',
  fp: 'real false, simulated true',
  tn: 'real false, simulated false',
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

function cellOf(real: boolean, sim: boolean): Cell {
  return real ? (sim ? 'tp' : 'fn') : sim ? 'fp' : 'tn';
}

/** The four indicator scores of one confusion matrix: 1 in the call's cell, 0 in the others (null = not applicable). */
function cellScores(name: 'compiled' | 'correct', cell: Cell | null, reason: string): Score[] {
  return CELLS.map((c) => ({ metric: `${F}.${name}_${c}`, value: cell === null ? null : c === cell ? 1 : 0, reasons: [reason] }));
}

function verdict(name: 'compiled' | 'correct', real: boolean, sim: unknown, simText: string): Score[] {
  const simBool = sim === true;
  const cell = cellOf(real, simBool);
  const agree = real === simBool ? 1 : 0;
  const reason = `real ${name}=${real}, simulated ${name}=${simText} (${cell}: ${CELL_LABEL[cell]})`;
  return [{ metric: `${F}.${name}`, value: agree, reasons: [reason] }, ...cellScores(name, cell, reason)];
}

function notApplicable(name: 'compiled' | 'correct', why: string): Score[] {
  return [{ metric: `${F}.${name}`, value: null, reasons: [why] }, ...cellScores(name, null, why)];
}

export function scoreKernelAgreement(parsedValue: unknown, reference: unknown): Score[] {
  if (!isObj(reference) || typeof reference.compiled !== 'boolean') {
    const why =
      isObj(reference) && 'error' in reference
        ? 'the real evaluator refused the call (error response): no verdict to agree with'
        : 'no recorded real evaluation for this call';
    return [...notApplicable('compiled', why), ...notApplicable('correct', why), { metric: `${F}.speedup_abs_log_ratio`, value: null, reasons: [why] }];
  }
  // A simulated answer that is not an evaluation (unparseable, or an error object) says neither "compiled"
  // nor "correct": it counts as false for both, and the reasons say so.
  const sim: Obj = isObj(parsedValue) ? parsedValue : {};
  const describe = (v: unknown) => (typeof v === 'boolean' ? String(v) : v === undefined ? 'absent (read as false)' : `${JSON.stringify(v)} (read as false)`);
  const scores: Score[] = verdict('compiled', reference.compiled, sim.compiled, describe(sim.compiled));

  if (reference.ran !== true) {
    const why = `not applicable: the real evaluator did not run the candidate (${reference.compiled ? (reference.not_run_reason ?? 'not run') : 'it did not compile'})`;
    scores.push(...notApplicable('correct', why), { metric: `${F}.speedup_abs_log_ratio`, value: null, reasons: [why] });
    return scores;
  }
  scores.push(...verdict('correct', reference.correct === true, sim.correct, describe(sim.correct)));

  const realSpeedup = reference.speedup;
  const simSpeedup = sim.speedup;
  if (typeof realSpeedup !== 'number' || !(realSpeedup > 0)) {
    scores.push({
      metric: `${F}.speedup_abs_log_ratio`,
      value: null,
      reasons: ['not applicable: the real evaluator reported no speedup (the candidate was not correct)'],
    });
  } else if (typeof simSpeedup !== 'number' || !(simSpeedup > 0)) {
    scores.push({
      metric: `${F}.speedup_abs_log_ratio`,
      value: null,
      reasons: [`not applicable: real speedup ${realSpeedup}, simulated speedup ${JSON.stringify(simSpeedup)} is not a positive number`],
    });
  } else {
    const value = Math.abs(Math.log(simSpeedup / realSpeedup));
    scores.push({
      metric: `${F}.speedup_abs_log_ratio`,
      value,
      reasons: [`real speedup ${realSpeedup}, simulated ${simSpeedup}: |ln ratio| = ${value.toFixed(4)}`],
    });
  }
  return scores;
}

function definitions(): Record<string, MetricDef> {
  const defs: Record<string, MetricDef> = {
    [`${F}.compiled`]: {
      label: 'agrees on compiled',
      direction: 'higher',
      kind: 'binary',
      how: "simulated `compiled` equals the real evaluator's (absent or non-boolean counts as false)",
    },
    [`${F}.correct`]: {
      label: 'agrees on correct',
      direction: 'higher',
      kind: 'binary',
      how: "simulated `correct` equals the real evaluator's, on calls the real evaluator ran (null otherwise: no run, nothing to agree with)",
    },
    [`${F}.speedup_abs_log_ratio`]: {
      label: 'speedup error |ln(sim/real)|',
      how: 'absolute log ratio of the simulated to the real speedup, on calls where both report one; the issue asks for its median (see harness/tools/kernel-eval/agreement-report.ts), the summary shows its mean',
      direction: 'lower',
      kind: 'unbounded',
      range: { min: 0, max: Infinity },
    },
  };
  for (const name of ['compiled', 'correct'] as const) {
    for (const c of CELLS) {
      defs[`${F}.${name}_${c}`] = {
        label: `${name} confusion ${c}`,
        // Agreement cells (tp, tn) are the ones to have more of, disagreement cells (fn, fp) fewer.
        direction: c === 'fn' || c === 'fp' ? 'lower' : 'higher',
        kind: 'binary',
        how: `1 when the call falls in the ${c} cell of the ${name} confusion matrix (${CELL_LABEL[c]}), else 0; mean x n is the cell's count`,
      };
    }
  }
  return defs;
}

export const kernelAgreement: ResponseFamily = {
  source: 'response',
  name: F,
  description: 'agreement of a simulated kernel evaluator with the real one: compiled, correct (with confusion matrices), speedup error',
  needs: { reference: true },
  metrics: definitions(),
  score: ({ parsed, reference }) => scoreKernelAgreement(parsed?.value, reference),
};
