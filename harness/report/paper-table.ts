/**
 * The paper-reproduction table (pure): each figure of baselines/paper-2512.04535.json beside this run's
 * figure for the same quantity, or "not measured in this run", and their ratio. Where a run's number comes
 * from is spelt out per row. This harness's runs are not the paper's set-up (policy, datasets, hardware
 * differ), so a ratio is a pointer for reading, not a reproduction verdict.
 */
import type { AgentMode, AgentSection } from './agent-contract.js';
import type { CurvesData, CurveSummary } from './curves/types.js';
import type { Summary } from './summary.js';
import { fmtScored } from './format-number.js';
import { UserError } from '../util/errors.js';

export interface PaperFigure {
  id: string;
  quantity: string;
  value: number | string;
  unit: string | null;
  where: string;
  source: string;
  verified: boolean;
}

export interface PaperBaseline {
  baseline_kind: 'paper';
  paper: { id: string; title: string; url?: string };
  figures: PaperFigure[];
}

export interface ReproductionRow {
  figure: PaperFigure;
  /** Which run quantity this row holds (a target, a curve series), when one paper figure maps to several. */
  subject: string | null;
  this_run: number | null;
  /** The run's figure as shown: a number with its interval, a finding, or "not measured in this run". */
  this_run_text: string;
  ratio: number | null;
  /** Where the run's number comes from. */
  measured_by: string;
}

export const NOT_MEASURED = 'not measured in this run';
export const SETUP_CAVEAT =
  "This harness's runs are not the paper's set-up: the policy model, datasets, tools, RL algorithm and hardware differ, and the paper's own figures are known only through the sources labelled per row (verified: false until checked against the PDF). Ratios are for orientation, not a verdict on reproduction.";

/** Reads a paper baseline file's parsed JSON, checking the fields the table uses. */
export function parsePaperBaseline(doc: unknown, display: string): PaperBaseline {
  const d = doc as Partial<PaperBaseline> | null;
  if (!d || d.baseline_kind !== 'paper' || !Array.isArray(d.figures)) {
    throw new UserError(`${display}: expected a paper baseline ({baseline_kind: "paper", paper, figures: [...]})`);
  }
  d.figures.forEach((f, i) => {
    for (const key of ['id', 'quantity', 'where', 'source'] as const) {
      if (typeof f?.[key] !== 'string') throw new UserError(`${display}: figures[${i}].${key}: expected a string`);
    }
    if (typeof f.value !== 'number' && typeof f.value !== 'string') throw new UserError(`${display}: figures[${i}].value: expected a number or a string`);
    if (typeof f.verified !== 'boolean') throw new UserError(`${display}: figures[${i}].verified: expected true or false`);
  });
  return d as PaperBaseline;
}

interface Measured {
  subject: string | null;
  value: number | null;
  text: string;
  how: string;
}

/** `digits` decimals, but never fewer than three significant digits (a 0.08 s step must not print as 0.1). */
const num = (x: number, digits: number) => (x !== 0 && Math.abs(x) < 10 ** (2 - digits) ? x.toPrecision(3) : x.toFixed(digits));
const interval = (lo: number | null | undefined, hi: number | null | undefined, digits: number, scale = 1) =>
  lo === null || lo === undefined || hi === null || hi === undefined ? '' : ` [${num(lo * scale, digits)}, ${num(hi * scale, digits)}]`;

interface RunView {
  summary?: Summary;
  agent?: AgentSection;
  curves?: CurvesData;
}

function stepTime(agent: AgentSection | undefined, task: string, mode: AgentMode): Measured[] {
  const m = agent?.task === task ? agent.modes[mode]?.step_wall_ms : undefined;
  if (!m || m.mean === null) return [];
  const v = m.mean / 1000;
  return [
    {
      subject: null,
      value: v,
      text: `${num(v, 1)} s${interval(m.ci_low, m.ci_high, 1, 1 / 1000)} (n=${m.n} steps)`,
      how: `summary.agent.modes.${mode}.step_wall_ms (${task} run), ms -> s`,
    },
  ];
}

function speedup(agent: AgentSection | undefined, task: string): Measured[] {
  const s = agent?.task === task ? agent.speedup?.step_time_gtm_over_real : undefined;
  if (!s || s.estimate === null) return [];
  return [
    {
      subject: null,
      value: s.estimate,
      text: `${num(s.estimate, 2)}x${interval(s.ci_low, s.ci_high, 2)}`,
      how: `summary.agent.speedup.step_time_gtm_over_real (${task} run; ${s.method})`,
    },
  ];
}

