// OpenAICompatClient against the loopback stand-in: retries counted, errors classified, streams assembled.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { OpenAICompatClient, type CompletionRequest } from '../harness/targets/openai-client.js';
import type { RetryPolicy } from '../harness/net/retry.js';
import { startStandIn, type StandIn, type StandInOptions } from '../dev/stand-ins/vllm-stand-in.js';

const open: { close(): Promise<void> }[] = [];
test.after.each(async () => {
  await Promise.all(open.splice(0).map((x) => x.close()));
});

/** A stand-in plus a client whose sleeps are recorded, not waited. */
async function setup(standIn: StandInOptions, opts: { retries?: number; retry?: Partial<RetryPolicy>; maxBytes?: number } = {}) {
  const s: StandIn = await startStandIn({ log: true, ...standIn });
  const sleeps: number[] = [];
  const client = new OpenAICompatClient({
    base_url: s.url + '/v1',
    concurrency: 4,
    retries: opts.retries ?? 3,
    retry: { random: () => 0.5, sleep: async (ms) => void sleeps.push(ms), ...opts.retry },
    ...(opts.maxBytes ? { max_response_bytes: opts.maxBytes } : {}),
  });
  open.push(client, s);
  return { s, client, sleeps };
}

const chat = (extra: Partial<CompletionRequest> = {}): CompletionRequest => ({
  api: 'chat',
  model: 'stand-in',
  messages: [{ role: 'user', content: 'hello' }],
  sampling: {},
  stream: false,
  timeout_ms: 5_000,
  ...extra,
});

test('503, 503, then 200: two retries counted, backoff grows', async () => {
  const { client, sleeps, s } = await setup({ queue: [{ status: 503 }, { status: 503 }, { text: '{"ok":true}' }] });
  const r = await client.complete(chat());
  assert.is(r.error, null);
  assert.is(r.text, '{"ok":true}');
  assert.is(r.retries, 2);
  assert.is(s.requests.length, 3);
  assert.equal(sleeps, [0.5 * 250, 0.5 * 500], 'full jitter over base * 2^n');
  assert.equal(r.usage, { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 });
  assert.is(r.finish_reason, 'stop');
  assert.ok(r.latency_ms >= 0);
});

test('Retry-After is honoured, and capped', async () => {
  const { client, sleeps } = await setup(
    { queue: [{ status: 429, headers: { 'retry-after': '2' } }, { status: 503, headers: { 'retry-after': '120' } }, { text: 'x' }] },
    { retry: { retry_after_max_ms: 10_000 } },
  );
  const r = await client.complete(chat());
  assert.is(r.error, null);
  assert.is(r.retries, 2);
  assert.equal(sleeps, [2000, 10_000]);
});

test('429 until retries run out: http_429 with the server message', async () => {
  const { client, s } = await setup({ respond: () => ({ status: 429, text: 'too many requests in flight' }) }, { retries: 2 });
  const r = await client.complete(chat());
  assert.is(r.text, null);
  assert.is(r.retries, 2);
  assert.is(s.requests.length, 3);
  assert.is(r.error!.class, 'http_429');
  assert.is(r.error!.status, 429);
  assert.is(r.error!.message, 'HTTP 429 RateLimitError: too many requests in flight');
});

test('no retry on 400 or 404; vLLM error message kept', async () => {
  const { client, s, sleeps } = await setup({ queue: [{ status: 400, text: 'max_tokens must be at least 1' }] });
  const r = await client.complete(chat());
  assert.is(r.error!.class, 'http_4xx');
  assert.is(r.error!.status, 400);
  assert.is(r.error!.message, 'HTTP 400 BadRequestError: max_tokens must be at least 1');
  assert.is(r.retries, 0);
  const r2 = await client.complete(chat({ model: 'missing-model' }));
  assert.is(r2.error!.class, 'http_4xx');
  assert.match(r2.error!.message, 'The model `missing-model` does not exist.');
  assert.is(r2.retries, 0);
  assert.is(s.requests.length, 2);
  assert.equal(sleeps, []);
});

test('OpenAI-shaped error body and non-JSON error body give clear messages', async () => {
  const { client } = await setup(
    {
      queue: [
        { status: 401, body: JSON.stringify({ error: { message: 'Unauthorized', type: 'invalid_request_error', code: null } }) },
        { status: 502, body: '<html>' + 'x'.repeat(300) + '</html>', contentType: 'text/html' },
      ],
    },
    { retries: 0 },
  );
  const r1 = await client.complete(chat());
  assert.is(r1.error!.message, 'HTTP 401 invalid_request_error: Unauthorized');
  const r2 = await client.complete(chat());
  assert.is(r2.error!.class, 'http_5xx');
  assert.ok(r2.error!.message.startsWith('HTTP 502 with a non-JSON body: "<html>xxx'), r2.error!.message);
  assert.ok(r2.error!.message.length < 240);
});

