/** Accuracy curves: trainer-log parsing, curve summaries (final, best, AUC, collapse), checkpoints, the suite section. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import '../harness/builtin.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsv, curvesFromLog } from '../harness/report/curves/trainer-log.js';
import { detectCollapse, normalisedAuc, summariseCurve } from '../harness/report/curves/curve-summary.js';
import { checkpointPoint, valueAtPointer } from '../harness/report/curves/checkpoint-curve.js';
import { loadCurves } from '../harness/report/curves/load-curves.js';
import { curveFigures } from '../harness/report/charts/curve-specs.js';
import { readSuite } from '../harness/suite/load.js';
import { UserError } from '../harness/util/errors.js';
import type { CurveSeries } from '../harness/report/curves/types.js';

const EXAMPLE = new URL('../suites/examples/curves.yaml', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'gtm-curves-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

const pts = (pairs: [number, number][]) => pairs.map(([step, value]) => ({ step, value }));
const series = (points: [number, number][]): CurveSeries => ({
  name: 's',
  mode: 'gtm',
  metric: 'accuracy',
  source: 'trainer-log',
  files: [],
  points: pts(points),
});

test('CSV: quoted fields, doubled quotes, CRLF, a newline inside quotes, and the line each record starts on', () => {
  const rows = parseCsv('step,"val, acc",note\r\n1,0.5,"say ""hi"""\r\n2,0.6,"two\nlines"\n3,0.7,x\n');
  assert.equal(
    rows.map((r) => r.line),
    [1, 2, 3, 5],
  );
  assert.equal(rows[0].fields, ['step', 'val, acc', 'note']);
  assert.equal(rows[1].fields, ['1', '0.5', 'say "hi"']);
  assert.equal(rows[2].fields, ['2', '0.6', 'two\nlines']);
});

test('trainer log: mapped columns become sorted curves; blank cells skipped; a repeated step keeps its last value', () => {
  const csv = 'step,val/acc,loss\n10,0.3,1.2\n0,0.1,2.0\n5,,1.5\n10,0.35,1.1\n';
  const r = curvesFromLog(csv, { display: 'log.csv', format: 'csv', step_column: 'step', metrics: { accuracy: 'val/acc', loss: 'loss' } });
  assert.equal(r.problems, []);
  assert.equal(
    r.points.accuracy,
    pts([
      [0, 0.1],
      [10, 0.35],
    ]),
  );
  assert.equal(
    r.points.loss,
    pts([
      [0, 2.0],
      [5, 1.5],
      [10, 1.1],
    ]),
  );
  const jsonl = '{"it": 2, "acc": 0.4}\n{"it": 1, "acc": 0.2}\nnot json\n';
  const j = curvesFromLog(jsonl, { display: 'log.jsonl', format: 'jsonl', step_column: 'it', metrics: { accuracy: 'acc' } });
  assert.equal(
    j.points.accuracy,
    pts([
      [1, 0.2],
      [2, 0.4],
    ]),
  );
  assert.match(j.problems[0], /^log\.jsonl:3: not a JSON object/);
});

test('trainer log problems name the file, the line and the columns the log has', () => {
  const missing = curvesFromLog('iter,acc\n1,0.2\n', { display: 'a.csv', format: 'csv', step_column: 'step', metrics: { accuracy: 'val/acc' } });
  assert.equal(missing.problems, ['a.csv: expected columns step, val/acc; the log has: iter, acc']);
  const bad = curvesFromLog('step,acc\n1,0.2\n2,oops\nx,0.3\n', { display: 'b.csv', format: 'csv', step_column: 'step', metrics: { accuracy: 'acc' } });
  assert.equal(bad.problems, ['b.csv:3: acc: expected a number, found "oops"', 'b.csv:4: step: expected a number, found "x"']);
  assert.equal(bad.points.accuracy, pts([[1, 0.2]]));
});

test('AUC is the trapezoid area over steps divided by the step range', () => {
  // (0.2+0.4)/2*10 + (0.4+0.4)/2*30 = 3 + 12 = 15 over a range of 40.
  assert.is(
    normalisedAuc(
      pts([
        [0, 0.2],
        [10, 0.4],
        [40, 0.4],
      ]),
    ),
    15 / 40,
  );
  assert.is(normalisedAuc(pts([[7, 0.3]])), 0.3);
});

test('collapse: detected at the first point more than the drop below the running best; began right after that best', () => {
  const p = pts([
    [0, 0.1],
    [10, 0.3],
    [20, 0.42],
    [30, 0.38],
    [40, 0.33],
    [50, 0.2],
  ]);
  assert.equal(detectCollapse(p, 0.05), { peak_step: 20, peak_value: 0.42, began_step: 30, detected_step: 40, value_at_detection: 0.33, drop: 0.42 - 0.33 });
  assert.is(detectCollapse(p, 0.25), null);
  // Noise smaller than the threshold is not a collapse, and a new best resets the reference.
  assert.is(
    detectCollapse(
      pts([
        [0, 0.3],
        [1, 0.27],
        [2, 0.35],
        [3, 0.32],
      ]),
      0.05,
    ),
    null,
  );
});

test('curve summary: final, best and its step, AUC, collapse', () => {
  const s = summariseCurve(
    series([
      [0, 0.1],
      [10, 0.5],
      [20, 0.3],
    ]),
    0.1,
  )!;
  assert.equal(s.final, { step: 20, value: 0.3 });
  assert.equal(s.best, { step: 10, value: 0.5 });
  assert.is(s.auc, (((0.1 + 0.5) / 2) * 10 + ((0.5 + 0.3) / 2) * 10) / 20);
  assert.is(s.collapse!.began_step, 20);
  assert.is(summariseCurve(series([]), 0.1), null);
});

test('checkpoint points: a JSON Pointer to a number or a {mean, ci} summary; anything else is a problem', () => {
  const summary = { agent: { modes: { real: { reward: { em: { n: 50, mean: 0.4, ci_low: 0.3, ci_high: 0.5, method: 'wilson' } } } } }, 'a/b': { 'c~d': 3 } };
  assert.equal(checkpointPoint(summary, '/agent/modes/real/reward/em', 20, 's.json').point, { step: 20, value: 0.4, ci_low: 0.3, ci_high: 0.5 });
  assert.is(valueAtPointer(summary, '/a~1b/c~0d'), 3);
  assert.match(
    checkpointPoint(summary, '/agent/modes/gtm/reward/em', 20, 's.json').problem!,
    /s\.json: \/agent\/modes\/gtm\/reward\/em: expected a number .* found nothing/,
  );
});

test('the example suite: its logs and checkpoint summaries load, the collapse is found, the chart marks the switch step', () => {
  const suite = readSuite(EXAMPLE);
  assert.ok(suite.curves);
  assert.is(suite.curves!.switch_step, 30);
  assert.is(suite.curves!.logs[1].format, 'jsonl');
  const curves = loadCurves(suite.curves!);
  assert.equal(curves.problems, []);
  assert.equal(
    curves.series.map((s) => `${s.name}/${s.metric}`),
    ['gtm-only/accuracy', 'gtm-only/reward', 'hybrid/accuracy', 'hybrid/reward', 'real-tool/accuracy', 'real-tool/reward', 'hybrid-checkpoints/accuracy'],
  );
  assert.is(curves.accuracy_metric, 'accuracy');
  const gtm = curves.summaries.find((s) => s.series === 'gtm-only' && s.metric === 'accuracy')!;
  assert.ok(gtm.collapse, 'the illustrative gtm-only curve collapses');
  assert.is(gtm.collapse!.peak_step, gtm.best.step);
  const steps = curves.series.find((s) => s.name === 'gtm-only' && s.metric === 'accuracy')!.points.map((p) => p.step);
  assert.is(gtm.collapse!.began_step, steps[steps.indexOf(gtm.best.step) + 1]);
  assert.ok(gtm.collapse!.detected_step >= gtm.collapse!.began_step);
  const ck = curves.series.find((s) => s.source === 'checkpoints')!;
  assert.equal(
    ck.points.map((p) => p.step),
    [20, 40, 60, 80, 100],
  );
  assert.ok(ck.points.every((p) => typeof p.ci_low === 'number'));
  assert.ok(curves.series.every((s) => s.files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256))));
  const figs = curveFigures(curves);
  assert.is(figs.length, 2);
  const spec = JSON.stringify(figs[0].spec);
  assert.match(spec, /hybrid switch: step 30/);
  assert.match(spec, /collapse began step \d+/);
});

test('a missing trainer log is a suite problem at its file:line:column', () => {
  const file = join(tmp, 'missing-log.yaml');
  writeFileSync(
    file,
    [
      'version: "1"',
      'name: missing-log',
      'tools: [{ file: ' + new URL('../suites/tools/country_info.yaml', import.meta.url).pathname + ' }]',
      'datasets: [{ name: d, path: ' + new URL('../datasets/default/country-calls.jsonl', import.meta.url).pathname + ' }]',
      'targets: [{ name: reference, kind: baseline:reference }]',
      'curves:',
      '  logs:',
      '    - { name: gone, mode: gtm, file: nowhere.csv, metrics: { accuracy: acc } }',
      '    - { name: gone, mode: bogus, file: nowhere.csv, metrics: {} }',
    ].join('\n'),
  );
  try {
    readSuite(file);
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.instance(err, UserError);
    const text = (err as UserError).render();
    assert.match(text, /missing-log\.yaml:8:\d+: \/curves\/logs\/0\/file: trainer log not found/);
    assert.match(text, /missing-log\.yaml:9:\d+: \/curves\/logs\/1\/mode:/);
    assert.match(text, /duplicate curve series name "gone"/);
  }
});

test.run();
