/**
 * Accuracy curves (pure): one chart per curve metric, every series on it (trainer logs solid, checkpoint
 * evaluations dashed with their intervals), the hybrid switch step as a vertical rule, and each detected
 * collapse marked where it was detected, labelled with the step where it began.
 */
import type { CurvesData } from '../curves/types.js';
import type { Figure } from '../model.js';
import { chart } from './common.js';

const seriesLabel = (name: string, mode: string) => `${name} [${mode}]`;

export function curveFigures(curves: CurvesData): Figure[] {
  const metrics = [...new Set(curves.series.map((s) => s.metric))];
  return metrics.flatMap((metric, index) => {
    const series = curves.series.filter((s) => s.metric === metric && s.points.length);
    if (!series.length) return [];
    const points = series.flatMap((s) =>
      s.points.map((p) => ({
        series: seriesLabel(s.name, s.mode),
        mode: s.mode,
        source: s.source,
        step: p.step,
        value: p.value,
        ci_low: p.ci_low ?? null,
        ci_high: p.ci_high ?? null,
      })),
    );
    const switches = [
      ...new Set(series.flatMap((s) => (s.mode === 'hybrid' ? [s.switch_step ?? curves.switch_step] : [])).filter((x): x is number => x !== undefined)),
    ];
    const collapses = curves.summaries
      .filter((c) => c.metric === metric && c.collapse)
      .map((c) => ({
        series: seriesLabel(c.series, c.mode),
        step: c.collapse!.detected_step,
        value: c.collapse!.value_at_detection,
        label: `collapse began step ${c.collapse!.began_step}`,
      }));
    const order = series.map((s) => seriesLabel(s.name, s.mode));
    const color = { field: 'series', type: 'nominal', title: 'series [mode]', sort: order };
    const layers: Record<string, unknown>[] = [
      {
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          x: { field: 'step', type: 'quantitative', title: 'training step' },
          y: { field: 'value', type: 'quantitative', title: metric, scale: { zero: false } },
          color,
          strokeDash: {
            field: 'source',
            type: 'nominal',
            title: 'from',
            scale: {
              domain: ['trainer-log', 'checkpoints'],
              range: [
                [1, 0],
                [6, 3],
              ],
            },
          },
        },
      },
    ];
    // Layers over a subset of the points only when the subset is non-empty (an empty layer has no extent).
    if (points.some((p) => p.source === 'checkpoints')) {
      layers.push({
        transform: [{ filter: "datum.source === 'checkpoints'" }],
        mark: { type: 'point', filled: true, size: 40 },
        encoding: { x: { field: 'step', type: 'quantitative' }, y: { field: 'value', type: 'quantitative' }, color },
      });
    }
    if (points.some((p) => p.ci_low !== null && p.ci_high !== null)) {
      layers.push({
        transform: [{ filter: 'datum.ci_low !== null && datum.ci_high !== null' }],
        mark: { type: 'rule' },
        encoding: { x: { field: 'step', type: 'quantitative' }, y: { field: 'ci_low', type: 'quantitative' }, y2: { field: 'ci_high' }, color },
      });
    }
    if (switches.length) {
      const rules = switches.map((step) => ({ step, label: `hybrid switch: step ${step}` }));
      layers.push(
        { data: { values: rules }, mark: { type: 'rule', strokeDash: [4, 4], color: '#555' }, encoding: { x: { field: 'step', type: 'quantitative' } } },
        {
          data: { values: rules },
          mark: { type: 'text', align: 'left', dx: 4, dy: -4, baseline: 'top', color: '#555', fontSize: 11 },
          encoding: { x: { field: 'step', type: 'quantitative' }, y: { value: 0 }, text: { field: 'label' } },
        },
      );
    }
    if (collapses.length) {
      layers.push(
        {
          data: { values: collapses },
          mark: { type: 'point', shape: 'cross', size: 140, color: '#b3261e', strokeWidth: 2 },
          encoding: { x: { field: 'step', type: 'quantitative' }, y: { field: 'value', type: 'quantitative' } },
        },
        {
          data: { values: collapses },
          mark: { type: 'text', align: 'left', dx: 8, dy: 10, color: '#b3261e', fontSize: 11 },
          encoding: { x: { field: 'step', type: 'quantitative' }, y: { field: 'value', type: 'quantitative' }, text: { field: 'label' } },
        },
      );
    }
    const fig: Figure = {
      id: `curve-${index + 1}`,
      title: `Accuracy curve: ${metric}`,
      caption: `Every series of metric ${metric}: trainer logs (solid lines) and checkpoint evaluations (dashed, dots with 95% intervals when the summary has them). Dashed vertical rule: the hybrid switch step. Red cross: a collapse, where the curve first fell more than ${curves.collapse_drop} below its running best.`,
      spec: chart({ data: { values: points }, width: 620, height: 300, layer: layers }),
    };
    return [fig];
  });
}
