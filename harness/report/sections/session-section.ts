/**
 * The report's "Sessions by step index" section, for runs with multi-turn sessions: per target and metric,
 * the mean at each 0-based step, so a reader sees whether fidelity decays as sessions grow. Each cell says
 * how many calls it is a mean of; a metric with no value at a step shows as empty, never as 0.
 */
import { metricLabel } from '../../scoring/metric-registry.js';
import { tableBlock, type Section } from '../model.js';
import type { SessionStepFold } from '../session-steps.js';

export function sessionSection(fold: SessionStepFold): Section | null {
  const rows = fold.rows();
  if (!rows.length) return null;
  const steps = [...new Set(rows.map((r) => r.step))].sort((a, b) => a - b);
  const keys = [...new Set(rows.map((r) => `${r.target}\u0000${r.metric}`))];
  const cell = new Map(rows.map((r) => [`${r.target}\u0000${r.metric}\u0000${r.step}`, r]));
  const table = {
    id: 'session-steps',
    title: 'Mean per session step (0-based); n scored / calls at that step in brackets',
    columns: ['target', 'metric', ...steps.map((s) => `step ${s}`)],
    rows: keys.map((k) => {
      const [target, metric] = k.split('\u0000');
      return [
        target,
        metricLabel(metric),
        ...steps.map((s) => {
          const r = cell.get(`${k}\u0000${s}`);
          return r && r.mean !== null ? `${r.mean.toFixed(3)} (${r.n}/${r.of})` : r ? `- (0/${r.of})` : '';
        }),
      ];
    }),
  };
  const sessions = fold.sessions;
  return {
    id: 'sessions',
    title: 'Sessions by step index',
    intro: `${sessions} session runs (session x target x repeat). Each step is scored as a single call (format, logic, semantic against the real answer at that step); session consistency is scored once per session, on its last step. Does fidelity decay with session length?`,
    blocks: [tableBlock(table)],
  };
}
