// The shipped calibration set (issue 11 "How it is checked") and the reference-baseline warning.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildCalibrationSet, calibrationReport, scoreCalibration, type CalibrationRow } from '../harness/calibrate/calibrate.js';
import { auc, bleu4, spearman } from '../harness/calibrate/rank-stats.js';
import { referenceBaselineWarnings } from '../harness/report/reference-check.js';
import type { RunRecord } from '../harness/records/types.js';
import { loadSuite } from '../harness/suite/load.js';

const ROOT = new URL('..', import.meta.url).pathname;

test('the shipped set is what the builder makes from the default dataset; every calibration check holds', async () => {
  const suite = await loadSuite(join(ROOT, 'suites/default.yaml'), { env: { GTM_BASE_URL: 'http://127.0.0.1:9/v1', GTM_MODEL: 'x' } });
  const shipped = readFileSync(join(ROOT, 'datasets/calibration/answers.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as CalibrationRow);
  assert.equal(buildCalibrationSet(suite.calls), shipped);
  const report = calibrationReport(await scoreCalibration(suite.tools, suite.calls, shipped));
  const check = (prefix: string) => report.checks.filter((c) => c.name.startsWith(prefix));
  const baseline = check('reference baseline');
  assert.ok(baseline.length >= 8);
  for (const c of baseline) assert.ok(c.pass, `${c.name}: ${c.detail}`);
  for (const c of [...check('AUC'), ...check('share'), ...check('row-level Spearman')]) assert.ok(c.pass, `${c.name}: ${c.value}`);
  assert.is(check('row-level Spearman').length, 2);
  // Each damage kind: formatting-only damage keeps the content score; another call's response does not.
  for (const kind of ['python_repr', 'reordered_keys', 'stringified_json']) assert.is(report.byDamage[kind].means['semantic.reference'], 1, kind);
  assert.is(report.byDamage.python_repr.means['format.parse'], 0);
  assert.is(report.byDamage.python_repr.means['format.parse_repaired'], 1);
  assert.ok(report.byDamage.other_call.means['semantic.reference'] < 0.2);
});

test('rank statistics, hand-checked', () => {
  assert.is(spearman([1, 2, 3, 4], [10, 20, 30, 40]), 1);
  assert.is(spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1);
  assert.is(auc([0.9, 0.8], [0.1, 0.8]), 0.875); // (1 + 1 + 1 + 0.5) / 4
  assert.is(bleu4(['a', 'b', 'c', 'd'], ['a', 'b', 'c', 'd']), 1);
  assert.ok(bleu4(['x', 'y'], ['a', 'b', 'c', 'd']) < 0.2);
});

test('a reference baseline below 1.0 on a metric is named, with an example call', () => {
  const rec = (call_id: string, target: string, value: number): RunRecord =>
    ({
      call_id,
      target,
      scores: { 'semantic.reference': { value, reasons: ['results[0].name: 0.50'] }, 'logic.false_refusal': { value: 0, reasons: [] } },
    }) as unknown as RunRecord;
  const targets = [
    { name: 'reference', kind: 'baseline:reference' },
    { name: 'gtm', kind: 'openai' },
  ];
  assert.equal(referenceBaselineWarnings([rec('a', 'reference', 1), rec('b', 'gtm', 0.2)], targets), []);
  const w = referenceBaselineWarnings([rec('a', 'reference', 1), rec('b', 'reference', 0.5)], targets);
  assert.is(w.length, 1);
  assert.match(w[0], /semantic.reference below its perfect 1.0 on 1 of 2 calls, e.g. call b scored 0.5 \(results\[0\].name: 0.50\)/);
  const fr = referenceBaselineWarnings(
    [{ call_id: 'c', target: 'reference', scores: { 'logic.false_refusal': { value: 1, reasons: ['refused'] } } } as unknown as RunRecord],
    targets,
  );
  assert.match(fr[0], /logic.false_refusal below its perfect 0/);
});

test.run();
