// The pool's fetch: a Response the openai client can use, streams left as streams, other origins refused.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHttpPool } from '../harness/targets/http-pool.js';
import { startStandIn } from './support/vllm-stand-in.js';

async function rejects(run: () => Promise<unknown>, re?: RegExp): Promise<void> {
  try {
    await run();
  } catch (err) {
    if (re) assert.match((err as Error).message, re);
    return;
  }
  assert.unreachable('expected a rejection');
}

test('buffered JSON response behaves like a Response', async () => {
  const s = await startStandIn({ respond: () => ({ text: 'hi' }) });
  const hp = createHttpPool(s.url, { connections: 2 });
  try {
    const init = { method: 'POST', headers: new Headers({ 'content-type': 'application/json' }), body: JSON.stringify({ model: 'stand-in', prompt: 'x' }) };
    const res = await hp.fetch(s.url + '/v1/completions', init);
    assert.instance(res, Response);
    assert.is(res.status, 200);
    assert.ok(res.ok);
    assert.match(res.headers.get('content-type')!, 'application/json');
    const copy = res.clone();
    assert.is(res.bodyUsed, false);
    const body: any = await res.json();
    assert.is(body.choices[0].text, 'hi');
    assert.is(res.bodyUsed, true);
    await rejects(() => res.text());
    assert.is((JSON.parse(new TextDecoder().decode(await copy.arrayBuffer())) as any).choices[0].text, 'hi');
    const viaStream = await hp.fetch(s.url + '/v1/completions', init);
    assert.match(await new Response(viaStream.body).text(), '"hi"');
    const missing = await hp.fetch(s.url + '/v2/x');
    assert.is(missing.status, 404);
    assert.not.ok(missing.ok);
  } finally {
    await hp.close();
    await s.close();
  }
});

test('event streams arrive piece by piece', async () => {
  const s = await startStandIn({ respond: () => ({ chunks: ['a', 'b'], chunkDelayMs: 100 }) });
  const hp = createHttpPool(s.url, { connections: 1 });
  try {
    const res = await hp.fetch(s.url + '/v1/completions', { method: 'POST', body: JSON.stringify({ model: 'stand-in', prompt: 'x', stream: true }) });
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    assert.match(first, '"text":"a"');
    assert.not.match(first, '[DONE]');
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += new TextDecoder().decode(r.value);
    assert.ok(rest.endsWith('data: [DONE]\n\n'));
  } finally {
    await hp.close();
    await s.close();
  }
});

test('another origin is refused', async () => {
  const hp = createHttpPool('http://127.0.0.1:9', { connections: 1 });
  try {
    await rejects(() => hp.fetch('http://127.0.0.2:9/x'), /cannot fetch/);
  } finally {
    await hp.close();
  }
});

test.run();
