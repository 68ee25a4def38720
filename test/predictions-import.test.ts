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
    { prompt: prompt('{"hotel_id": 1676161, "locale": "en-gb"}'), predict: '{\n "error": "",\n "response": "[{\'name\': \'Airport\'}]"\n}', label: '{"error": "", "response": "{\'landmarks\': []}"}' },
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
  assert.equal([...ok], [['a', '{"x":1}'], ['b', "{'x': True}"]]);
  assert.throws(() => readPredictions(file('dup.jsonl', '{"id": "a", "raw": "1"}\n{"id": "a", "raw": "2"}\n')), /dup.jsonl:2: id a appears twice/);
  assert.throws(() => readPredictions(file('both.jsonl', '{"id": "a", "raw": "1", "output": 1}\n')), /both.jsonl:1: give exactly one of output/);
  assert.throws(() => readPredictions(file('bad.jsonl', '{"id": "a", "raw": "1"}\n{oops\n')), /bad.jsonl:2: not JSON/);
  assert.throws(() => readPredictions(join(dir, 'missing.jsonl')), /cannot read the predictions file/);
});

test.run();