test('timeout: an answer slower than timeout_ms is classified, and retried', async () => {
  const { client, s } = await setup({ respond: () => ({ delayMs: 300 }) }, { retries: 1 });
  const r = await client.complete(chat({ timeout_ms: 40 }));
  assert.is(r.error!.class, 'timeout');
  assert.is(r.error!.message, 'no complete response within 40 ms');
  assert.is(r.retries, 1);
  assert.is(s.requests.length, 2);
});

test('timeout while a stream is still sending', async () => {
  const { client } = await setup({ respond: () => ({ chunks: ['a', 'b', 'c', 'd'], chunkDelayMs: 150 }) }, { retries: 0 });
  const r = await client.complete(chat({ stream: true, timeout_ms: 80 }));
  assert.is(r.error!.class, 'timeout');
});

test('connection refused on a closed port', async () => {
  const gone = await startStandIn();
  await gone.close();
  const sleeps: number[] = [];
  const client = new OpenAICompatClient({ base_url: gone.url + '/v1', concurrency: 1, retries: 2, retry: { sleep: async (ms) => void sleeps.push(ms) } });
  open.push(client);
  const r = await client.complete(chat());
  assert.is(r.error!.class, 'connection');
  assert.match(r.error!.message, 'ECONNREFUSED');
  assert.is(r.retries, 2);
  assert.is(sleeps.length, 2);
});

test('dropped connection is a connection error', async () => {
  const { client } = await setup({ respond: () => ({ dropConnection: true }) }, { retries: 0 });
  const r = await client.complete(chat());
  assert.is(r.error!.class, 'connection');
});

test('200 with a garbage body that persists: retried like a 5xx, then bad_response (issue 17 item 8)', async () => {
  const { client, s } = await setup({ respond: () => ({ body: 'this is not json {' }) }, { retries: 2 });
  const r = await client.complete(chat());
  assert.is(r.error!.class, 'bad_response');
  assert.is(r.error!.message, '200 with a non-JSON body: "this is not json {"');
  assert.is(r.retries, 2);
  assert.is(s.requests.length, 3);
});

test('200 with a garbage body once: the retry gets the answer', async () => {
  let n = 0;
  const { client, s } = await setup({ respond: () => (n++ === 0 ? { body: '<html>502 from a proxy' } : { text: '{"ok":true}' }) }, { retries: 2 });
  const r = await client.complete(chat());
  assert.is(r.error, null);
  assert.is(r.text, '{"ok":true}');
  assert.is(r.retries, 1);
  assert.is(s.requests.length, 2);
});

test('an answer past max_response_bytes, plain or streamed: response_too_large, not retried, the head kept', async () => {
  const big = 'x'.repeat(5000);
  const { client, s } = await setup(
    { respond: () => ({ text: big, chunks: Array.from({ length: 50 }, () => 'x'.repeat(100)) }) },
    { maxBytes: 2048, retries: 2 },
  );
  const plain = await client.complete(chat());
  assert.is(plain.error!.class, 'response_too_large');
  assert.match(plain.error!.message, 'limits.response_bytes (2,048 bytes)');
  assert.ok(plain.text!.length > 1000 && plain.text!.length <= 2048, String(plain.text!.length));
  assert.ok(plain.text!.startsWith('{'));
  assert.is(plain.retries, 0);
  const streamed = await client.complete(chat({ stream: true }));
  assert.is(streamed.error!.class, 'response_too_large');
  // The streamed head is the text assembled from the events read before the cap.
  assert.match(streamed.text!, /^x+$/, JSON.stringify(streamed));
  assert.ok(streamed.text!.length < 2048);
  assert.is(s.requests.length, 2);
});

test('200 with no choices: bad_response, not retried (the shape is wrong, not garbled)', async () => {
  const { client, s } = await setup({ respond: () => ({ body: '{"id":"x","choices":[]}' }) }, { retries: 2 });
  const r = await client.complete(chat());
  assert.is(r.error!.class, 'bad_response');
  assert.match(r.error!.message, 'without choices');
  assert.is(r.retries, 0);
  assert.is(s.requests.length, 1);
});

test('stream assembled from deltas, with usage, finish reason and time to first token', async () => {
  const { client, s } = await setup({ respond: () => ({ chunks: ['{"temp', '": 21', '.5}'], finish_reason: 'length' }) });
  const r = await client.complete(chat({ stream: true }));
  assert.is(r.error, null);
  assert.is(r.text, '{"temp": 21.5}');
  assert.is(r.finish_reason, 'length');
  assert.equal(r.usage, { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 });
  assert.type(r.ttft_ms, 'number');
  assert.ok(r.ttft_ms! >= 0 && r.ttft_ms! <= r.latency_ms);
  const sent = s.requests[0].body;
  assert.is(sent.stream, true);
  assert.equal(sent.stream_options, { include_usage: true });
});

