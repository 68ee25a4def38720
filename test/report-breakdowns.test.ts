// No silent denominators and breakdowns (issue 11 items 3 and 9): every mean says scored n of N with the
// rest counted by why, and every metric is given per dataset and per --group-by group, in summary.json,
// report.md and report.html.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { RunRecord } from '../harness/records/types.js';
import { notScoredRows } from '../harness/report/breakdowns.js';
import { breakdownSections } from '../harness/report/sections/breakdown-sections.js';
import { checkGroupBy, groupValues } from '../harness/report/group-by.js';
import { renderMarkdown } from '../harness/report/markdown.js';
import { reasonKind } from '../harness/report/summary.js';
import { summariseRun } from '../harness/report/summary-fold.js';
import { summaryTable } from '../harness/report/terminal.js';
import { runSuite } from '../harness/run/run-suite.js';
import { createProgress } from '../harness/cli/progress.js';
import { UserError } from '../harness/util/errors.js';
import { runRecord, score } from './support/run-record.js';

type Scores = RunRecord['scores'];
let next = 0;
const rec = (dataset: string, tags: string[] | undefined, scores: Scores, error = false): RunRecord =>
  runRecord({
    item_id: `item-${String(next).padStart(3, '0')}`,
    call_id: `c${next++}`,
    tool: 'search',
    dataset,
    ...(tags ? { tags } : {}),
    target: 'sim',
    backend: 'sim',
    raw: error ? null : '{}',
    parse: { status: error ? 'none' : 'json' },
    error: error ? { class: 'timeout', message: 't' } : null,
    scores,
  });
const s = score;

const records = [
  rec('in-domain', ['level:1', 'nq'], { 'semantic.reference': s(1), 'logic.error_detected': s(null, 'no reference output for this call') }),
  rec('in-domain', ['level:2'], { 'semantic.reference': s(0.5) }),
  rec('in-domain', undefined, {}, true),
  rec('out-of-domain', ['level:2', 'level:3'], { 'semantic.reference': s(0, 'nothing parsed: every field of the reference is missing (scored 0)') }),
  rec('out-of-domain', ['nq'], { 'semantic.reference': s(null, 'no reference output for this call') }),
];
const targets = [{ name: 'sim', kind: 'openai', backend: 'sim', status: 'ran' as const }];

test('every mean counts what it leaves out: scored n of N, no answer, not applicable with why', () => {
  const sum = summariseRun({ name: 's', hash: 'h' }, targets, records);
  const m = sum.targets[0].metrics['semantic.reference'];
  assert.equal([m.n, m.of, m.no_answer, m.not_applicable], [3, 5, 1, 1]);
  assert.is(m.mean, 0.5);
  assert.equal(m.not_applicable_reasons, { 'no reference output for this call': 1 });
  // A metric emitted for one call only: the calls it was not emitted for are counted too.
  const e = sum.targets[0].metrics['logic.error_detected'];
  assert.equal([e.n, e.of, e.no_answer, e.not_applicable, e.mean], [0, 5, 1, 4, null]);
  assert.equal(e.not_applicable_reasons, { 'no reference output for this call': 1, 'not scored for this call': 3 });
  // The kind's interval, inside [0, 1].
  assert.is(m.method, 't-clipped');
  assert.ok(m.ci_low! >= 0 && m.ci_high! <= 1);
  const rows = notScoredRows(sum);
  assert.equal(
    rows.map((r) => [r.metric, r.scored, r.of]),
    [
      ['logic.error_detected', 0, 5],
      ['semantic.reference', 3, 5],
    ],
  );
  assert.is(rows[1].why, 'no answer: transport error (1); no reference output for this call (1)');
  assert.match(summaryTable(sum), /0\.500 \[0\.000, 1\.000\] scored 3\/5/);
});

test("reasons are counted by kind, without the call's details", () => {
  assert.is(reasonKind(['judge_error: timeout: no reply after 60000 ms']), 'judge_error: timeout');
  assert.is(
    reasonKind(['not applicable: the real evaluator did not run the candidate (no GPU: nvidia-smi not found)']),
    'not applicable: the real evaluator did not run the candidate',
  );
  assert.is(reasonKind(['judge_unparseable: not_json (I think it is fine.)']), 'judge_unparseable: not_json');
  assert.is(reasonKind(['no invariant applies to a result']), 'no invariant applies to a result');
  assert.is(reasonKind([]), 'not scored for this call');
});

