/** records/stored-request.ts: each text of a request past the cap is stored as its head, with where it was. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { storedRequest } from '../harness/records/stored-request.js';
import { attachRequestJson } from '../harness/records/request-json.js';

test('a request within the cap is the very same object (a spliced request JSON stays valid)', () => {
  const req = { api: 'chat', messages: [{ role: 'user', content: 'short' }], sampling: { temperature: 0 } };
  const r = storedRequest(req, 100);
  assert.is(r.request, req);
  assert.is(r.cuts, undefined);
});

test('a long text is cut to its head; the cut names its JSON Pointer, size and sha256; nothing else is copied', () => {
  const long = 'x'.repeat(1000) + '€';
  const sampling = { temperature: 0 };
  const req = {
    messages: [
      { role: 'system', content: 'sys' },
      { role: 'user', content: long },
    ],
    'a/b~c': long,
    sampling,
  };
  const r = storedRequest(req, 256);
  const out = r.request as typeof req;
  assert.is(out.messages[1].content, 'x'.repeat(256));
  assert.is(out.messages[0], req.messages[0]);
  assert.is(out.sampling, sampling);
  assert.is(req.messages[1].content, long, 'the request as sent is not changed');
  assert.equal(
    r.cuts!.map((c) => c.path),
    ['/messages/1/content', '/a~1b~0c'],
  );
  assert.equal(r.cuts![0], {
    path: '/messages/1/content',
    chars: 1001,
    bytes: 1003,
    sha256: createHash('sha256').update(long).digest('hex'),
    kept: 256,
  });
});

test('a request with its JSON attached: within the cap it is returned untouched, past it the long text is still cut', () => {
  const small = { messages: [{ role: 'user', content: 'x'.repeat(50) }] };
  attachRequestJson(small, JSON.stringify(small));
  assert.is(storedRequest(small, 100).request, small);
  const big = { messages: [{ role: 'user', content: 'y'.repeat(500) }] };
  attachRequestJson(big, JSON.stringify(big));
  const out = storedRequest(big, 100);
  assert.is(out.cuts?.[0].path, '/messages/0/content');
  assert.is((out.request as typeof big).messages[0].content.length <= 100, true);
});

test.run();
