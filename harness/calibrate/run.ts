/**
 * `npm run calibrate`: scores the shipped calibration set (datasets/calibration/answers.jsonl, built from the
 * default suite's real responses by calibrate.ts) and prints the reference baseline, every damage kind's
 * scores beside the undamaged ones, and the checks with their thresholds. Exits 1 when a check fails.
 * `npm run calibrate -- --write` rebuilds the set from datasets/default (same bytes every time).
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { HARNESS_ROOT } from '../records/manifest.js';
import { loadSuite } from '../suite/load.js';
import { buildCalibrationSet, calibrationReport, scoreCalibration, type CalibrationRow } from './calibrate.js';
import '../builtin.js';

const SET = join(HARNESS_ROOT, 'datasets', 'calibration', 'answers.jsonl');
const SHOWN = ['format.parse', 'format.parse_repaired', 'format.schema_valid', 'logic.invariants', 'semantic.reference'];

const suite = await loadSuite(join(HARNESS_ROOT, 'suites', 'default.yaml'), { env: { GTM_BASE_URL: 'http://127.0.0.1:9/v1', GTM_MODEL: 'calibration' } });
if (process.argv.includes('--write')) {
  mkdirSync(join(HARNESS_ROOT, 'datasets', 'calibration'), { recursive: true });
  writeFileSync(
    SET,
    buildCalibrationSet(suite.calls)
      .map((r) => JSON.stringify(r))
      .join('\n') + '\n',
  );
}
const rows = readFileSync(SET, 'utf8')
  .trim()
  .split('\n')
  .map((l, i) => {
    try {
      return JSON.parse(l) as CalibrationRow;
    } catch (err) {
      throw new Error(`${SET}:${i + 1}: ${(err as Error).message}`);
    }
  });
const report = calibrationReport(await scoreCalibration(suite.tools, suite.calls, rows));
console.log(`calibration set: ${report.rows} answers to ${suite.calls.length} real calls of the default suite\n`);
console.log(['damage'.padEnd(18), 'n'.padStart(4), ...SHOWN.map((m) => m.replace(/^\w+\./, '').padStart(15))].join(' '));
for (const [kind, d] of Object.entries(report.byDamage)) {
  console.log([kind.padEnd(18), String(d.n).padStart(4), ...SHOWN.map((m) => (d.means[m] === undefined ? '-' : d.means[m].toFixed(3)).padStart(15))].join(' '));
}
console.log('');
for (const c of report.checks)
  console.log(`${c.pass ? 'ok  ' : 'FAIL'} ${c.name}: ${Number.isFinite(c.value) ? c.value.toFixed(3) : c.value}${c.detail ? ` (${c.detail})` : ''}`);
const failed = report.checks.filter((c) => !c.pass).length;
console.log(failed ? `\n${failed} check(s) failed` : '\nall checks passed');
process.exitCode = failed ? 1 : 0;