test('per dataset always, per --group-by field on request; a call without the field is in (none)', () => {
  const sum = summariseRun({ name: 's', hash: 'h' }, targets, records, undefined, { groupBy: ['level', 'dataset', 'tag'] });
  const t = sum.targets[0];
  assert.equal(Object.keys(t.by_dataset), ['in-domain', 'out-of-domain']);
  assert.equal([t.by_dataset['in-domain']['semantic.reference'].n, t.by_dataset['in-domain']['semantic.reference'].of], [2, 3]);
  assert.is(t.by_dataset['out-of-domain']['semantic.reference'].mean, 0);
  assert.equal(sum.group_by, ['level', 'dataset', 'tag']);
  const level = t.by_group!.level;
  // (JSON objects list integer-like keys first, whatever the insertion order)
  assert.equal(Object.keys(level), ['1', '2', '3', '(none)']);
  // the call tagged level:2 and level:3 is in both groups
  assert.equal([level['2']['semantic.reference'].n, level['2']['semantic.reference'].mean], [2, 0.25]);
  assert.equal(level['(none)']['semantic.reference'].of, 2);
  assert.equal(Object.keys(t.by_group!.tag), ['(none)', 'level:1', 'level:2', 'level:3', 'nq']);
  assert.equal(groupValues({ dataset: 'd', tool: 't', expect_error: true }, 'expect_error'), ['true']);
  // Without --group-by nothing is added, and the summary stays a pure function of the records.
  const plain = summariseRun({ name: 's', hash: 'h' }, targets, [...records].reverse());
  assert.is(plain.targets[0].by_group, undefined);
  assert.is(plain.group_by, undefined);
  assert.equal(plain, summariseRun({ name: 's', hash: 'h' }, targets, records));

  const md = renderMarkdown(
    {
      run_id: 'r',
      started_at: '',
      ended_at: '',
      status: 'completed',
      suite: { name: 's', file: 's.yaml', version: '1', sha256: 'x'.repeat(64) },
      datasets: {},
      seed: 0,
      repeats: 1,
      plan: { items: 5, limit: null },
      harness: { name: 'gtm-bench', version: '0', git_commit: null, git_dirty: false },
      runtime: { node: '', host: '', cpus: 1 },
      skipped_rows: [],
    } as any,
    sum,
  );
  assert.match(md, /## By dataset/);
  assert.match(md, /### dataset = out-of-domain/);
  assert.match(md, /## By level/);
  assert.match(md, /### level = \(none\)/);
  assert.match(md, /scored 3 of 5, 1 no answer, 1 not applicable/);
  assert.match(md, /## Calls each mean leaves out/);
});

test('a --group-by field no call carries is refused, naming the fields there are', () => {
  const rows = records.map((r) => ({ dataset: r.dataset, tool: r.tool, tags: r.tags }));
  checkGroupBy(['level', 'tool', 'tag'], rows);
  try {
    checkGroupBy(['levle'], rows);
    assert.unreachable('should throw');
  } catch (err) {
    assert.instance(err, UserError);
    assert.is(
      (err as Error).message,
      '--group-by levle: no call has a field or tag levle:<value>; calls here can be grouped by dataset, tool, expect_error, tag, level (tags level:...)',
    );
  }
});

test('run --group-by: kept in the manifest, in summary.json and both reports; a typo stops the run before any call', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'gtm-bench-groupby-'));
  try {
    const quiet = createProgress({ interactive: false, quiet: true });
    const suiteFile = new URL('../suites/default.yaml', import.meta.url).pathname;
    const out = join(tmp, 'run');
    const r = await runSuite({ suiteFile, out, argv: [], progress: quiet, env: {}, targets: ['schema-faker'], groupBy: ['expect_error'], preflight: false });
    assert.equal(r.manifest.group_by, ['expect_error']);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    assert.equal(Object.keys(summary.targets[0].by_group.expect_error), ['false', 'true']);
    assert.match(readFileSync(join(out, 'report.md'), 'utf8'), /### expect_error = true/);
    assert.match(readFileSync(join(out, 'report.html'), 'utf8'), /expect_error = true/);
    const typo = await runSuite({
      suiteFile,
      limit: 5,
      out: join(tmp, 'typo'),
      argv: [],
      progress: quiet,
      env: {},
      targets: ['schema-faker'],
      groupBy: ['difficulty'],
      preflight: false,
    }).then(
      () => null,
      (err: unknown) => err,
    );
    assert.instance(typo, UserError);
    assert.match((typo as Error).message, /^--group-by difficulty: no call has a field or tag difficulty/);
    assert.not.ok(existsSync(join(tmp, 'typo')), 'no run folder: stopped before any call');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('one dataset: report.html says so once (the section intro), not again in a note below it', () => {
  const one = records.filter((r) => r.dataset === 'in-domain');
  const [section] = breakdownSections(summariseRun({ name: 's', hash: 'h' }, targets, one));
  assert.is(section.title, 'By dataset');
  assert.match(section.intro!, /Every call comes from dataset in-domain/);
  assert.equal(section.blocks, []);
});

test.run();
