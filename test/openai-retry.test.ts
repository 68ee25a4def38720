// Backoff arithmetic, the retry loop, and error-body messages, without any server.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { describeHttpError, transportCallError } from '../harness/net/openai-errors.js';
import { backoffDelay, defaultRetryPolicy, defaultSleep, parseRetryAfter, withRetry, type AttemptResult } from '../harness/net/retry.js';
import type { CallError } from '../harness/targets/types.js';

test('full jitter: random * min(max, base * 2^n)', () => {
  const p = defaultRetryPolicy(5, { base_ms: 100, max_ms: 1000, random: () => 1 });
  assert.equal(
    [0, 1, 2, 3, 4, 5].map((n) => backoffDelay(p, n)),
    [100, 200, 400, 800, 1000, 1000],
  );
  assert.is(backoffDelay({ ...p, random: () => 0 }, 3), 0);
  assert.is(backoffDelay(p, 0, 7_000), 7_000);
  assert.is(backoffDelay({ ...p, retry_after_max_ms: 5_000 }, 0, 60_000), 5_000);
});

test('Retry-After: seconds or an HTTP date', () => {
  assert.is(parseRetryAfter('3'), 3000);
  assert.is(parseRetryAfter('0.5'), 500);
  assert.is(parseRetryAfter(null), undefined);
  assert.is(parseRetryAfter('soon'), undefined);
  const now = Date.parse('2025-01-01T00:00:00Z');
  assert.is(parseRetryAfter('Wed, 01 Jan 2025 00:00:10 GMT', now), 10_000);
});

const fail = (cls: CallError['class']): AttemptResult<string> => ({ ok: false, error: { class: cls, message: cls } });

test('retries only transient classes, and counts attempts', async () => {
  const sleeps: number[] = [];
  const p = defaultRetryPolicy(3, { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 });
  for (const cls of ['http_429', 'http_5xx', 'connection', 'timeout'] as const) {
    const out = await withRetry(p, async () => fail(cls));
    assert.is(out.attempts, 4, cls);
  }
  for (const cls of ['http_4xx', 'bad_response', 'aborted'] as const) {
    const out = await withRetry(p, async () => fail(cls));
    assert.is(out.attempts, 1, cls);
  }
  let n = 0;
  const out = await withRetry(p, async () => (++n < 3 ? fail('http_5xx') : { ok: true, value: 'done' }));
  assert.equal(out, { result: { ok: true, value: 'done' }, attempts: 3 });
});

test('an abort during backoff ends the loop as aborted', async () => {
  const ac = new AbortController();
  const p = defaultRetryPolicy(5, { sleep: async () => ac.abort() });
  const out = await withRetry(p, async () => fail('http_5xx'), ac.signal);
  assert.is(out.attempts, 1);
  assert.is(!out.result.ok && out.result.error.class, 'aborted');
});

test('defaultSleep returns early on abort', async () => {
  const ac = new AbortController();
  const t0 = performance.now();
  setTimeout(() => ac.abort(), 10);
  await defaultSleep(5_000, ac.signal);
  assert.ok(performance.now() - t0 < 4_000);
});

test('error bodies: vLLM flat, OpenAI nested, FastAPI detail, foreign JSON, garbage, empty', () => {
  assert.is(
    describeHttpError(404, { object: 'error', message: 'no such model', type: 'NotFoundError', code: 404 }, undefined),
    'HTTP 404 NotFoundError: no such model',
  );
  assert.is(describeHttpError(429, { error: { message: 'slow down', type: 'rate_limit' } }, undefined), 'HTTP 429 rate_limit: slow down');
  assert.is(describeHttpError(422, { detail: [{ loc: ['body', 'model'], msg: 'field required' }] }, undefined), 'HTTP 422: body.model: field required');
  assert.is(describeHttpError(500, { weird: true }, undefined), 'HTTP 500 with an unrecognised JSON error body: "{\\"weird\\":true}"');
  assert.is(describeHttpError(502, undefined, 'Bad Gateway'), 'HTTP 502 with a non-JSON body: "Bad Gateway"');
  assert.is(describeHttpError(503, undefined, ''), 'HTTP 503 with an empty body');
  const long = describeHttpError(502, undefined, 'x'.repeat(1000));
  assert.ok(long.includes('"' + 'x'.repeat(200) + '…"') && !long.includes('x'.repeat(201)), long);
});

test('transport errors: codes from the cause chain', () => {
  const refused = new Error('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) });
  assert.equal(transportCallError(refused), { class: 'connection', message: 'connection failed: connect ECONNREFUSED 127.0.0.1:9' });
  const slow = Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' });
  assert.is(transportCallError(slow).class, 'timeout');
});

test.run();
