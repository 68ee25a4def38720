/** net/capped-body.ts: the byte cap, a UTF-8 character never cut in two, and the count of replaced sequences. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Readable } from 'node:stream';
import { createServer } from 'node:http';
import { cappedChunks, CountingDecoder, decodeCounted, DEFAULT_RESPONSE_BYTES, readCapped } from '../harness/net/capped-body.js';
import { httpGet } from '../harness/net/http-get.js';

const bodyOf = (chunks: Buffer[]) => Readable.from(chunks);

test('under the cap: the whole text, not over', async () => {
  const r = await readCapped(bodyOf([Buffer.from('{"a":'), Buffer.from('1}')]), 100);
  assert.equal(r, { text: '{"a":1}', bytes: 7, over: false, replaced: 0 });
});

test('past the cap: reading stops, the stream is destroyed, the head is cut on a character boundary', async () => {
  let pulled = 0;
  const euro = Buffer.from('€€€€'); // 3 bytes each
  const body = Readable.from(
    (function* () {
      for (let i = 0; i < 1000; i++) {
        pulled++;
        yield euro;
      }
    })(),
  );
  const r = await readCapped(body, 13);
  assert.ok(r.over);
  assert.is(r.text, '€€€€'); // 12 bytes: the 5th euro (bytes 13..15) would be cut, so it is dropped whole
  assert.is(r.replaced, 0);
  assert.ok(body.destroyed);
  assert.ok(pulled < 1000, `pulled ${pulled} chunks`);
});

test('invalid sequences are counted; a U+FFFD the sender wrote is not', () => {
  const buf = Buffer.concat([Buffer.from('a'), Buffer.from([0xff]), Buffer.from('b\uFFFDc'), Buffer.from([0xc3])]);
  assert.equal(decodeCounted(buf), { text: 'a\uFFFDb\uFFFDc\uFFFD', replaced: 2 });
  assert.equal(decodeCounted(Buffer.from('plain')), { text: 'plain', replaced: 0 });
});

test('CountingDecoder: characters and sent U+FFFD split across chunks are neither broken nor counted', () => {
  const d = new CountingDecoder();
  const fffd = Buffer.from('\uFFFD');
  const euro = Buffer.from('€');
  let text = '';
  text += d.decode(Buffer.concat([Buffer.from('x'), fffd.subarray(0, 2)]));
  text += d.decode(Buffer.concat([fffd.subarray(2), euro.subarray(0, 1)]));
  text += d.decode(Buffer.concat([euro.subarray(1), Buffer.from([0xff]), Buffer.from('y')]));
  text += d.decode(Buffer.from([0xe2, 0x82]));
  text += d.end();
  assert.is(text, 'x\uFFFD€\uFFFDy\uFFFD');
  // The lone 0xff and the sequence cut at the end; not the U+FFFD that was sent.
  assert.is(d.replaced, 2);
});

test('cappedChunks: yields up to the cap, then ends early and says so', async () => {
  const state = { bytes: 0, over: false };
  const body = bodyOf([Buffer.alloc(10), Buffer.alloc(10), Buffer.alloc(10)]);
  let got = 0;
  for await (const c of cappedChunks(body, 15, state)) got += c.byteLength;
  assert.is(got, 15);
  assert.ok(state.over);
  assert.ok(body.destroyed);
});

test('httpGet (the control plane: /v1/models, /metrics) refuses an answer past the default cap instead of buffering it', async () => {
  let written = 0;
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    const chunk = Buffer.alloc(1 << 20, 'a');
    const pump = () => {
      while (written < 64 * (1 << 20)) {
        written += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    res.on('close', () => (written = Infinity));
    pump();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/metrics`;
  try {
    const err = await httpGet(url, 60_000).then(
      () => undefined,
      (e: Error) => e,
    );
    assert.match(String(err?.message), `answer larger than ${DEFAULT_RESPONSE_BYTES} bytes; not read further`);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

test.run();