test('completions API, streamed and not', async () => {
  const { client, s } = await setup({ respond: () => ({ text: '{"x": 1}' }) });
  const base: CompletionRequest = { api: 'completions', model: 'stand-in', prompt: 'Tool: t\nResponse:', sampling: {}, stream: false, timeout_ms: 5_000 };
  const r1 = await client.complete(base);
  assert.is(r1.text, '{"x": 1}');
  assert.is(r1.ttft_ms, undefined);
  const r2 = await client.complete({ ...base, stream: true });
  assert.is(r2.text, '{"x": 1}');
  assert.type(r2.ttft_ms, 'number');
  assert.is(s.requests[0].path, '/v1/completions');
  assert.is(s.requests[0].body.prompt, 'Tool: t\nResponse:');
});

test('a stream that ends without [DONE] is bad_response', async () => {
  const { client } = await setup({ respond: () => ({ text: 'a b c', truncateStream: true }) });
  const r = await client.complete(chat({ stream: true }));
  assert.is(r.error!.class, 'bad_response');
  assert.match(r.error!.message, '[DONE]');
  assert.is(r.retries, 0);
});

test('an error object inside a 200 stream is classified by its code', async () => {
  const chunk = JSON.stringify({ object: 'error', message: 'engine died', type: 'InternalServerError', code: 500 });
  const { client } = await setup({ respond: () => ({ body: `data: ${chunk}\n\n`, contentType: 'text/event-stream' }) }, { retries: 0 });
  const r = await client.complete(chat({ stream: true }));
  assert.is(r.error!.class, 'http_5xx');
  assert.match(r.error!.message, 'engine died');
});

test('sampling parameters are sent as given', async () => {
  const { client, s } = await setup({});
  await client.complete(chat({ sampling: { temperature: 0.2, top_p: 0.9, max_tokens: 64, seed: 7, stop: ['\n\n'] } }));
  const b = s.requests[0].body;
  assert.equal([b.temperature, b.top_p, b.max_tokens, b.seed, b.stop], [0.2, 0.9, 64, 7, ['\n\n']]);
  assert.is(b.stream, undefined);
});

test('caller abort gives aborted, without retries', async () => {
  const { client } = await setup({ respond: () => ({ delayMs: 500 }) });
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 30);
  const r = await client.complete(chat({ signal: ac.signal }));
  assert.is(r.error!.class, 'aborted');
  assert.is(r.retries, 0);
});

test('concurrent calls all answer through the pool', async () => {
  const { client } = await setup({ respond: (req) => ({ text: req.body.messages[0].content }) });
  const results = await Promise.all(Array.from({ length: 40 }, (_, i) => client.complete(chat({ messages: [{ role: 'user', content: `m${i}` }] }))));
  assert.equal(
    results.map((r) => r.text),
    Array.from({ length: 40 }, (_, i) => `m${i}`),
  );
});

test('api key: sent as bearer, absent from describe(); no variable or an unset one sends EMPTY', async () => {
  const s = await startStandIn({ log: true });
  open.push(s);
  const client = new OpenAICompatClient({ base_url: s.url + '/v1', api_key_env: 'K', env: { K: 'sk-abc-999' }, concurrency: 1, retries: 0 });
  open.push(client);
  await client.complete(chat());
  assert.is(s.requests[0].headers.authorization, 'Bearer sk-abc-999');
  assert.not.match(JSON.stringify(client.describe()), 'sk-abc-999');
  assert.is(client.redact('echo Bearer sk-abc-999'), 'echo Bearer [redacted]');
  const anon = new OpenAICompatClient({ base_url: s.url + '/v1', concurrency: 1, retries: 0 });
  open.push(anon);
  await anon.complete(chat());
  assert.is(s.requests[1].headers.authorization, 'Bearer EMPTY');
  const unset = new OpenAICompatClient({ base_url: s.url + '/v1', api_key_env: 'NOPE', env: {}, concurrency: 1, retries: 0 });
  open.push(unset);
  await unset.complete(chat());
  assert.is(s.requests[2].headers.authorization, 'Bearer EMPTY');
});

test('an OPENAI_ADMIN_KEY in the environment never replaces the key or reaches the server', async () => {
  const s = await startStandIn({ log: true });
  open.push(s);
  process.env.OPENAI_ADMIN_KEY = 'sk-admin-leak';
  try {
    const client = new OpenAICompatClient({ base_url: s.url + '/v1', concurrency: 1, retries: 0 });
    open.push(client);
    await client.complete(chat());
    assert.is(s.requests[0].headers.authorization, 'Bearer EMPTY');
    assert.not.match(JSON.stringify(s.requests[0].headers), 'sk-admin-leak');
  } finally {
    delete process.env.OPENAI_ADMIN_KEY;
  }
});

test.run();
