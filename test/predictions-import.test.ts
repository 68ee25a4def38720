// Issue 11 item 10: scoring answers produced elsewhere (the predictions target) and importing the
// StableToolBench / MirrorAPI evaluation format. The rows are small synthetic copies of the real format.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { importStableToolBench } from '../harness/datasets/stabletoolbench/import.js';
import { readPredictions } from '../harness/targets/predictions.js';

const prompt = (toolInput: string) =>
  `<|im_start|>system\nImagine you are an API Server...\nAPI doc:\n{'api_name': 'List Languages', 'api_description': 'x'}\nRequest:\n    data = {...}\n<|im_end|>\n<|im_start|>user\nAPI doc:\n{'api_name': 'Nearby places', 'api_description': 'Get nearby places of the hotel', 'required_parameters': [], 'tool_description': "Find hotels. Don't wait", 'tool_name': 'Booking com', 'tool_category': 'Travel'}\n\nRequest:\n{'category': 'Travel', 'tool_name': 'Booking com', 'api_name': 'Nearby places', 'tool_input': '${toolInput}', 'strip': 'filter'}<|im_end|>\n<|im_start|>assistant\n`;

test('import stabletoolbench: arguments from the last Request, label as reference, predict kept raw; bad rows by line', () => {
  const rows = [
    {
      prompt: prompt('{"hotel_id": 1676161, "locale": "en-gb"}'),
      predict: '{\n "error": "",\n "response": "[{\'name\': \'Airport\'}]"\n}',
      label: '{"error": "", "response": "{\'landmarks\': []}"}',
    },
    { prompt: 'no request here', predict: '{}', label: { error: '', response: '' } },
    { prompt: prompt('{"year": "2014"}, {"year": "2015"}'), predict: '{}', label: { error: '', response: '' } },
    { prompt: prompt('{"hotel_id": 2}'), predict: 'x', label: { error: 'Rate limit', response: '' } },
  ];
  const r = importStableToolBench(rows.map((x) => JSON.stringify(x)).join('\n') + '\nnot json\n', 'demo');
  assert.is(r.calls.length, 2);
  assert.equal(r.calls[0], {
    id: 'demo-00001',
    tool: 'Booking_com.Nearby_places',
    arguments: { hotel_id: 1676161, locale: 'en-gb' },
    reference: { error: '', response: "{'landmarks': []}" },
    expect_error: false,
    tags: ['demo'],
  });
  assert.is(r.calls[1].expect_error, true);
  assert.equal(r.predictions[0], { id: 'demo-00001', raw: rows[0].predict });
  assert.equal(r.tools, [{ name: 'Booking_com.Nearby_places', description: "Get nearby places of the hotel Find hotels. Don't wait" }]);
  assert.is(r.skipped.length, 3);
  assert.match(r.skipped[0], /^line 2: the prompt has no "Request:" dict/);
  assert.match(r.skipped[1], /^line 3: the request's tool_input is not a JSON object/);
  assert.match(r.skipped[2], /^line 5: not JSON/);
});

test('predictions file: {id, output} or {id, raw}; malformed lines named by file:line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gtm-pred-'));
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const ok = readPredictions(file('ok.jsonl', '{"id": "a", "output": {"x": 1}}\n\n{"id": "b", "raw": "{\'x\': True}"}\n'));
  assert.equal(
    [...ok],
    [
      ['a', '{"x":1}'],
      ['b', "{'x': True}"],
    ],
  );
  assert.throws(() => readPredictions(file('dup.jsonl', '{"id": "a", "raw": "1"}\n{"id": "a", "raw": "2"}\n')), /dup.jsonl:2: id a appears twice/);
  assert.throws(() => readPredictions(file('both.jsonl', '{"id": "a", "raw": "1", "output": 1}\n')), /both.jsonl:1: give exactly one of output/);
  assert.throws(() => readPredictions(file('bad.jsonl', '{"id": "a", "raw": "1"}\n{oops\n')), /bad.jsonl:2: not JSON/);
  assert.throws(() => readPredictions(join(dir, 'missing.jsonl')), /cannot read the predictions file/);
});

test('end to end: import, then run the suite; reference perfect, predictions scored, a missing prediction is an error', async () => {
  const { spawnSync } = await import('node:child_process');
  const { readFileSync } = await import('node:fs');
  const dir = mkdtempSync(join(tmpdir(), 'gtm-stb-'));
  const rows = [
    {
      prompt: prompt('{"hotel_id": 1}'),
      predict: '{"error": "", "response": "{\'name\': \'Airport\',\n \'km\': 13}"}',
      label: { error: '', response: "{'name': 'Airport', 'km': 13}" },
    },
    {
      prompt: prompt('{"hotel_id": 2}'),
      predict: '{"error": "", "response": "{\'name\': \'Mall\'}"}',
      label: '{"error": "", "response": "{\'name\': \'Old Town\', \'km\': 2}"}',
    },
    { prompt: prompt('{"hotel_id": 3}'), predict: '{"error": "", "response": "[]"}', label: { error: 'Rate limit exceeded', response: '' } },
  ];
  writeFileSync(join(dir, 'rows.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const bin = new URL('../bin/gtm-bench.js', import.meta.url).pathname;
  const cli = (args: string[]) =>
    spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', CI: 'true' }, timeout: 120_000 });
  const imp = cli(['import', 'stabletoolbench', join(dir, 'rows.jsonl'), '--out', join(dir, 'imp'), '--split', 'demo']);
  assert.is(imp.status, 0, imp.stderr);
  assert.match(imp.stdout, /3 call\(s\) of 1 API\(s\) imported \(1 with a real error\), 0 row\(s\) left out/);
  // drop the last prediction: that call must show up as an error, not vanish
  const preds = readFileSync(join(dir, 'imp', 'predictions.jsonl'), 'utf8')
    .trim()
    .split('\n');
  writeFileSync(join(dir, 'imp', 'predictions.jsonl'), preds.slice(0, 2).join('\n') + '\n');
  const run = cli(['run', join(dir, 'imp', 'suite.yaml'), '--out', join(dir, 'run')]);
  assert.ok(run.status === 0 || run.status === 1, run.stderr);
  assert.not.match(run.stderr, /warning: the reference baseline/);
  const summary = JSON.parse(readFileSync(join(dir, 'run', 'summary.json'), 'utf8')) as { targets: { name: string; calls: number; errors: number }[] };
  const p = summary.targets.find((t) => t.name === 'predictions')!;
  assert.equal([p.calls, p.errors], [3, 1]);
  const records = readFileSync(join(dir, 'run', 'records.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const first = records.find((r) => r.target === 'predictions' && r.call_id === 'demo-00001');
  assert.is(first.parse.outcome, 'repaired');
  assert.is(first.scores['semantic.reference'].value, 1);
  for (const r of records.filter((x) => x.target === 'reference')) {
    for (const [m, s] of Object.entries(r.scores) as [string, { value: number | null }][])
      if (/^(format|semantic)\./.test(m) && s.value !== null) assert.is(s.value, 1, m);
  }
});

test.run();
