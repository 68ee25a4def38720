/**
 * Calibration: does the scorer rank answers the way their damage says it should? Built from the project's
 * own real tools (the default suite's recorded country-facts responses) and deliberately damaged answers
 * (damage.ts). Checks, each with its threshold:
 *   - the undamaged answer (the reference baseline) scores 1.0 on every format/logic/semantic metric, with
 *     error detection 1 and false refusals 0;
 *   - semantic.reference separates an answer from another call's real response: AUC >= 0.95, and at most
 *     2% of other calls' responses score >= 0.8;
 *   - row level, semantic.reference agrees with a sentence BLEU-4 and a ROUGE-L computed here on the values
 *     of answer and reference (their leaves in sorted-key order, key names left out: they are shared by every
 *     answer of a tool and would make any two responses look alike) (Spearman >= 0.9).
 * Per damage kind the mean scores are reported beside the undamaged ones (no threshold: they describe).
 */
import { parseToolOutput } from '../parse/json-from-text.js';
import { compileTool } from '../scoring/compile.js';
import { scoreFormat } from '../scoring/format.js';
import { scoreLogic } from '../scoring/logic.js';
import { scoreSemantic } from '../scoring/semantic.js';
import { decodeStructured } from '../scoring/structured-string.js';
import { tokenize } from '../scoring/text-sim.js';
import type { CompiledTool } from '../scoring/types.js';
import type { DatasetCall, ToolSpec } from '../suite/types.js';
import { canonicalJson } from '../util/hash.js';
import { DAMAGE_KINDS, damage, type DamageKind } from './damage.js';
import { auc, bleu4, rougeL, spearman } from './rank-stats.js';

export interface CalibrationRow {
  id: string;
  call_id: string;
  damage: DamageKind;
  answer: string;
}

export const THRESHOLDS = { auc: 0.95, other_high_share: 0.02, other_high_score: 0.8, spearman: 0.9 };

/** Every damage kind of every call with a reference; `other_call` takes the response of the call 7 places on among the tool's calls. */
export function buildCalibrationSet(calls: readonly DatasetCall[]): CalibrationRow[] {
  const byTool = new Map<string, DatasetCall[]>();
  for (const c of calls) if (c.reference !== undefined) byTool.set(c.tool, [...(byTool.get(c.tool) ?? []), c]);
  const rows: CalibrationRow[] = [];
  for (const c of calls) {
    const same = byTool.get(c.tool);
    if (!same) continue;
    const i = same.indexOf(c);
    if (i < 0) continue;
    let other: unknown;
    for (let k = 1; k < same.length && other === undefined; k++) {
      const cand = same[(i + 7 * k) % same.length];
      if (canonicalJson(cand.reference) !== canonicalJson(c.reference)) other = cand.reference;
    }
    for (const kind of DAMAGE_KINDS) {
      const answer = damage(kind, c.reference, other);
      if (answer !== undefined) rows.push({ id: `${c.id}:${kind}`, call_id: c.id, damage: kind, answer });
    }
  }
  return rows;
}

export interface ScoredRow extends CalibrationRow {
  scores: Record<string, number | null>;
  bleu4: number;
  rouge_l: number;
}

export async function scoreCalibration(tools: readonly ToolSpec[], calls: readonly DatasetCall[], rows: readonly CalibrationRow[]): Promise<ScoredRow[]> {
  const compiled = new Map<string, CompiledTool>(tools.map((t) => [t.name, compileTool(t)]));
  const byId = new Map(calls.map((c) => [c.id, c]));
  const out: ScoredRow[] = [];
  for (const row of rows) {
    const call = byId.get(row.call_id);
    if (!call) throw new Error(`calibration row ${row.id}: no call ${row.call_id} in the dataset`);
    const tool = compiled.get(call.tool)!;
    const parsed = parseToolOutput(row.answer);
    const scores: Record<string, number | null> = {};
    const input = { tool, call, parsed, reference: call.reference };
    for (const s of [...scoreFormat(input), ...(await scoreLogic(input)), ...scoreSemantic(input)]) scores[s.metric] = s.value;
    const text = (v: unknown) => tokenize(leafText(v));
    const value = parsed.outcome === 'strict' || parsed.outcome === 'repaired' ? parsed.value : undefined;
    const decoded = typeof value === 'string' ? decodeStructured(value) : undefined;
    const cand = value === undefined ? tokenize(row.answer) : text(decoded ? decoded.value : value);
    const ref = text(call.reference);
    out.push({ ...row, scores, bleu4: bleu4(cand, ref), rouge_l: rougeL(cand, ref) });
  }
  return out;
}

