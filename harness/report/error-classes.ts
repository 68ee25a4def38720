/**
 * Why calls failed, where a person looks: per target, each error class with its count, what it usually
 * means, and one verbatim message (secrets redacted). Before this, a wrong model name, a base URL without
 * /v1, a closed port and an HTML page all read "20 of 20 calls failed"; the reason was only in records.jsonl.
 * Pure over the summary: the terminal lines, report.md's section and report.html's table all come from here.
 */
import type { ErrorClass } from '../net/call-error.js';
import { redactMessage } from '../util/redact.js';
import { tableBlock, type Section, type Table } from './model.js';
import type { Summary } from './summary.js';
import { showControls } from '../util/visible-controls.js';

/** What a class usually means, in words that point at the fix. */
export const ERROR_CLASS_MEANING: Record<ErrorClass, string> = {
  timeout: "no complete answer within the target's timeout_ms",
  connection: 'nothing answered at the base URL: a closed port, a wrong host, or a server that went away',
  http_4xx: 'the server refused the request: 404 a wrong model name or a base URL without /v1, 401/403 a missing or wrong key, 400 a request it rejects',
  http_429: 'rate limited by the server',
  http_5xx: 'the server failed while answering',
  bad_response: 'a 2xx answer that is not the OpenAI API (an HTML page, a proxy, a body without choices)',
  response_too_large: "the answer passed the suite's limits.response_bytes; reading stopped there and the record keeps its head",
  tool_failure: 'the tool or baseline threw',
  not_configured: 'the target is not configured here',
  aborted: 'stopped before an answer came (Ctrl-C, or the served model server went down)',
};

export interface ErrorClassRow {
  target: string;
  class: string;
  count: number;
  /** The target's calls, for "count of calls". */
  calls: number;
  means: string;
  example: string;
}

export function errorClassRows(summary: Summary, secrets: readonly string[] = []): ErrorClassRow[] {
  return summary.targets.flatMap((t) =>
    Object.entries(t.errors_by_class)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([cls, count]) => ({
        target: t.name,
        class: cls,
        count,
        calls: t.calls,
        means: ERROR_CLASS_MEANING[cls as ErrorClass] ?? 'unknown class',
        example: redactMessage(t.error_examples?.[cls] ?? '(no message recorded)', secrets),
      })),
  );
}

/** Terminal lines: one per target with failed calls, then one per class with its example. */
export function errorClassLines(summary: Summary, secrets: readonly string[] = []): string[] {
  const rows = errorClassRows(summary, secrets);
  const out: string[] = [];
  for (const t of summary.targets) {
    const mine = rows.filter((r) => r.target === t.name);
    if (!mine.length) continue;
    out.push(`target ${t.name}: ${t.errors} of ${t.calls} calls failed:`);
    for (const r of mine) out.push(`  ${r.class} × ${r.count} (${r.means}), e.g. ${r.example}`);
  }
  return out;
}

export function errorClassTable(summary: Summary): Table {
  return {
    id: 'errors',
    title: 'Failed calls by error class',
    columns: ['target', 'error class', 'calls', 'of', 'what it usually means', 'example message (verbatim, secrets redacted)'],
    rows: errorClassRows(summary).map((r) => [r.target, r.class, r.count, r.calls, r.means, r.example]),
  };
}

/** report.html's section; undefined when no call failed (the targets table already says 0 errors). */
export function errorClassSection(summary: Summary): Section | undefined {
  const table = errorClassTable(summary);
  if (!table.rows.length) return undefined;
  return {
    id: 'errors',
    title: 'Why calls failed',
    intro:
      'Calls that got no usable answer, per target and error class, with one message as the backend gave it. These calls count in the error rate, not in the fidelity means.',
    blocks: [tableBlock(table)],
  };
}

/** report.md's section; empty when no call failed. */
export function errorClassMarkdown(summary: Summary): string[] {
  const rows = errorClassRows(summary);
  if (!rows.length) return [];
  const esc = (s: string) => showControls(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [
    '',
    '## Why calls failed',
    '',
    '| target | error class | calls | what it usually means | example message (verbatim, secrets redacted) |',
    '| --- | --- | ---: | --- | --- |',
    ...rows.map((r) => `| ${esc(r.target)} | ${r.class} | ${r.count} of ${r.calls} | ${esc(r.means)} | ${esc(r.example)} |`),
  ];
}
