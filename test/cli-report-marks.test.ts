/**
 * Issue 13 item 13 through the real binary: lower-is-better metrics are marked from the metric registry, the
 * best value of each row is marked (direction respected, ties all marked, none with one target or when the
 * targets were scored over different calls) in the terminal, report.md and report.html; the invariants-style
 * row whose denominators differ is flagged as not comparable; the fidelity axis shows the range the values
 * occupy; sections with nothing of this run shrink to one line, and the paper table shows only the figures
 * this run measured with one line naming the rest.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { echoResponse } from './support/echo-responder.js';
import { startStandIn, type StandIn } from '../dev/stand-ins/vllm-stand-in.js';
import { ROOT, runCli } from './support/cli-child.js';

const SUITE = 'test/fixtures/cli/echo-model.yaml';
const tmp = mkdtempSync(join(tmpdir(), 'gtm-cli-marks-'));
let standIn: StandIn;
test.before(async () => {
  // gtm-refuses answers every third call with an error response (a false refusal: every echo call is valid);
  // gtm-rare gets one call in sixteen wrong; gtm-error answers every call with an error response.
  const counts = new Map<string, number>();
  standIn = await startStandIn({
    models: ['gtm-refuses', 'gtm-rare', 'gtm-error'],
    respond: (req) => {
      const model = String(req.body?.model);
      const n = (counts.get(model) ?? 0) + 1;
      counts.set(model, n);
      if (model === 'gtm-error' || (model === 'gtm-refuses' && n % 3 === 0)) return { text: '{"error": "invalid arguments"}' };
      if (model === 'gtm-rare' && n % 16 === 0) return { text: '{"text": "wrong"}' };
      return echoResponse(req);
    },
  });
});
test.after(async () => {
  await standIn.close();
  rmSync(tmp, { recursive: true, force: true });
});

const section = (html: string, id: string) => {
  const start = html.indexOf(`<section id="${id}"`);
  assert.ok(start >= 0, `no section ${id}`);
  return html.slice(start, html.indexOf('</section>', start));
};

test('best values and lower-is-better marks in the terminal, report.md and report.html; a row over different calls is not comparable', async () => {
  const dir = join(tmp, 'refuses');
  const r = await runCli(['run', SUITE, '--quiet', '--concurrency', '1', '--out', dir], {
    env: { GTM_BASE_URL: `${standIn.url}/v1`, GTM_MODEL: 'gtm-refuses' },
  });
  assert.is(r.code, 0, r.stdout + r.stderr);
  const row = (label: RegExp) => r.stdout.split('\n').find((l) => label.test(l)) ?? '';
  // Lower is better, from the registry: reference refused nothing (0.000) and is marked, gtm (0.333) is not.
  assert.match(row(/false refusal rate \(lower is better\)/), /│ 0\.333 \[[^│]*│ ★ 0\.000 \[/);
  // Higher is better: reference's exact fields (1.000) over gtm's (0.667).
  assert.match(row(/deterministic fields exact/), /│ 0\.667 \[[^│]*│ ★ 1\.000 \[/);
  // Both parse every answer: a tie of every target marks nothing.
  assert.match(row(/^│ JSON parses  /), /│ 1\.000 [^│]*│ 1\.000 /);
  assert.not.match(row(/^│ JSON parses  /), /★/);
  // Invariants do not apply to gtm's 16 error responses: 32 against 48 scored calls, no best mark, said why.
  assert.match(row(/invariants hold/), /invariants hold \(not comparable\)/);
  assert.not.match(row(/invariants hold/), /★/);
  assert.match(
    r.stdout,
    'invariants hold (logic.invariants) is not comparable across targets: scored over different numbers of calls (gtm 32 of 48, reference 48 of 48)',
  );
  assert.match(
    r.stdout,
    /★ marks the best value of a row \(the highest, or the lowest where lower is better; ties at the shown precision all marked\)\. No mark where fewer than two targets have a value, where all of them tie,/,
  );

  const md = readFileSync(join(dir, 'report.md'), 'utf8');
  assert.match(
    md,
    /\| false refusal rate \(lower is better\) \(`logic\.false_refusal`\) \| 0\.333 \[[^|]*\| ★ \*\*0\.000 \[[^|]*\]\*\* \(scored 48 of 48\) \|/,
  );
  assert.match(
    md,
    /\| invariants hold \(`logic\.invariants`\) \(not comparable\) \| 1\.000 \[[^|]*\(scored 32 of 48, 16 not applicable\) \| 1\.000 \[[^|]*\(scored 48 of 48\) \|/,
  );
  assert.match(
    md,
    /- invariants hold \(logic\.invariants\) is not comparable across targets: scored over different numbers of calls \(gtm 32 of 48, reference 48 of 48\)/,
  );

  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  const fidelity = section(html, 'fidelity');
  assert.match(
    fidelity,
    /<td>logic\.false_refusal<\/td><td>false refusal rate \(lower is better\)<\/td><td>0\.333 [^<]*<\/td><td class="best"><strong title="best value of this row">★ 0\.000 /,
  );
  assert.match(fidelity, /<td>logic\.invariants<\/td><td>invariants hold \(not comparable\)<\/td><td>1\.000 [^<]*<\/td><td>1\.000 /);
  assert.match(fidelity, /is not comparable across targets: scored over different numbers of calls \(gtm 32 of 48, reference 48 of 48\)/);
  // The chart's caption and its metric axis read the direction from the registry too.
  assert.match(fidelity, /Lower is better for logic\.false_refusal; higher for the others\./);
  const figure = fidelity.slice(fidelity.indexOf('<figure'), fidelity.indexOf('</figure>'));
  assert.match(figure, />logic\.false_refusal \(lower is better\)</);
  assert.not.match(figure, />semantic\.reference \(lower is better\)</);
  // The CSV export keeps the values without the mark.
  const csv = readFileSync(join(dir, 'report-data', 'fidelity.csv'), 'utf8');
  assert.not.match(csv, /★/);
});

test('one target: nothing is marked best', async () => {
  const r = await runCli(['run', SUITE, '--quiet', '--target', 'reference', '--out', join(tmp, 'one')]);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.not.match(r.stdout, /★/);
  assert.match(r.stdout, /false refusal rate \(lower is better\)/);
  assert.not.match(readFileSync(join(tmp, 'one', 'report.md'), 'utf8'), /★/);
  assert.not.match(readFileSync(join(tmp, 'one', 'report.html'), 'utf8'), /class="best"/);
});

test('the fidelity axis shows the range the values occupy, with its ends in the title', async () => {
  // Only format and semantic metrics (no 0-valued refusal rate), so every value sits high.
  const suite = join(tmp, 'high.yaml');
  writeFileSync(
    suite,
    readFileSync(join(ROOT, SUITE), 'utf8')
      .replace('path: ../serving/echo-calls.jsonl', `path: ${join(ROOT, 'test/fixtures/serving/echo-calls.jsonl')}`)
      .replace('prompt_template: ../../../harness/prompts/gtm-tool-sim-v1.yaml', `prompt_template: ${join(ROOT, 'harness/prompts/gtm-tool-sim-v1.yaml')}`)
      .replace(/\$schema: .*\n/, '')
      .replace('metrics: [format, logic, semantic]', 'metrics: [format, semantic]'),
  );
  const dir = join(tmp, 'rare');
  const r = await runCli(['run', suite, '--quiet', '--concurrency', '1', '--out', dir], { env: { GTM_BASE_URL: `${standIn.url}/v1`, GTM_MODEL: 'gtm-rare' } });
  assert.is(r.code, 0, r.stdout + r.stderr);
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
  const lows = summary.targets.flatMap((t: { metrics: Record<string, { ci_low: number | null }> }) => Object.values(t.metrics).map((m) => m.ci_low ?? 1));
  const lowest = Math.min(...lows);
  assert.ok(lowest > 0.5 && lowest < 0.95, `lowest interval end ${lowest}`);
  const spec = JSON.parse(readFileSync(join(dir, 'report-data', 'fidelity.vl.json'), 'utf8'));
  const x = spec.layer[1].encoding.x;
  const [from, to] = x.scale.domain;
  assert.ok(from > 0 && from <= lowest && lowest - from < 0.1, `axis from ${from}, lowest value ${lowest}`);
  assert.is(to, 1);
  assert.is(x.axis.values[0], from);
  assert.is(x.axis.values.at(-1), 1);
  assert.is(x.title, `mean (95% interval); axis from ${from} to 1, not from 0`);
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  assert.match(html, `The axis shows ${from} to 1, the range the values occupy, not 0 to 1.`);
});

test('empty sections are one line; the paper table shows the measured figure and one line naming the rest', async () => {
  const empty = readFileSync(join(tmp, 'refuses', 'report.html'), 'utf8');
  for (const id of ['agent', 'curves']) {
    const s = section(empty, id);
    assert.match(s, new RegExp(`<section id="${id}" class="empty">\\n<p class="empty-section"><strong>[^<]+</strong>: Not in this run: [^\\n]+</p>\\n$`), s);
  }
  // The paper line: one summary line, the names of the figures behind it.
  assert.match(
    section(empty, 'paper'),
    /^<section id="paper" class="empty">\n<details class="empty-section"><summary><strong>Paper reproduction<\/strong>: none of the paper&#39;s \d+ figures is measured in this run \(they need agent runs or accuracy curves\)\.<\/summary><p>Not measured: model size; [^<]+<\/p><\/details>\n$/,
  );
  assert.not.match(empty, /not measured in this run<\/td>/);

  // The default suite's gtm target (the stand-in answers every call alike): its error detection rate is the
  // paper's one fidelity figure, so that row is measured and the rest are one line.
  const dir = join(tmp, 'default');
  const r = await runCli(['run', 'suites/default.yaml', '--quiet', '--target', 'gtm', '--limit', '40', '--out', dir], {
    env: { GTM_BASE_URL: `${standIn.url}/v1`, GTM_MODEL: 'gtm-error' },
  });
  assert.is(r.code, 0, r.stdout + r.stderr);
  const paper = section(readFileSync(join(dir, 'report.html'), 'utf8'), 'paper');
  assert.match(paper, /<section id="paper">\n<h2>Paper reproduction<\/h2>/);
  const rows = paper.match(/<tr>/g)!.length - 1;
  assert.is(rows, 1, paper);
  assert.match(paper, /<td>error detection rate<\/td>.*<td>gtm<\/td><td>\d+\.\d% \[[^\]]+\] \(scored 4 of 40, 36 not applicable\)<\/td>/);
  assert.match(
    paper,
    /<details class="note"><summary>\d+ of the paper&#39;s \d+ figures are not measured in this run\.<\/summary><p>Not measured: model size; /,
  );
  // --limit's sample is described as what it is (stratified), not as "the first 40 calls".
  assert.match(readFileSync(join(dir, 'report.md'), 'utf8'), '(limited to 40 calls, a sample stratified by tool and by valid/invalid call)');
  assert.match(readFileSync(join(dir, 'report.html'), 'utf8'), '(limited to 40 calls, a sample stratified by tool and by valid/invalid call)');
  const csv = readFileSync(join(dir, 'report-data', 'paper-reproduction.csv'), 'utf8');
  assert.is(csv.trim().split('\n').length, 2);
});

test.run();
