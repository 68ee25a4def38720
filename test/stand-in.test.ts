// Protocol conformance of the loopback vLLM stand-in: the shapes the client is tested against must be vLLM's.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startStandIn, type StandIn } from '../dev/stand-ins/vllm-stand-in.js';

let s: StandIn;
test.before(async () => {
  s = await startStandIn({ models: ['gtm-test'], max_model_len: 4096, log: true, respond: () => ({ text: '{"a": 1, "b": 2}' }) });
});
test.after(() => s.close());

const post = (path: string, body: unknown) =>
  fetch(s.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** The JSON payloads of an SSE body, `[DONE]` kept as the string. */
async function events(res: Response): Promise<any[]> {
  const text = await res.text();
  assert.ok(text.endsWith('\n\n'), 'every event ends with a blank line');
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((e) => {
      assert.ok(e.startsWith('data: '), e);
      const data = e.slice(6);
      return data === '[DONE]' ? data : JSON.parse(data);
    });
}

test('binds 127.0.0.1 on an ephemeral port', () => {
  assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.ok(s.port > 0);
});

test('GET /health answers 200 with an empty body', async () => {
  const res = await fetch(s.url + '/health');
  assert.is(res.status, 200);
  assert.is(await res.text(), '');
});

test('GET /v1/models has the vLLM shape', async () => {
  const body: any = await (await fetch(s.url + '/v1/models')).json();
  assert.is(body.object, 'list');
  assert.is(body.data.length, 1);
  assert.is(body.data[0].id, 'gtm-test');
  assert.is(body.data[0].object, 'model');
  assert.is(body.data[0].owned_by, 'vllm');
  assert.is(body.data[0].max_model_len, 4096);
});

test('chat completion, non-streaming, with crude usage', async () => {
  const res = await post('/v1/chat/completions', { model: 'gtm-test', messages: [{ role: 'user', content: 'one two three' }] });
  assert.is(res.status, 200);
  const body: any = await res.json();
  assert.is(body.object, 'chat.completion');
  assert.match(body.id, /^chatcmpl-/);
  assert.is(body.choices[0].message.role, 'assistant');
  assert.is(body.choices[0].message.content, '{"a": 1, "b": 2}');
  assert.is(body.choices[0].finish_reason, 'stop');
  assert.equal(body.usage, { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 });
  assert.is(s.requests.at(-1)!.body.messages[0].content, 'one two three');
});

test('text completion, non-streaming', async () => {
  const body: any = await (await post('/v1/completions', { model: 'gtm-test', prompt: 'p q' })).json();
  assert.is(body.object, 'text_completion');
  assert.is(body.choices[0].text, '{"a": 1, "b": 2}');
  assert.is(body.usage.prompt_tokens, 2);
});

test('chat stream: role chunk, content chunks, finish, usage chunk with no choices, then [DONE]', async () => {
  const res = await post('/v1/chat/completions', {
    model: 'gtm-test',
    messages: [{ role: 'user', content: 'x' }],
    stream: true,
    stream_options: { include_usage: true },
  });
  assert.match(res.headers.get('content-type')!, /^text\/event-stream/);
  const ev = await events(res);
  assert.is(ev.at(-1), '[DONE]');
  const usage = ev.at(-2);
  assert.equal(usage.choices, []);
  assert.is(usage.usage.completion_tokens, 4);
  const chunks = ev.slice(0, -2);
  assert.equal(chunks[0].choices[0].delta, { role: 'assistant', content: '' });
  for (const c of chunks) assert.is(c.object, 'chat.completion.chunk');
  assert.is(chunks.map((c) => c.choices[0].delta.content ?? '').join(''), '{"a": 1, "b": 2}');
  assert.is(chunks.at(-1).choices[0].finish_reason, 'stop');
  assert.ok(chunks.slice(0, -1).every((c) => c.choices[0].finish_reason === null));
});

test('stream without include_usage has no usage chunk; completions stream carries text', async () => {
  const ev = await events(await post('/v1/completions', { model: 'gtm-test', prompt: 'x', stream: true }));
  assert.is(ev.at(-1), '[DONE]');
  const chunks = ev.slice(0, -1);
  assert.ok(chunks.every((c) => c.object === 'text_completion' && c.choices.length === 1));
  assert.is(chunks.map((c) => c.choices[0].text).join(''), '{"a": 1, "b": 2}');
});

test('unknown model: 404 with vLLM error body', async () => {
  const res = await post('/v1/chat/completions', { model: 'nope', messages: [{ role: 'user', content: 'x' }] });
  assert.is(res.status, 404);
  const body: any = await res.json();
  assert.equal(body, { object: 'error', message: 'The model `nope` does not exist.', type: 'NotFoundError', param: null, code: 404 });
});

test('bad request: 400 with vLLM error body', async () => {
  const res = await post('/v1/chat/completions', { model: 'gtm-test' });
  assert.is(res.status, 400);
  const body: any = await res.json();
  assert.is(body.object, 'error');
  assert.is(body.type, 'BadRequestError');
  assert.is(body.code, 400);
});

test('unknown route: FastAPI 404', async () => {
  const res = await fetch(s.url + '/v2/nothing');
  assert.is(res.status, 404);
  assert.equal(await res.json(), { detail: 'Not Found' });
});

test('scripted queue: injected failure, raw garbage, then the respond function', async () => {
  const q = await startStandIn({
    queue: [
      { status: 503, headers: { 'retry-after': '3' } },
      { status: 502, body: '<html>bad gateway</html>', contentType: 'text/html' },
    ],
  });
  try {
    const req = () => fetch(q.url + '/v1/completions', { method: 'POST', body: JSON.stringify({ model: 'stand-in', prompt: 'x' }) });
    const r1 = await req();
    assert.is(r1.status, 503);
    assert.is(r1.headers.get('retry-after'), '3');
    assert.is(((await r1.json()) as any).message, 'injected failure');
    const r2 = await req();
    assert.is(r2.status, 502);
    assert.is(await r2.text(), '<html>bad gateway</html>');
    const r3 = await req();
    assert.is(r3.status, 200);
    assert.is(q.requests.length, 0, 'no request log unless asked');
  } finally {
    await q.close();
  }
});

test('maxConcurrent: completions beyond it wait their turn, like requests beyond vLLM --max-num-seqs', async () => {
  const limited = await startStandIn({ models: ['m'], maxConcurrent: 3, latencyMs: 20, respond: () => ({ text: 'ok' }) });
  try {
    const body = JSON.stringify({ model: 'm', prompt: 'p' });
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        fetch(limited.url + '/v1/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then((r) => r.json()),
      ),
    );
    assert.equal(
      answers.map((a: any) => a.choices[0].text),
      Array(8).fill('ok'),
    );
    assert.is(limited.stats.peakConcurrent, 3);
  } finally {
    await limited.close();
  }
});

test('the default answer says it is a scripted placeholder, not a model output', async () => {
  const q = await startStandIn();
  try {
    const body: any = await (await fetch(q.url + '/v1/completions', { method: 'POST', body: JSON.stringify({ model: 'stand-in', prompt: 'x' }) })).json();
    assert.match(body.choices[0].text, /not a model output/);
  } finally {
    await q.close();
  }
});

test.run();