function accuracyCurves(curves: CurvesData | undefined, mode: string): CurveSummary[] {
  if (!curves || !curves.accuracy_metric) return [];
  return curves.summaries.filter((s) => s.metric === curves.accuracy_metric && s.mode === mode);
}

const MAPPINGS: Record<string, (run: RunView) => Measured[]> = {
  search_step_time_gtm: ({ agent }) => stepTime(agent, 'search', 'gtm'),
  search_step_time_real: ({ agent }) => stepTime(agent, 'search', 'real'),
  search_step_speedup: ({ agent }) => speedup(agent, 'search'),
  kernel_step_speedup: ({ agent }) => speedup(agent, 'kernel'),
  hybrid_final_accuracy: ({ curves }) =>
    accuracyCurves(curves, 'hybrid').map((c) => ({
      subject: c.series,
      value: c.final.value,
      text: `${num(c.final.value, 3)} at step ${c.final.step}`,
      how: `final point of curve ${c.series} (${c.metric}, hybrid)`,
    })),
  hybrid_switch_step: ({ curves }) => {
    const perSeries = (curves?.series ?? []).filter((s) => s.mode === 'hybrid').map((s) => s.switch_step ?? curves?.switch_step);
    const steps = new Set(perSeries.length ? perSeries : [curves?.switch_step]);
    return [...steps]
      .filter((s): s is number => s !== undefined)
      .map((s) => ({ subject: null, value: s, text: `step ${s}`, how: 'switch_step of the hybrid curves (suite curves section)' }));
  },
  gtm_only_collapse_step: ({ curves }) =>
    accuracyCurves(curves, 'gtm').map((c) =>
      c.collapse
        ? {
            subject: c.series,
            value: c.collapse.began_step,
            text: `began at step ${c.collapse.began_step} (peak ${num(c.collapse.peak_value, 3)}, detected at step ${c.collapse.detected_step})`,
            how: `collapse detector on curve ${c.series} (drop > ${curves!.collapse_drop} from the running best)`,
          }
        : { subject: c.series, value: null, text: `no collapse detected (drop > ${curves!.collapse_drop})`, how: `collapse detector on curve ${c.series}` },
    ),
  gtm_only_vs_real_final: ({ curves }) => {
    const gtm = accuracyCurves(curves, 'gtm');
    const real = accuracyCurves(curves, 'real');
    return gtm.flatMap((g) =>
      real
        .filter((r) => r.final.value !== 0)
        .map((r) => {
          const v = ((g.final.value - r.final.value) / r.final.value) * 100;
          return {
            subject: `${g.series} vs ${r.series}`,
            value: v,
            text: `${v >= 0 ? '+' : ''}${num(v, 1)}%`,
            how: 'final accuracy, (gtm - real) / real, from the curves',
          };
        }),
    );
  },
  error_detection_rate: ({ summary }) =>
    (summary?.targets ?? [])
      .filter((t) => t.kind === 'openai' && t.status === 'ran' && t.metrics['logic.error_detected']?.mean != null)
      .map((t) => {
        const m = t.metrics['logic.error_detected'];
        return {
          subject: t.name,
          value: m.mean! * 100,
          text: `${num(m.mean! * 100, 1)}%${interval(m.ci_low, m.ci_high, 1, 100)} (${fmtScored(m)})`,
          how: `logic.error_detected x 100, target ${t.name} (${t.backend}); the paper's definition is not known`,
        };
      }),
};

export function paperReproduction(paper: PaperBaseline, run: RunView): ReproductionRow[] {
  return paper.figures.flatMap((figure) => {
    const measured = MAPPINGS[figure.id]?.(run) ?? [];
    if (!measured.length) {
      const how = MAPPINGS[figure.id]
        ? 'this run has no such quantity'
        : typeof figure.value === 'number'
          ? 'gtm-bench has no measurement of this quantity'
          : 'descriptive; no run quantity';
      return [{ figure, subject: null, this_run: null, this_run_text: NOT_MEASURED, ratio: null, measured_by: how }];
    }
    return measured.map((m) => ({
      figure,
      subject: m.subject,
      this_run: m.value,
      this_run_text: m.text,
      ratio: m.value !== null && typeof figure.value === 'number' && figure.value !== 0 ? m.value / figure.value : null,
      measured_by: m.how,
    }));
  });
}
