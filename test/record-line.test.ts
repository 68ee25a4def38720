/**
 * The prompt is serialised once and spliced (util/json-splice.ts): into the HTTP body by the openai client and
 * into the record line (records/record-line.ts). Both must give exactly JSON.stringify's bytes.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { stringifyWithSplice } from '../harness/util/json-splice.js';
import { recordLine } from '../harness/records/record-line.js';
import { attachRequestJson } from '../harness/records/request-json.js';
import type { RunRecord } from '../harness/records/types.js';
import { createOpenAITarget, DEFAULT_PROMPT_TEMPLATE } from '../harness/targets/openai.js';
import type { ToolSpec } from '../harness/suite/types.js';
import { startStandIn } from '../dev/stand-ins/vllm-stand-in.js';

const awkward = ['plain', 'quote " and backslash \\', 'NUL \u0000 and line\nbreaks\t', 'emoji 😀 and lone \ud800', '"request":"x"', '</script>'];

test("stringifyWithSplice gives JSON.stringify's bytes, whatever the strings hold, and leaves the object as it was", () => {
  for (const s of awkward) {
    const inner = { content: s, n: [1, 2, { s }] };
    const obj = { a: s, request: inner, z: { request: s, nested: [s] } };
    const before = JSON.stringify(obj);
    assert.is(stringifyWithSplice(obj, 'request', JSON.stringify(inner)), before);
    assert.is(JSON.stringify(obj), before, 'the object is restored');
  }
});

function record(request: unknown, raw: string): RunRecord {
  return {
    v: 1,
    item_id: 'i',
    call_id: 'c',
    tool: 't',
    dataset: 'd',
    expect_error: false,
    target: 'gtm',
    backend: 'b',
    repeat: 0,
    seed: 1,
    started_at: '2026-12-06T00:00:00.000Z',
    request,
    raw,
    parse: { status: 'json' },
    latency_ms: 1,
    retries: 0,
    error: null,
    scores: { 'format.parse': { value: 1, reasons: [] } },
    output: { request: raw },
  } as unknown as RunRecord;
}

test('recordLine splices an attached request JSON and gives the same line as JSON.stringify; the attachment stays invisible', () => {
  for (const s of awkward) {
    const request = { api: 'chat', model: 'm', messages: [{ role: 'user', content: s }], sampling: { seed: 1 } };
    const plain = JSON.stringify(record(request, s));
    attachRequestJson(request, JSON.stringify(request));
    const r = record(request, s);
    assert.is(recordLine(r), plain);
    assert.equal(Object.keys(request), ['api', 'model', 'messages', 'sampling']);
    assert.equal({ ...request }, JSON.parse(JSON.stringify(request)));
  }
  // Without an attachment (a replayed or cached request) it is plain JSON.stringify.
  const r = record({ tool: 't', arguments: {} }, 'x');
  assert.is(recordLine(r), JSON.stringify(r));
});

test('the openai target: the body the server receives and the record line hold exactly the request, serialised once', async () => {
  const server = await startStandIn({ models: ['stand-in'], log: true, respond: () => ({ text: '{"temp_c": 21}' }) });
  const tool: ToolSpec = {
    name: 'get_weather',
    description: 'Weather "now" \\ for a city.',
    invariants: [],
    semantic: {},
    parameters: { type: 'object', properties: { city: { type: 'string' } } },
    response_schema: { type: 'object' },
  };
  const t = await createOpenAITarget({
    kind: 'openai',
    name: 'gtm',
    concurrency: 1,
    base_url: server.url + '/v1',
    model: 'stand-in',
    api: 'chat',
    prompt_template: DEFAULT_PROMPT_TEMPLATE,
    sampling: { temperature: 0, max_tokens: 64 },
    stream: false,
    timeout_ms: 5_000,
    retries: 0,
  });
  try {
    const args = { city: 'São "Paulo"\n' };
    const obs = await t.call({ tool, call: { id: 'c', tool: 'get_weather', arguments: args, source: { dataset: 'd', line: 1 } }, repeat: 0, seed: 7 });
    assert.is(obs.error, null);
    const req = obs.request as { messages: unknown; sampling: Record<string, unknown> };
    assert.equal(server.requests.at(-1)!.body, { model: 'stand-in', messages: req.messages, ...req.sampling });
    assert.is(Object.getOwnPropertySymbols(obs.request).length, 2, 'the target attached its serialised request and its shared texts');
    const r = record(obs.request, obs.raw!);
    assert.is(recordLine(r), JSON.stringify(r));
    assert.ok(JSON.stringify(req.messages).includes(JSON.stringify(JSON.stringify(args)).slice(1, -1)), 'the arguments are in the prompt');
  } finally {
    await t.close?.();
    await server.close();
  }
});

test.run();