export interface Check {
  name: string;
  value: number;
  pass: boolean;
  detail: string;
}

export interface CalibrationReport {
  rows: number;
  /** damage kind -> metric -> mean over the rows of that kind (null values left out, counted in n). */
  byDamage: Record<string, { n: number; means: Record<string, number> }>;
  checks: Check[];
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

export function calibrationReport(scored: readonly ScoredRow[]): CalibrationReport {
  const byDamage: CalibrationReport['byDamage'] = {};
  for (const kind of DAMAGE_KINDS) {
    const rs = scored.filter((r) => r.damage === kind);
    if (rs.length === 0) continue;
    const metrics = [...new Set(rs.flatMap((r) => Object.keys(r.scores)))];
    const means: Record<string, number> = {};
    for (const m of metrics) {
      const vs = rs.map((r) => r.scores[m]).filter((v): v is number => v !== null && v !== undefined);
      if (vs.length) means[m] = mean(vs);
    }
    byDamage[kind] = { n: rs.length, means };
  }
  const checks: Check[] = [];
  const base = scored.filter((r) => r.damage === 'undamaged');
  const metrics = [...new Set(base.flatMap((r) => Object.keys(r.scores)))];
  for (const m of metrics) {
    const perfect = m === 'logic.false_refusal' ? 0 : 1;
    const off = base.filter((r) => r.scores[m] !== undefined && r.scores[m] !== null && r.scores[m] !== perfect);
    checks.push({
      name: `reference baseline ${m} = ${perfect}`,
      value: byDamage.undamaged.means[m],
      pass: off.length === 0,
      detail: off.length ? `${off.length} calls off, e.g. ${off[0].call_id}` : '',
    });
  }
  const own = base.map((r) => r.scores['semantic.reference'] ?? 0);
  const others = scored.filter((r) => r.damage === 'other_call').map((r) => r.scores['semantic.reference'] ?? 0);
  const a = auc(own, others);
  checks.push({
    name: `AUC of semantic.reference, answer vs another call's real response >= ${THRESHOLDS.auc}`,
    value: a,
    pass: a >= THRESHOLDS.auc,
    detail: `${own.length} answers, ${others.length} other responses`,
  });
  const high = others.filter((v) => v >= THRESHOLDS.other_high_score).length / others.length;
  checks.push({
    name: `share of other calls' responses scoring >= ${THRESHOLDS.other_high_score} <= ${THRESHOLDS.other_high_share}`,
    value: high,
    pass: high <= THRESHOLDS.other_high_share,
    detail: `${Math.round(high * others.length)} of ${others.length}`,
  });
  const sem = scored.map((r) => r.scores['semantic.reference'] ?? 0);
  const sb = spearman(
    sem,
    scored.map((r) => r.bleu4),
  );
  const sr = spearman(
    sem,
    scored.map((r) => r.rouge_l),
  );
  checks.push({
    name: `row-level Spearman of semantic.reference vs sentence BLEU-4 >= ${THRESHOLDS.spearman}`,
    value: sb,
    pass: sb >= THRESHOLDS.spearman,
    detail: `${scored.length} rows`,
  });
  checks.push({
    name: `row-level Spearman of semantic.reference vs ROUGE-L >= ${THRESHOLDS.spearman}`,
    value: sr,
    pass: sr >= THRESHOLDS.spearman,
    detail: `${scored.length} rows`,
  });
  return { rows: scored.length, byDamage, checks };
}

/** The leaf values of a JSON value in sorted-key order, as text. */
function leafText(v: unknown): string {
  if (v === null || typeof v !== 'object') return String(v);
  if (Array.isArray(v)) return v.map(leafText).join(' ');
  return Object.keys(v as Record<string, unknown>)
    .sort()
    .map((k) => leafText((v as Record<string, unknown>)[k]))
    .join(' ');
}
