// The metric-family seam: a registered family is accepted by the loader, runs after the built-in families for
// every answered call, and its definitions reach every report through the registry.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createScorer } from '../harness/run/score-item.js';
import { knownMetricFamilies, metricDef, metricFamily, registerMetricFamily } from '../harness/scoring/metric-registry.js';
import type { MetricFamily } from '../harness/scoring/metric-family.js';
import type { Suite, ToolSpec } from '../harness/suite/types.js';
import { DEFAULT_ERROR_SCHEMA } from '../harness/suite/types.js';

registerMetricFamily({
  source: 'response',
  name: 'test_echo_len',
  description: 'length of the echoed text (test only)',
  needs: {},
  metrics: { 'test_echo_len.chars': { label: 'echo length', how: 'number of characters in output.text', direction: 'higher', kind: 'unbounded' } },
  score({ parsed, reference }) {
    const text = (parsed?.value as { text?: string } | undefined)?.text;
    return [{ metric: 'test_echo_len.chars', value: typeof text === 'string' ? text.length : null, reasons: [`reference given: ${reference !== undefined}`] }];
  },
});

const echo: ToolSpec = {
  name: 'echo',
  description: 'echoes text',
  parameters: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  response_schema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  error_schema: DEFAULT_ERROR_SCHEMA,
  invariants: [],
} as unknown as ToolSpec;

test('registered families are known, and taken or unsound names are refused', () => {
  assert.ok(knownMetricFamilies().includes('test_echo_len'));
  assert.equal(knownMetricFamilies().slice(0, 4), ['format', 'logic', 'semantic', 'judge']);
  assert.not.ok(knownMetricFamilies().includes('call'), 'the per-call figures are always on, not named by suites');
  const echo = metricFamily('test_echo_len') as MetricFamily;
  assert.throws(() => registerMetricFamily({ ...echo, name: 'format' }), /already defined/);
  assert.throws(() => registerMetricFamily({ ...echo, name: 'other' }), /must be named other\.<metric>/);
  assert.throws(
    () =>
      registerMetricFamily({
        ...echo,
        name: 'bad',
        metrics: { 'bad.x': { label: 'x', how: 'x', direction: 'higher', kind: 'binary', range: { min: 0, max: 5 } } },
      }),
    /binary, so its range is \[0, 1\]/,
  );
  assert.is(metricFamily('bad'), undefined, 'a refused family leaves nothing behind');
  const def = metricDef('test_echo_len.chars')!;
  assert.equal([def.family, def.kind, def.range, def.aggregation], ['test_echo_len', 'unbounded', { min: 0, max: Infinity }, 'mean']);
});

test('the scorer runs task families after the core ones, and not on transport errors', async () => {
  const suite = { tools: [echo], metrics: ['format', 'test_echo_len'] } as unknown as Suite;
  const score = createScorer(suite);
  const item = { call: { id: 'c1', tool: 'echo', arguments: { text: 'hi' }, reference: { text: 'hi' } } } as any;
  const ok = await score(item, { raw: '{"text":"hello"}', error: null } as any);
  const names = ok.scores.map((s) => s.metric);
  assert.is(names[names.length - 1], 'test_echo_len.chars');
  assert.ok(names.includes('format.parse'));
  const echoLen = ok.scores.find((s) => s.metric === 'test_echo_len.chars')!;
  assert.is(echoLen.value, 5);
  assert.equal(echoLen.reasons, ['reference given: true']);
  const failed = await score(item, { raw: null, error: { class: 'timeout', message: 't' } } as any);
  assert.equal(failed.scores, []);
});

test.run();
