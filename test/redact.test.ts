/**
 * util/redact.ts, the one redactor (issue 17 item 7): registered secrets go whole and as echoes of 8+
 * characters, URL credentials become ***, JSON texts stay valid JSON, and values that may be ordinary text
 * (short ones, paths in a KEY variable) do not blank what is written.
 */
import { test } from 'uvu';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnVllm } from '../harness/serve/vllm-process.js';
import * as assert from 'uvu/assert';
import {
  clearSecrets,
  displayUrl,
  hasSecrets,
  redactFileText,
  redactJsonText,
  redactMessage,
  redactText,
  registerEnvSecrets,
  registerSecrets,
  registerUrlCredentials,
} from '../harness/util/redact.js';

const KEY = 'sk-live-4f9a1c77e2b04d0d9c3e';
test.after.each(() => clearSecrets());

test('a registered key goes whole and as any echo of 8+ characters; 7 characters stay', () => {
  registerSecrets([KEY]);
  assert.ok(hasSecrets());
  assert.is(redactText(`auth: Bearer ${KEY}.`), 'auth: Bearer [redacted].');
  // Every 8-character piece, wherever it sits in the key and in the text.
  for (let i = 0; i + 8 <= KEY.length; i++) {
    const piece = KEY.slice(i, i + 8);
    const out = redactText(`(${piece})`);
    assert.not.ok(out.includes(piece), `piece at ${i}: ${out}`);
    assert.is(out, '([redacted])');
  }
  assert.is(redactText(`cut: ${KEY.slice(0, 10)}`), 'cut: [redacted]');
  assert.is(redactText(KEY.slice(3, 10)), KEY.slice(3, 10), 'a 7-character piece is ordinary text');
  assert.is(redactText('nothing here'), 'nothing here');
});

test('two echoes and the key in one text, overlapping pieces, a key repeated back to back', () => {
  registerSecrets([KEY]);
  const out = redactText(`${KEY.slice(0, 12)} and ${KEY.slice(5, 20)} and ${KEY}${KEY}`);
  assert.is(out, '[redacted] and [redacted] and [redacted][redacted]');
});

test('URL credentials: shown as ***, and the user and password are secrets wherever they are echoed', () => {
  const url = 'http://alice-admin:s3cret-pa55word@127.0.0.1:8000/v1';
  assert.is(displayUrl(url), 'http://***@127.0.0.1:8000/v1');
  registerUrlCredentials(`openai:${url}#m`);
  assert.is(redactText(`backend openai:${url}#m`), 'backend openai:http://***@127.0.0.1:8000/v1#m');
  assert.is(redactText('the password is s3cret-pa55word'), 'the password is [redacted]');
  assert.is(redactText('pa55word!'), '[redacted]!');
  const basic = Buffer.from('alice-admin:s3cret-pa55word').toString('base64');
  assert.is(redactText(`Authorization: Basic ${basic}`), 'Authorization: Basic [redacted]');
  // Any URL written with credentials loses them, registered or not.
  clearSecrets();
  assert.is(redactText('see ftp://bob:hunter2@files.example/x'), 'see ftp://***@files.example/x');
  assert.is(redactText('mail bob@example.com, https://example.com/@bob'), 'mail bob@example.com, https://example.com/@bob');
});

test('a JSON text stays valid JSON, also when the secret needs escaping or an echo starts inside an escape', () => {
  const odd = 'k\\ey"with-quote-and-backslash';
  registerSecrets([odd, 'nabcdefghijk']);
  const line = JSON.stringify({ raw: `x ${odd} y`, other: 'line\nabcdefghij end', n: 1 });
  const out = redactJsonText(line);
  const value = JSON.parse(out);
  assert.is(value.raw, 'x [redacted] y');
  assert.is(value.n, 1);
  assert.not.ok(out.includes('abcdefgh'), out);
  // Pretty-printed JSON keeps its indentation on the structural path.
  const pretty = JSON.stringify({ a: `\\nabcdefghijk` }, null, 2) + '\n';
  const p = redactJsonText(pretty);
  assert.ok(p.endsWith('}\n') && p.includes('\n  "a"'), p);
  assert.not.ok(p.includes('abcdefgh'));
});

test('HTML and CSV: the escaped forms of a secret go whole; an echo never cuts an entity or a doubled quote', () => {
  registerSecrets(['abc<def>"ghi&jkl']);
  assert.is(redactText('<td>abc&lt;def&gt;&quot;ghi&amp;jkl</td>'), '<td>[redacted]</td>');
  assert.is(redactText('"x ""abc<def>""ghi&jkl"""'), '"x ""[redacted]"""');
  assert.is(redactFileText('a.csv', 'a,"abc<def>""ghi&jkl"\n'), 'a,"[redacted]"\n');
});

test('environment: named variables and KEY-like names are secrets; a path or a short value is not echo-matched', () => {
  registerEnvSecrets(
    {
      MY_AUTH: 'token-from-named-variable',
      OPENAI_API_KEY: 'sk-abcdefghijklmnop',
      SSH_KEY_PATH: '/home/alice/.ssh/id_ed25519',
      API_TOKEN: '1',
      HOME: '/home/alice',
    },
    ['MY_AUTH'],
  );
  assert.is(redactText('x token-from-named-variable'), 'x [redacted]');
  assert.is(redactText('echo sk-abcdefgh'), 'echo [redacted]');
  assert.is(redactText('/home/alice/runs/1'), '/home/alice/runs/1', 'a path variable does not blank other paths');
  assert.is(redactText('key at /home/alice/.ssh/id_ed25519'), 'key at [redacted]');
  assert.is(redactText('version 1'), 'version 1');
});

test('error messages also lose the usual shapes of keys, and extra values given', () => {
  assert.is(redactMessage('rejected Bearer abcdefgh12345 for ?api_key=zzz&x=1'), 'rejected Bearer [redacted] for ?api_key=[redacted]&x=1');
  assert.is(redactMessage('value topsecret1 echoed', ['topsecret1']), 'value [redacted] echoed');
});

test("vllm.log: the served process's output is logged in whole lines, redacted, a split multi-byte character kept", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gtm-vllm-log-'));
  try {
    registerSecrets([KEY]);
    const exe = join(dir, 'fake-vllm');
    // Two writes: a secret whole and cut, then an "é" whose two bytes straddle two writes, and a last line without \n.
    writeFileSync(exe, `#!/bin/sh\nprintf 'api key ${KEY} cut ${KEY.slice(0, 12)}\\n'\nprintf 'caf\\303'\nsleep 0.2\nprintf '\\251 ok\\nlast'\n`);
    chmodSync(exe, 0o755);
    const log = join(dir, 'vllm.log');
    const p = spawnVllm({ executable: exe, checkpoint: 'ckpt', host: '127.0.0.1', port: 1, extra_args: [], log_file: log });
    await p.exited;
    // The log stream ends on the child's 'close', just after 'exit'.
    for (let i = 0; i < 50 && !readFileSync(log, 'utf8').endsWith('last'); i++) await new Promise((r) => setTimeout(r, 20));
    assert.is(readFileSync(log, 'utf8'), 'api key [redacted] cut [redacted]\ncafé ok\nlast');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
