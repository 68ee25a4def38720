/**
 * report.md: the run in prose and tables, readable in a pull request or a terminal pager. It says what
 * produced every number (the backend column), how each metric was computed, and which targets did not run.
 */
import type { Manifest } from '../records/manifest.js';
import { fmt, fmtMetric, fmtScored, INTERVAL_NOTE } from './format-number.js';
import { metricDef, orderMetrics } from '../scoring/metric-registry.js';
import { BEST_MARK, BEST_NOTE, compareRow, directionalLabel, NOT_COMPARABLE_LABEL, notComparableNote } from './metric-marks.js';
import type { Summary, TargetSummary } from './summary.js';
import { renderServerSection } from './server-section.js';
import { breakdowns, notScoredRows } from './breakdowns.js';
import { errorClassMarkdown } from './error-classes.js';
import { invalidUtf8Notes } from './invalid-utf8.js';
import { pairedMarkdown, type PairedDifferences } from './paired-differences.js';
import { showControls } from '../util/visible-controls.js';
import { limitText } from './limit-text.js';

const esc = (s: string) => showControls(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');

function table(head: string[], rows: string[][]): string {
  return [`| ${head.map(esc).join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}

function targetsSection(summary: Summary): string {
  const rows = summary.targets.map((t) => [
    t.name,
    t.kind,
    t.backend,
    t.status === 'ran' ? 'ran' : `${t.status}${t.reason ? ': ' + t.reason : ''}`,
    String(t.calls),
    t.status === 'ran' ? `${t.errors} (${fmt(t.error_rate, 3)})` : '–',
    String(t.retries),
    t.latency_ms ? `${fmt(t.latency_ms.p50, 2)} / ${fmt(t.latency_ms.p90, 2)} / ${fmt(t.latency_ms.p99, 2)}` : '–',
  ]);
  const notes = invalidUtf8Notes(summary).map((n) => `\n${esc(n)}`);
  return (
    table(['target', 'kind', 'backend (produced these numbers)', 'status', 'calls', 'errors (rate)', 'retries', 'latency ms p50 / p90 / p99'], rows) +
    notes.join('\n')
  );
}

/** Metric rows, one column per target; the best value of a row in bold with ★, rows that cannot be compared flagged (metric-marks.ts). */
function metricTable(targets: TargetSummary[], pick: (t: TargetSummary) => Summary['targets'][number]['metrics'], withLegend = false): string {
  const ran = targets.filter((t) => t.status === 'ran');
  const metrics = orderMetrics(ran.flatMap((t) => Object.keys(pick(t))));
  const notes: string[] = [];
  let marked = false;
  const rows = metrics.map((metric) => {
    const row = compareRow(
      metric,
      targets.map((t) => ({ target: t.name, figures: t.status === 'ran' ? pick(t)[metric] : undefined })),
    );
    if (row.notComparable) notes.push(notComparableNote(metric, row.notComparable));
    if (row.best.length) marked = true;
    return [
      `${directionalLabel(metric)} (\`${metric}\`)${row.notComparable ? NOT_COMPARABLE_LABEL : ''}`,
      ...targets.map((t, i) => {
        if (t.status !== 'ran') return t.status;
        const m = pick(t)[metric];
        if (!m) return '–';
        return row.best.includes(i) ? `${BEST_MARK} **${fmtMetric(m)}** (${fmtScored(m)})` : `${fmtMetric(m)} (${fmtScored(m)})`;
      }),
    ];
  });
  // A table of no rows would be a bare header: one line instead.
  if (!rows.length) return 'No target produced scores here.';
  // The ★ legend once, under the main table; each table names its own rows that cannot be compared.
  const legend = [...(marked && withLegend ? [BEST_NOTE] : []), ...notes];
  return [table(['metric', ...targets.map((t) => t.name)], rows), ...(legend.length ? ['', ...legend.map((l) => `- ${l}`)] : [])].join('\n');
}

