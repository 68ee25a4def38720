// The metric registry is the only list of metrics: every metric any family can emit is defined there (and
// every definition is emitted by some input, so none is stale), every metric name written in the harness
// source or a shipped suite's gates is defined, and reports read direction and labels from it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseToolOutput } from '../harness/parse/json-from-text.js';
import { compileTool } from '../harness/scoring/compile.js';
import { loadRubric, scoreJudgeVerdict } from '../harness/scoring/judge.js';
import type { JudgeService, ResponseFamily } from '../harness/scoring/metric-family.js';
import { isKnownMetric, isLowerBetter, knownMetricFamilies, metricDef, metricFamilies, metricLabel, orderMetrics } from '../harness/scoring/metric-registry.js';
import type { CompiledTool } from '../harness/scoring/types.js';
import { loadSuite } from '../harness/suite/load.js';
import type { DatasetCall } from '../harness/suite/types.js';

const ROOT = new URL('..', import.meta.url).pathname;
const SUITES = ['suites/default.yaml', 'suites/kernel-fidelity.yaml', 'suites/search-fidelity.yaml', 'suites/mcp-memory-sessions.yaml'];

/** A judge that answers from canned verdicts: one readable, one not, so both paths of the family run. */
function fakeJudge(): JudgeService {
  const rubric = loadRubric(join(ROOT, 'harness/prompts/judge-rubric-v1.yaml'));
  let i = 0;
  return {
    judge: async () => scoreJudgeVerdict(i++ % 2 ? 'no verdict here' : '{"format": 5, "logic": 3, "semantic": 1, "rationale": "ok"}', rubric),
  };
}

/** Answers a simulator could give to one call: the real one, damaged ones, refusals, nothing usable. */
function answersFor(call: DatasetCall): string[] {
  const ref = call.reference === undefined ? '{"x": 1}' : JSON.stringify(call.reference);
  return [
    ref,
    ref.slice(0, Math.floor(ref.length / 2)),
    '```json\n' + ref + '\n```',
    '{}',
    '[]',
    'not json at all',
    '',
    '{"error": {"code": "X", "message": "m"}}',
    '{"compiled": true, "ran": true, "correct": true, "speedup": 2}',
  ];
}

test('every metric a family emits is defined, and every definition is emitted by some input', async () => {
  const emitted = new Map<string, Set<string>>();
  const ctx = { judge: fakeJudge() };
  const families = metricFamilies().filter((f): f is ResponseFamily => f.source === 'response' && !f.name.startsWith('test_'));
  for (const file of SUITES) {
    const suite = await loadSuite(join(ROOT, file));
    const tools = new Map<string, CompiledTool>(suite.tools.map((t) => [t.name, compileTool(t)]));
    // Every call's expect_error flavour and reference presence; a handful of calls per tool is enough.
    const picked = suite.calls.filter((c, i) => i < 40 || c.expect_error).slice(0, 80);
    const variants = picked.flatMap((c) => [c, { ...c, reference: undefined }]);
    for (const call of variants) {
      for (const raw of answersFor(call)) {
        const input = { tool: tools.get(call.tool)!, call, parsed: parseToolOutput(raw), reference: call.reference, raw };
        for (const family of families) {
          for (const s of await family.score(input, ctx)) {
            assert.ok(metricDef(s.metric), `family ${family.name} emitted ${s.metric}, which the registry does not define`);
            assert.is(metricDef(s.metric)!.family, family.name, `${s.metric} is defined by another family`);
            if (s.value !== null) {
              const { kind, range } = metricDef(s.metric)!;
              assert.ok(s.value >= range.min && s.value <= range.max, `${s.metric} = ${s.value} is outside its range`);
              if (kind === 'binary') assert.ok(s.value === 0 || s.value === 1, `${s.metric} is binary but scored ${s.value}`);
            }
            let set = emitted.get(family.name);
            if (!set) emitted.set(family.name, (set = new Set()));
            set.add(s.metric);
          }
        }
      }
    }
  }
  for (const family of families) {
    const never = Object.keys(family.metrics).filter((m) => !emitted.get(family.name)?.has(m));
    assert.equal(never, [], `family ${family.name} defines metrics no input emitted`);
  }
});

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('every metric name written in the harness source or a shipped suite is defined', () => {
  const prefixes = metricFamilies()
    .map((f) => f.name)
    .join('|');
  const quoted = new RegExp(`['"\`]((?:${prefixes})\\.[a-z_0-9]+)['"\`]`, 'g');
  const unknown: string[] = [];
  for (const file of tsFiles(join(ROOT, 'harness'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(quoted)) if (!isKnownMetric(m[1])) unknown.push(`${file}: ${m[1]}`);
  }
  const gateKey = new RegExp(`^\\s+((?:${prefixes})\\.[a-z_0-9]+):`, 'gm');
  for (const file of readdirSync(join(ROOT, 'suites')).filter((f) => f.endsWith('.yaml'))) {
    for (const m of readFileSync(join(ROOT, 'suites', file), 'utf8').matchAll(gateKey)) if (!isKnownMetric(m[1])) unknown.push(`suites/${file}: ${m[1]}`);
  }
  assert.equal(unknown, []);
});

test('reports read direction, labels and order from the registry', () => {
  assert.equal(knownMetricFamilies().slice(0, 4), ['format', 'logic', 'semantic', 'judge']);
  assert.ok(isLowerBetter('logic.false_refusal'));
  assert.ok(isLowerBetter('call.error') && isLowerBetter('call.latency_ms'));
  assert.ok(isLowerBetter('kernel_agreement.speedup_abs_log_ratio'));
  assert.not.ok(isLowerBetter('semantic.reference'));
  assert.not.ok(isLowerBetter('no_such.metric'));
  assert.is(metricLabel('format.parse'), 'JSON parses');
  assert.is(metricLabel('no_such.metric'), 'no_such.metric', 'an unknown metric is shown by its name');
  assert.equal(orderMetrics(['zz.b', 'semantic.reference', 'call.error', 'format.parse', 'aa.a', 'format.parse']), [
    'format.parse',
    'semantic.reference',
    'call.error',
    'aa.a',
    'zz.b',
  ]);
  assert.equal(metricDef('call.latency_ms')?.range, { min: 0, max: Infinity });
  assert.is(metricDef('format.required_key_recall')?.kind, 'bounded');
});

test.run();
