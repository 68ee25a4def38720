/**
 * The HTML report and its exports, without a browser: what a run folder's report.html holds (checkpoints
 * side by side, charts as inline SVG, worst cases escaped), one CSV per table and one vega-lite JSON per
 * figure, the agent section from a summary that follows the rollout contract, and the paper table.
 */
import { test } from 'uvu';
import { pairedDifferences } from '../harness/report/paired-differences.js';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reportCommand } from '../harness/cli/report.js';
import { readRunRecords } from '../harness/report/read-run-records.js';
import type { Manifest } from '../harness/records/manifest.js';
import { collectExports } from '../harness/report/model.js';
import { paperReproduction, parsePaperBaseline, NOT_MEASURED } from '../harness/report/paper-table.js';
import { renderReport } from '../harness/report/render-report.js';
import { buildRunReport } from '../harness/report/run-report.js';
import { loadPaperBaseline } from '../harness/report/run-inputs.js';
import { inProcess } from './support/in-process-cli.js';
import { HOSTILE, startReportRuns, type ReportRuns } from './support/report-runs.js';

const AGENT = JSON.parse(readFileSync(new URL('./fixtures/report/agent-summary.json', import.meta.url), 'utf8'));
const PAPER_FILE = new URL('../baselines/paper-2512.04535.json', import.meta.url);
const tmp = mkdtempSync(join(tmpdir(), 'gtm-html-'));
let runs: ReportRuns;
let runDir: string;
let manifest: Manifest;

test.before(async () => {
  runs = await startReportRuns();
  runs.behaviour.b = 'hostile';
  runDir = join(tmp, 'run');
  await runs.run(runDir);
  manifest = JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8'));
});
test.after(async () => {
  await runs.close();
  rmSync(tmp, { recursive: true, force: true });
});

const paper = () => loadPaperBaseline().paper!;