export function renderMarkdown(manifest: Manifest, summary: Summary, paired?: PairedDifferences): string {
  const out: string[] = [];
  out.push(`# gtm-bench run: ${manifest.suite.name}`);
  out.push('');
  out.push(`Run \`${manifest.run_id}\`, ${manifest.started_at} to ${manifest.ended_at ?? '(not finished)'}, status **${manifest.status}**.`);
  out.push('');
  out.push('## Inputs');
  out.push('');
  out.push(`- Suite: \`${manifest.suite.file}\` (version ${manifest.suite.version}, sha256 \`${manifest.suite.sha256.slice(0, 16)}…\`)`);
  for (const [name, d] of Object.entries(manifest.datasets)) {
    out.push(`- Dataset \`${name}\`: \`${d.path}\`, ${d.rows} calls, sha256 \`${d.sha256.slice(0, 16)}…\``);
  }
  out.push(
    `- Seed ${manifest.seed}, repeats ${manifest.repeats}, ${manifest.plan.items} work items${manifest.plan.limit !== null ? ` (${limitText(manifest.plan)})` : ''}`,
  );
  out.push(
    `- Harness ${manifest.harness.name} ${manifest.harness.version}, commit ${manifest.harness.git_commit ?? 'unknown'}${manifest.harness.git_dirty ? ' (with uncommitted changes)' : ''}; Node ${manifest.runtime.node} on ${manifest.runtime.host} (${manifest.runtime.cpus} CPUs)`,
  );
  if (manifest.judge) {
    const j = manifest.judge;
    out.push(
      j.status === 'ran'
        ? `- LLM judge: \`${j.backend}\`, rubric ${(j.rubric as { id: string; version: unknown }).id} v${(j.rubric as { version: unknown }).version}${j.counts ? ` (${j.counts.requested} requests, ${j.counts.cached} from cache, ${j.counts.failed} failed)` : ''}`
        : `- LLM judge: not configured (${j.reason}); no judge.* metrics in this run`,
    );
  }
  if (manifest.skipped_rows.length) out.push(`- ${manifest.skipped_rows.length} dataset rows skipped as malformed (listed in manifest.json)`);
  out.push('');
  out.push('## Targets');
  out.push('');
  out.push(targetsSection(summary));
  out.push(...errorClassMarkdown(summary));
  out.push(...renderServerSection(summary));
  out.push('');
  out.push('## Fidelity');
  out.push('');
  out.push(
    'Mean over the calls scored, with its 95% confidence interval, and how many of all calls were scored: calls that got no answer (transport errors, counted in the error rate above) and calls a metric does not apply to are counted beside each mean. An answered call with no parsed value is scored 0 by semantic and invariants, not left out.',
  );
  out.push('');
  out.push(metricTable(summary.targets, (t) => t.metrics, true));
  out.push(...pairedMarkdown(paired));
  const tools = [...new Set(summary.targets.flatMap((t) => Object.keys(t.by_tool)))].sort();
  if (tools.length > 1) {
    out.push('');
    out.push('## By tool');
    for (const tool of tools) {
      out.push('');
      out.push(`### ${tool}`);
      out.push('');
      out.push(metricTable(summary.targets, (t) => t.by_tool[tool] ?? {}));
    }
  }
  for (const b of breakdowns(summary)) {
    out.push('');
    out.push(`## ${b.title}`);
    out.push('');
    out.push(b.intro);
    for (const g of b.groups) {
      out.push('');
      out.push(`### ${b.field} = ${g.name}`);
      out.push('');
      out.push(metricTable(summary.targets, g.pick));
    }
  }
  const notScored = notScoredRows(summary);
  if (notScored.length) {
    out.push('');
    out.push('## Calls each mean leaves out');
    out.push('');
    out.push(
      "Every call not in a mean, counted with why: no answer (transport errors), or the metric does not apply to it (the scorer's reason, with the number of calls).",
    );
    out.push('');
    out.push(
      table(
        ['target', 'metric', 'scored', 'of', 'no answer', 'not applicable', 'why'],
        notScored.map((r) => [r.target, `\`${r.metric}\``, String(r.scored), String(r.of), String(r.no_answer), String(r.not_applicable), r.why]),
      ),
    );
  }
  const replicated = summary.targets.filter((t) => t.by_replica);
  if (replicated.length > 0) {
    out.push('');
    out.push('## By replica');
    out.push('');
    out.push('Calls counted by the replica that made their last attempt; ejections of failing replicas are in manifest.json (`targets[].runtime`).');
    out.push('');
    out.push('| target | replica | calls | errors | latency p50 ms | latency p90 ms |');
    out.push('| --- | --- | ---: | ---: | ---: | ---: |');
    for (const t of replicated) {
      for (const [url, r] of Object.entries(t.by_replica!)) {
        out.push(`| ${t.name} | \`${url}\` | ${r.calls} | ${r.errors} | ${r.latency_ms?.p50 ?? '-'} | ${r.latency_ms?.p90 ?? '-'} |`);
      }
    }
  }
  out.push('');
  out.push('## How the metrics are computed');
  out.push('');
  const used = orderMetrics(summary.targets.flatMap((t) => Object.keys(t.metrics)));
  for (const metric of used) {
    const info = metricDef(metric);
    out.push(`- \`${metric}\`: ${info ? info.how : 'no description registered'}.`);
  }
  out.push(`- ${INTERVAL_NOTE}`);
  out.push('');
  return out.join('\n');
}
