/** The accuracy-curves section (pure): charts, curve summaries and any loading problems, or "not in this run". */
import { curveFigures } from '../charts/curve-specs.js';
import { AUC_METHOD, type CurvesData } from '../curves/types.js';
import { absentBlock, figureBlock, noteBlock, tableBlock, type Block, type Section, type Table } from '../model.js';

const NOT_IN_RUN = 'Not in this run: the suite has no curves section (trainer logs or checkpoint evaluations).';

export function curvesSummaryTable(curves: CurvesData): Table {
  return {
    id: 'curve-summaries',
    title: 'Curve summaries',
    columns: [
      'series',
      'mode',
      'metric',
      'points',
      'first step',
      'last step',
      'final',
      'final step',
      'best',
      'best step',
      'AUC (normalised)',
      'collapse began step',
      'collapse detected step',
      'collapse drop',
    ],
    rows: curves.summaries.map((c) => [
      c.series,
      c.mode,
      c.metric,
      c.points,
      c.first_step,
      c.last_step,
      c.final.value,
      c.final.step,
      c.best.value,
      c.best.step,
      c.auc,
      c.collapse?.began_step ?? null,
      c.collapse?.detected_step ?? null,
      c.collapse?.drop ?? null,
    ]),
    note: `AUC: ${AUC_METHOD}. Collapse: the first point more than ${curves.collapse_drop} below the running best; it began at the first step after that best.`,
  };
}

export function curvesSection(curves: CurvesData | undefined, absentReason?: string): Section {
  const base = { id: 'curves', title: 'Accuracy curves' };
  if (!curves) return { ...base, blocks: [absentBlock(absentReason ?? NOT_IN_RUN)] };
  const blocks: Block[] = curveFigures(curves).map(figureBlock);
  if (!blocks.length) blocks.push(noteBlock('The curves section produced no points.'));
  blocks.push(tableBlock(curvesSummaryTable(curves)));
  const notes = curves.series.filter((s) => s.note).map((s) => `${s.name}: ${s.note}`);
  for (const n of notes) blocks.push(noteBlock(n));
  blocks.push(
    tableBlock({
      id: 'curve-sources',
      title: 'Where each series comes from',
      columns: ['series', 'mode', 'metric', 'source', 'files (sha256)'],
      rows: curves.series.map((s) => [s.name, s.mode, s.metric, s.source, s.files.map((f) => `${f.path} (${f.sha256.slice(0, 12)})`).join('; ')]),
    }),
  );
  for (const p of curves.problems) blocks.push(noteBlock(`problem: ${p}`));
  return { ...base, blocks };
}