test('a run writes report.html with both checkpoints side by side and every chart as inline SVG', () => {
  const html = readFileSync(join(runDir, 'report.html'), 'utf8');
  assert.match(html, /^<!doctype html>/);
  assert.match(
    html,
    /2 model targets ran side by side \(gtm-a: openai:http:\/\/127\.0\.0\.1:\d+\/v1#ckpt-a; gtm-b: openai:http:\/\/127\.0\.0\.1:\d+\/v1#ckpt-b\)/,
  );
  for (const id of ['fidelity', 'latency', 'per-tool']) assert.match(html, new RegExp(`<figure id="figure-${id}"[^>]*>[\\s\\S]*?<svg[^>]*class="marks"`));
  // Self-contained: no script, no stylesheet or image fetched from anywhere.
  assert.not.match(html, /<script/i);
  assert.not.match(html, /<link|<img|src="|@import|url\(http/i);
  // The agent and curve sections say plainly that this run has none.
  assert.match(html, /Not in this run: this run folder has no agent section/);
  assert.match(html, /Not in this run: the suite has no curves section/);
});

test('worst cases: model output is escaped, shown beside the arguments and the real responses', () => {
  const html = readFileSync(join(runDir, 'report.html'), 'utf8');
  assert.not.ok(html.includes(HOSTILE));
  assert.ok(html.includes('I cannot answer &lt;script&gt;window.__pwned = 1&lt;/script&gt; &amp; &quot;that&quot; &lt;/pre&gt;&lt;/details&gt;'));
  const gtmB = html.split('<h3>target gtm-b</h3>')[1].split('<h3>')[0];
  assert.match(gtmB, /<details class="case" open data-call="[^"]+">/);
  assert.match(gtmB, /<h4>arguments \([a-z_]+\)<\/h4>/);
  assert.match(gtmB, /<h4>real response \(recorded in the dataset\)<\/h4>/);
  assert.match(gtmB, /<h4>real tool, live \(target real\)<\/h4>/);
  assert.match(gtmB, /<li><code>format\.parse<\/code> = 0\.000: /);
});

test('exports: one CSV per table and one vega-lite JSON (spec + data) per figure', () => {
  const { summary, digest } = readRunRecords(runDir, manifest);
  const doc = buildRunReport({ manifest, summary, digest, paper: paper(), paired: pairedDifferences(summary, digest.scores, manifest.baseline_target) });
  const { tables, figures } = collectExports(doc);
  const files = readdirSync(join(runDir, 'report-data')).sort();
  assert.equal(files, [...tables.map((t) => `${t.id}.csv`), ...figures.map((f) => `${f.id}.vl.json`)].sort());
  const spec = JSON.parse(readFileSync(join(runDir, 'report-data', 'fidelity.vl.json'), 'utf8'));
  assert.match(spec.$schema, /vega-lite\/v6/);
  assert.ok(spec.data.values.some((v: { target: string; metric: string }) => v.target === 'gtm-b' && v.metric === 'format.parse'));
  const csv = readFileSync(join(runDir, 'report-data', 'targets.csv'), 'utf8').split('\n');
  assert.match(csv[0], /^target,kind,backend \(produced these numbers\),model \/ prompt,status/);
  assert.match(
    csv.find((l) => l.startsWith('gtm-b,'))!,
    /^gtm-b,openai,openai:http:\/\/127\.0\.0\.1:\d+\/v1#ckpt-b,"ckpt-b, template gtm-tool-sim v1",ran,42,/,
  );
});

test('the agent section follows the rollout contract: step time per mode, speedups beside the paper, per-call tool time', async () => {
  const doc = buildRunReport({ manifest, summary: AGENT, paper: paper() });
  const agent = doc.sections.find((s) => s.id === 'agent')!;
  const figures = agent.blocks.flatMap((b) => (b.kind === 'figure' ? [b.figure.id] : []));
  assert.equal(figures, ['agent-step-time', 'agent-speedup']);
  const steps = agent.blocks.flatMap((b) => (b.kind === 'table' && b.table.id === 'agent-steps' ? [b.table] : []))[0];
  assert.equal(
    steps.rows.map((r) => r[0]),
    ['real', 'gtm', 'hybrid'],
  );
  assert.is(steps.rows[0][8], 33100 / 31.5, 'tool ms per call = tool ms per step / tool calls per step');
  assert.is(steps.rows[1][3], 8.2, 'step wall time in seconds');
  const speed = collectExports(doc).figures.find((f) => f.id === 'agent-speedup')!;
  assert.match(JSON.stringify(speed.spec), /paper, search RL, step-time speedup: 6\.3x \(summary-quote\)/);
  const rendered = await renderReport(doc, 'test');
  assert.match(rendered.html, /<figure id="figure-agent-step-time"[^>]*>[\s\S]*?<svg/);
  assert.equal(rendered.chartErrors, []);
  // Fidelity sections are left out for a summary without fidelity targets.
  assert.not.ok(doc.sections.some((s) => s.id === 'fidelity'));
  // When the loop records the latency of one tool call per backend, the report shows it (with the backend
  // from the manifest) instead of estimating it from per-step totals.
  const withLatency = {
    ...AGENT,
    agent: {
      ...AGENT.agent,
      tool_call_ms: {
        real: { n: 378, mean: 1050.2, ci_low: 990.1, ci_high: 1110.3, method: 't' },
        gtm: { n: 371, mean: 16.9, ci_low: 15.8, ci_high: 18.0, method: 't' },
      },
    },
  };
  const doc2 = buildRunReport({
    manifest: { ...manifest, backends: { policy: 'openai:policy', real: 'real:bm25', gtm: 'openai:gtm' } } as unknown as Manifest,
    summary: withLatency,
  });
  const agent2 = doc2.sections.find((s) => s.id === 'agent')!;
  const latency = agent2.blocks.flatMap((b) => (b.kind === 'table' && b.table.id === 'agent-tool-call-latency' ? [b.table] : []))[0];
  assert.equal(latency.rows, [
    ['real', 'real:bm25', 378, 1050.2, 990.1, 1110.3],
    ['gtm', 'openai:gtm', 371, 16.9, 15.8, 18.0],
  ]);
  const steps2 = agent2.blocks.flatMap((b) => (b.kind === 'table' && b.table.id === 'agent-steps' ? [b.table] : []))[0];
  assert.not.ok(steps2.columns.includes('tool ms per call'));
  assert.match(agent2.intro!, /Backends: policy openai:policy; real tool real:bm25; GTM openai:gtm\./);
});

test('paper table: mapped quantities, ratios, "not measured in this run", sources carried through', () => {
  const rows = paperReproduction(paper(), { agent: AGENT.agent, summary: JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) });
  const row = (id: string, subject?: string) => rows.find((r) => r.figure.id === id && (subject === undefined || r.subject === subject))!;
  assert.is(row('search_step_speedup').this_run, 5.1);
  assert.is(row('search_step_speedup').ratio, 5.1 / 6.3);
  assert.is(row('search_step_time_gtm').this_run, 8.2);
  assert.is(row('search_step_time_gtm').ratio, 8.2 / 105.1);
  assert.is(row('search_step_time_real').ratio, 41.8 / 661);
  assert.is(row('kernel_step_speedup').this_run_text, NOT_MEASURED);
  assert.is(row('hybrid_final_accuracy').this_run_text, NOT_MEASURED);
  assert.is(row('multi_turn_format_score').this_run_text, NOT_MEASURED);
  // Error detection: one row per model target, from logic.error_detected, labelled third-party.
  const ed = rows.filter((r) => r.figure.id === 'error_detection_rate');
  assert.equal(
    ed.map((r) => r.subject),
    ['gtm-a', 'gtm-b'],
  );
  assert.is(ed[0].figure.source, 'third-party table');
  assert.is(ed[0].this_run, 0);
  const curves = {
    collapse_drop: 0.1,
    switch_step: 30,
    accuracy_metric: 'accuracy',
    problems: [],
    series: [],
    summaries: [
      {
        series: 'h',
        mode: 'hybrid' as const,
        metric: 'accuracy',
        points: 3,
        first_step: 0,
        last_step: 100,
        final: { step: 100, value: 0.451 },
        best: { step: 100, value: 0.451 },
        auc: 0.3,
        collapse: null,
      },
      {
        series: 'g',
        mode: 'gtm' as const,
        metric: 'accuracy',
        points: 3,
        first_step: 0,
        last_step: 100,
        final: { step: 100, value: 0.2 },
        best: { step: 40, value: 0.4 },
        auc: 0.3,
        collapse: { peak_step: 40, peak_value: 0.4, began_step: 45, detected_step: 60, value_at_detection: 0.25, drop: 0.15 },
      },
      {
        series: 'r',
        mode: 'real' as const,
        metric: 'accuracy',
        points: 3,
        first_step: 0,
        last_step: 100,
        final: { step: 100, value: 0.4 },
        best: { step: 100, value: 0.4 },
        auc: 0.3,
        collapse: null,
      },
    ],
  };
  const withCurves = paperReproduction(paper(), { curves });
  const c = (id: string) => withCurves.find((r) => r.figure.id === id)!;
  assert.is(c('hybrid_final_accuracy').ratio, 0.451 / 0.41);
  assert.is(c('gtm_only_collapse_step').this_run, 45);
  assert.is(c('gtm_only_vs_real_final').this_run, -50);
  assert.is(c('hybrid_switch_step').ratio, 1);
});

test('the paper baseline: every figure labelled with its source and where, none verified, ids unique', () => {
  const doc = parsePaperBaseline(JSON.parse(readFileSync(PAPER_FILE, 'utf8')), 'paper');
  const labels = new Set(['abstract', 'summary-quote', 'summary', 'third-party table', 'summary (not a paper result)']);
  assert.ok(doc.figures.length >= 18);
  assert.is(new Set(doc.figures.map((f) => f.id)).size, doc.figures.length);
  for (const f of doc.figures) {
    assert.ok(labels.has(f.source), `${f.id}: source ${f.source}`);
    assert.is(f.verified, false, f.id);
    assert.ok(f.where.length > 0, f.id);
  }
  const v = (id: string) => doc.figures.find((f) => f.id === id)!.value;
  assert.equal(
    [
      v('search_step_time_gtm'),
      v('search_step_time_real'),
      v('search_step_speedup'),
      v('kernel_step_speedup'),
      v('hybrid_final_accuracy'),
      v('error_detection_rate'),
    ],
    [105.1, 661, 6.3, 11, 0.41, 95.3],
  );
});

test('gtm-bench report on an agent run folder (summary.json, no records.jsonl) draws report.html from the summary', async () => {
  const dir = join(tmp, 'agent-run');
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({ ...manifest, run_id: 'search-agent-fixture', datasets: {}, suite: { ...manifest.suite, file: 'nowhere.yaml' } }),
  );
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(AGENT));
  const r = await inProcess(() => reportCommand(dir));
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /wrote report\.html and report-data\/ .* from its summary\.json \(no records\.jsonl\)/);
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  assert.match(html, /Task search, dialect search-r1-tags/);
  assert.match(html, /<figure id="figure-agent-speedup"/);
  assert.match(html, /Curves not loaded: the suite file nowhere\.yaml is not here\./);
  const empty = join(tmp, 'empty');
  mkdirSync(empty);
  writeFileSync(join(empty, 'manifest.json'), '{}');
  const bad = await inProcess(() => reportCommand(empty));
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /has neither records\.jsonl nor summary\.json/);
});

test.run();
