/**
 * The worst-cases section as HTML (pure): per target, each low-scoring call with its arguments, the recorded
 * real response, the live real tool's answer when one ran, and the target's answer side by side, followed
 * by every scorer's value and reasons. Everything from records is escaped: model output is untrusted text. Long
 * texts show their head and their size (long-text.ts).
 */
import type { TargetWorstCases, WorstCase } from '../worst-cases.js';
import type { Table } from '../model.js';
import { escapeHtml } from './escape.js';
import { longJsonHtml, longTextHtml } from './long-text.js';

function pane(title: string, body: string): string {
  return `<div><h4>${escapeHtml(title)}</h4><pre>${body}</pre></div>`;
}

function rawOrError(c: WorstCase): string {
  const r = c.record;
  if (r.error) return longTextHtml(`(no answer: ${r.error.class}: ${r.error.message})`);
  // A stored head (raw_cut) is shown with the size of the whole answer.
  return r.raw === null ? escapeHtml('(empty)') : longTextHtml(r.raw, r.raw_cut?.bytes);
}

function caseHtml(c: WorstCase, open: boolean): string {
  const r = c.record;
  const scores = Object.entries(r.scores)
    .map(([metric, s]) => {
      const reasons = s.reasons.length ? `: ${s.reasons.join('; ')}` : '';
      return `<li><code>${escapeHtml(metric)}</code> = ${s.value === null ? 'n/a' : escapeHtml(s.value.toFixed(3))}${escapeHtml(reasons)}</li>`;
    })
    .join('');
  const panes = [
    'arguments' in c
      ? pane(`arguments (${r.tool})`, longJsonHtml(c.arguments))
      : pane(`request sent (${r.tool}; arguments not found)`, longJsonHtml(r.request)),
    pane(
      'real response (recorded in the dataset)',
      'reference' in c ? longJsonHtml(c.reference) : escapeHtml('(not available: the dataset has no reference for this call, or it changed since the run)'),
    ),
    ...(c.live_real
      ? [pane(`real tool, live (target ${c.live_real.target})`, c.live_real.raw === null ? escapeHtml('(empty)') : longTextHtml(c.live_real.raw))]
      : []),
    pane(`simulated response (target ${r.target}, parse: ${r.parse.status})`, rawOrError(c)),
  ];
  const flags = [r.expect_error ? 'invalid call (a faithful tool refuses it)' : null, r.repeat ? `repeat ${r.repeat}` : null].filter(Boolean).join(', ');
  return `<details class="case"${open ? ' open' : ''} data-call="${escapeHtml(r.call_id)}"><summary><code>${escapeHtml(r.call_id)}</code> · ${escapeHtml(r.tool)} · score ${escapeHtml(c.score.toFixed(3))}${flags ? ' · ' + escapeHtml(flags) : ''}</summary>
<div class="side-by-side">${panes.join('')}</div>
<ul class="reasons">${scores}</ul></details>`;
}

export function worstCasesHtml(groups: readonly TargetWorstCases[]): string {
  return groups
    .map((g) => {
      const head = `<h3>target ${escapeHtml(g.target)}</h3>`;
      const counts = `<p class="table-note">${g.scored} scored calls${g.unanswered ? `, ${g.unanswered} without an answer (in the error rate, not ranked)` : ''}.</p>`;
      // With nothing scored, "no call scored below 1" would read as a perfect target: say that nothing was scored.
      if (!g.cases.length && !g.scored)
        return `${head}\n<p class="note">No call of this target was scored${g.unanswered ? ': every call failed (see "Why calls failed")' : ''}.</p>\n${counts}`;
      if (!g.cases.length) return `${head}\n<p class="note">No call of this target scored below 1.</p>\n${counts}`;
      // The worst call of each target starts open, so the side-by-side view is visible without a click.
      return `${head}\n${g.cases.map((c, i) => caseHtml(c, i === 0)).join('\n')}\n${counts}`;
    })
    .join('\n');
}

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));

export function worstCasesTable(groups: readonly TargetWorstCases[]): Table {
  return {
    id: 'worst-cases',
    title: 'Lowest-scoring calls per target',
    export_only: true,
    columns: ['target', 'call_id', 'repeat', 'tool', 'score', 'expect_error', 'arguments', 'reference', 'live_real', 'response', 'error', 'scores_and_reasons'],
    rows: groups.flatMap((g) =>
      g.cases.map((c) => {
        const r = c.record;
        return [
          r.target,
          r.call_id,
          r.repeat,
          r.tool,
          c.score,
          r.expect_error,
          json(c.arguments),
          json(c.reference),
          c.live_real?.raw ?? null,
          r.raw,
          r.error ? `${r.error.class}: ${r.error.message}` : null,
          Object.entries(r.scores)
            .map(([m, s]) => `${m}=${s.value === null ? 'n/a' : s.value.toFixed(3)}${s.reasons.length ? ' (' + s.reasons.join('; ') + ')' : ''}`)
            .join(' | '),
        ];
      }),
    ),
  };
}
