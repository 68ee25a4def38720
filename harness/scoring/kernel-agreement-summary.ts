/**
 * Per target: the confusion matrices of `compiled` and `correct` against the real evaluator, and the
 * speedup error's median (the figure; summary.json gives means only), from the per-call
 * kernel_agreement scores of a run's records. Pure reduction over records.
 */
import type { RunRecord } from '../records/types.js';
import { mean, median } from './stats.js';

export interface Confusion {
  tp: number;
  fn: number;
  fp: number;
  tn: number;
  /** Calls where the verdict applied. */
  n: number;
  accuracy: number | null;
}

export interface KernelAgreementRow {
  target: string;
  backend: string;
  compiled: Confusion;
  correct: Confusion;
  speedup_abs_log_ratio: { n: number; median: number | null; mean: number | null };
}

function confusion(records: RunRecord[], name: 'compiled' | 'correct'): Confusion {
  const c = { tp: 0, fn: 0, fp: 0, tn: 0 };
  let agree = 0;
  let n = 0;
  for (const r of records) {
    const v = r.scores[`kernel_agreement.${name}`]?.value;
    if (v === null || v === undefined) continue;
    n++;
    agree += v;
    for (const cell of ['tp', 'fn', 'fp', 'tn'] as const) c[cell] += r.scores[`kernel_agreement.${name}_${cell}`]?.value ?? 0;
  }
  return { ...c, n, accuracy: n ? agree / n : null };
}

export function kernelAgreementTable(records: RunRecord[]): KernelAgreementRow[] {
  const byTarget = new Map<string, RunRecord[]>();
  for (const r of records) {
    if (!('kernel_agreement.compiled' in r.scores)) continue;
    if (!byTarget.has(r.target)) byTarget.set(r.target, []);
    byTarget.get(r.target)!.push(r);
  }
  return [...byTarget].map(([target, rs]) => {
    const ratios = rs.map((r) => r.scores['kernel_agreement.speedup_abs_log_ratio']?.value).filter((v): v is number => typeof v === 'number');
    return {
      target,
      backend: rs[0].backend,
      compiled: confusion(rs, 'compiled'),
      correct: confusion(rs, 'correct'),
      speedup_abs_log_ratio: { n: ratios.length, median: median(ratios), mean: mean(ratios) },
    };
  });
}

export function renderKernelAgreement(rows: KernelAgreementRow[]): string {
  const fmt = (v: number | null, d = 3) => (v === null ? 'n/a' : v.toFixed(d));
  const cm = (c: Confusion) => (c.n ? `acc ${fmt(c.accuracy)} (n=${c.n}; tp ${c.tp}, fn ${c.fn}, fp ${c.fp}, tn ${c.tn})` : 'not applicable (n=0)');
  return rows
    .map((r) =>
      [
        `${r.target} [${r.backend}]`,
        `  compiled: ${cm(r.compiled)}`,
        `  correct:  ${cm(r.correct)}`,
        `  speedup |ln(sim/real)|: median ${fmt(r.speedup_abs_log_ratio.median)}, mean ${fmt(r.speedup_abs_log_ratio.mean)} (n=${r.speedup_abs_log_ratio.n})`,
      ].join('\n'),
    )
    .join('\n');
}
