// The loopback stand-in checked by the official openai client: if the reference client reads its chat,
// completions, streams, model list and errors, then what our own client is tested against is the protocol,
// not a private dialect of it. (The SDK reads error messages only from OpenAI's nested {"error": {...}} shape;
// vLLM's flat error body, which the stand-in sends, is read by openai-errors.ts and tested in openai-client.test.ts.) (The harness's hot path does not use the SDK: see targets/openai-client.ts.)
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import OpenAI, { APIError, InternalServerError, NotFoundError } from 'openai';
import { startStandIn, type StandIn } from '../dev/stand-ins/vllm-stand-in.js';

let s: StandIn;
let sdk: OpenAI;
test.before(async () => {
  s = await startStandIn({
    models: ['gtm-test'],
    queue: [{ text: '{"a": 1}' }, { text: 'plain text' }, { chunks: ['{"b"', ': 2}'] }, { chunks: ['x', 'y'] }, { status: 503, text: 'overloaded' }],
  });
  sdk = new OpenAI({ baseURL: `${s.url}/v1`, apiKey: 'EMPTY', maxRetries: 0, timeout: 5000 });
});
test.after(() => s.close());

test('chat completion: message, finish reason, usage', async () => {
  const r = await sdk.chat.completions.create({ model: 'gtm-test', messages: [{ role: 'user', content: 'hi' }] });
  assert.is(r.object, 'chat.completion');
  assert.is(r.choices[0].message.content, '{"a": 1}');
  assert.is(r.choices[0].message.role, 'assistant');
  assert.is(r.choices[0].finish_reason, 'stop');
  assert.ok(r.usage!.prompt_tokens > 0 && r.usage!.completion_tokens > 0);
  assert.is(r.usage!.total_tokens, r.usage!.prompt_tokens + r.usage!.completion_tokens);
});

test('completions API', async () => {
  const r = await sdk.completions.create({ model: 'gtm-test', prompt: 'say' });
  assert.is(r.object, 'text_completion');
  assert.is(r.choices[0].text, 'plain text');
});

test('streamed chat: deltas join to the text; include_usage adds a final usage chunk with no choices', async () => {
  const stream = await sdk.chat.completions.create({
    model: 'gtm-test',
    messages: [{ role: 'user', content: 'hi' }],
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = '';
  let usageChunks = 0;
  let finish: string | null = null;
  for await (const chunk of stream) {
    if (chunk.choices.length === 0 && chunk.usage) usageChunks++;
    for (const c of chunk.choices) {
      text += c.delta.content ?? '';
      finish = c.finish_reason ?? finish;
    }
  }
  assert.is(text, '{"b": 2}');
  assert.is(finish, 'stop');
  assert.is(usageChunks, 1);
});

test('streamed completions', async () => {
  const stream = await sdk.completions.create({ model: 'gtm-test', prompt: 'p', stream: true });
  let text = '';
  for await (const chunk of stream) text += chunk.choices.map((c) => c.text).join('');
  assert.is(text, 'xy');
});

test('model list, and errors the SDK classifies by status', async () => {
  const models = await sdk.models.list();
  assert.equal(
    models.data.map((m) => m.id),
    ['gtm-test'],
  );
  try {
    await sdk.chat.completions.create({ model: 'gtm-test', messages: [{ role: 'user', content: 'hi' }] });
    assert.unreachable('503 expected');
  } catch (err) {
    assert.instance(err, APIError);
    assert.is((err as APIError).status, 503);
    assert.instance(err, InternalServerError);
  }
  try {
    await sdk.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] });
    assert.unreachable('404 expected');
  } catch (err) {
    assert.is((err as APIError).status, 404);
    assert.instance(err, NotFoundError);
  }
});

test.run();
