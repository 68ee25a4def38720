/**
 * Issue 17 items 4 and 8: size caps and garbled answers. Each test drives the real CLI (bin/gtm-bench.js) in a
 * child process against a loopback server (127.0.0.1) written here to misbehave on purpose: answers far over
 * the response cap, bodies that are not JSON, bytes that are not UTF-8 (dev/stand-ins/hostile-server.ts).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRecords } from '../harness/records/reader.js';
import { runCli } from './support/cli-child.js';
import { writeEchoSuite } from './support/echo-suite.js';
import { chatAnswer, hugeAnswer, startHostileServer, type HostileHandler, type HostileServer } from '../dev/stand-ins/hostile-server.js';

const tmp = mkdtempSync(join(tmpdir(), 'gtm-caps-'));

let server: HostileServer;
const setHandler = (h: HostileHandler) => (server.handler = h);

test.before(async () => {
  server = await startHostileServer((res) => chatAnswer(res, '{"text":"x"}'));
});
test.after(async () => {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

const suiteFile = (name: string, o: { limits?: Record<string, number>; retries?: number; description?: string; toolFile?: string } = {}) =>
  writeEchoSuite(tmp, name, { url: server.url, timeoutMs: 60_000, ...o });
const cli = (args: string[]) => runCli(args, { timeoutMs: 180_000 });

const summaryOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));

test('17.4 an answer past limits.response_bytes is read no further: response_too_large with the head, counted by class', async () => {
  const total = 48 * 1024 * 1024;
  server.written = 0;
  setHandler((res) => hugeAnswer(server, res, total));
  const out = join(tmp, 'huge-run');
  const r = await cli(['run', suiteFile('huge', { limits: { response_bytes: 1024 * 1024 } }), '--limit', '3', '--out', out]);
  // Every call failed, so nothing was scored: exit 1 whatever max_error_rate allows (README, exit codes).
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stdout + r.stderr, 'response_too_large × 3');
  const records = readRecords(join(out, 'records.jsonl')).records;
  assert.is(records.length, 3);
  for (const rec of records) {
    assert.is(rec.error?.class, 'response_too_large');
    assert.match(rec.error!.message, 'limits.response_bytes (1,048,576 bytes)');
    // The head of the body as sent, cut at the cap.
    assert.ok(rec.raw!.startsWith('{"id":"c","choices"'), rec.raw!.slice(0, 40));
    assert.ok(rec.raw!.length <= 1024 * 1024 && rec.raw!.length > 1000 * 1024, String(rec.raw!.length));
    assert.is(rec.parse.status, 'none');
  }
  // The client hung up: far less than the three 48 MB answers left the server (socket buffers hold a few MB).
  assert.ok(server.written < total, `server wrote ${server.written} bytes`);
  const summary = summaryOf(out);
  assert.is(summary.targets[0].errors_by_class.response_too_large, 3);
  assert.match(readFileSync(join(out, 'report.md'), 'utf8'), /\| response_too_large \| 3 of 3 \|/);
});

test('17.8 a garbled 200 is retried like a 5xx; one that persists is bad_response after the retries', async () => {
  // Each call's first attempt garbled, its retry answered (a call is known by its request body).
  const seen = new Set<string>();
  setHandler((res, body) => {
    if (!seen.has(body)) {
      seen.add(body);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('<html><body>502 Bad Gateway</body></html>');
    } else chatAnswer(res, '{"text":"hello"}');
  });
  const out = join(tmp, 'garbled-once');
  const r = await cli(['run', suiteFile('garbled-once', { retries: 2 }), '--limit', '2', '--out', out]);
  assert.is(r.code, 0, r.stderr);
  const records = readRecords(join(out, 'records.jsonl')).records;
  assert.is(records.length, 2);
  for (const rec of records) {
    assert.is(rec.error, null);
    assert.is(rec.retries, 1);
    assert.is(rec.raw, '{"text":"hello"}');
  }

  setHandler((res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('not json at all');
  });
  const out2 = join(tmp, 'garbled-always');
  const before = server.requests;
  const r2 = await cli(['run', suiteFile('garbled-always', { retries: 2 }), '--limit', '2', '--out', out2]);
  assert.is(r2.code, 1, r2.stderr);
  const recs2 = readRecords(join(out2, 'records.jsonl')).records;
  assert.is(recs2.length, 2);
  for (const rec of recs2) {
    assert.is(rec.error?.class, 'bad_response');
    assert.is(rec.retries, 2);
  }
  assert.is(server.requests - before, 6);
});

test('17.8 invalid UTF-8 in an answer is counted on the record (invalid_utf8), the raw text holds U+FFFD', async () => {
  setHandler((res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const head = Buffer.from('{"choices":[{"index":0,"message":{"role":"assistant","content":"{\\"text\\":\\"a');
    // Two invalid sequences (a lone 0xff, a cut 3-byte lead) and one U+FFFD the server itself sent.
    const bad = Buffer.from([0xff, 0x62, 0xe2, 0x82, 0x63, 0xef, 0xbf, 0xbd]);
    res.end(Buffer.concat([head, bad, Buffer.from('\\"}"},"finish_reason":"stop"}]}')]));
  });
  const out = join(tmp, 'utf8-run');
  const r = await cli(['run', suiteFile('utf8'), '--limit', '2', '--out', out]);
  assert.is(r.code, 0, r.stderr);
  const records = readRecords(join(out, 'records.jsonl')).records;
  assert.is(records.length, 2);
  for (const rec of records) {
    assert.is(rec.error, null);
    assert.is(rec.raw, '{"text":"a\uFFFDb\uFFFDc\uFFFD"}');
    assert.is(rec.invalid_utf8, 2);
  }
  assert.equal(summaryOf(out).targets[0].invalid_utf8, { calls: 2, sequences: 4 });
  const note = 'target gtm: 2 of 2 answers held bytes that are not UTF-8 (4 sequences), stored and scored as U+FFFD';
  assert.match(readFileSync(join(out, 'report.md'), 'utf8'), note);
  assert.match(readFileSync(join(out, 'report.html'), 'utf8'), note);
});

test('17.4 a prompt longer than limits.record_text_chars is sent whole but stored as its head with request_cut', async () => {
  let sent = 0;
  setHandler((res, body) => {
    sent = Math.max(sent, body.length);
    chatAnswer(res, '{"text":"x"}');
  });
  const description = 'Returns its text argument unchanged. ' + 'lorem ipsum '.repeat(25_000); // ~300 KB
  const out = join(tmp, 'long-prompt');
  const r = await cli(['run', suiteFile('long-prompt', { description, limits: { record_text_chars: 4096 } }), '--limit', '2', '--out', out]);
  assert.is(r.code, 0, r.stderr);
  // The server got the whole prompt.
  assert.ok(sent > 300_000, `largest request ${sent} bytes`);
  const records = readRecords(join(out, 'records.jsonl')).records;
  assert.is(records.length, 2);
  for (const rec of records) {
    const messages = (rec.request as { messages: { role: string; content: string }[] }).messages;
    const user = messages.findIndex((m) => m.role === 'user');
    assert.is(messages[user].content.length, 4096);
    const cut = rec.request_cut!.find((c) => c.path === `/messages/${user}/content`)!;
    assert.ok(cut, JSON.stringify(rec.request_cut));
    assert.ok(cut.chars > 300_000);
    assert.is(cut.kept, 4096);
    assert.match(cut.sha256, /^[0-9a-f]{64}$/);
  }
  // Far smaller than two copies of the prompt.
  assert.ok(statSync(join(out, 'records.jsonl')).size < 40_000);
});

test('17.4 a tool file whose YAML aliases expand to 30 MB prompts is refused at plan time: exit 2, tool and call named, nothing called or written', async () => {
  // 999 aliases of a 30 KB anchor: a 70 KB file, 30 MB of parameters in every rendered prompt.
  const anchor = 'A'.repeat(30_000);
  const props = [
    `    p0: { type: string, description: &d "${anchor}" }`,
    ...Array.from({ length: 998 }, (_, i) => `    p${i + 1}: { type: string, description: *d }`),
  ];
  const toolFile = join(tmp, 'bomb-tool.yaml');
  writeFileSync(
    toolFile,
    [
      'name: echo',
      'description: Returns its text argument unchanged.',
      'parameters:',
      '  type: object',
      '  required: [text]',
      '  properties:',
      '    text: { type: string }',
    ]
      .concat(props, ['response_schema: { type: object, properties: { text: { type: string } }, required: [text] }', ''])
      .join('\n'),
  );
  const before = server.requests;
  const out = join(tmp, 'bomb-run');
  const suite = suiteFile('bomb', { toolFile });
  const r = await cli(['run', suite, '--limit', '3', '--out', out]);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, '3 rendered prompts are larger than limits.prompt_bytes (1,048,576 bytes)');
  assert.match(r.stderr, /target gtm, tool echo, call echo-\d+ \(dataset echo-calls line \d+\): more than 1,048,576 bytes/);
  assert.is(server.requests, before, 'no completion was requested');
  assert.not.ok(existsSync(out), 'no run folder');
  // With the cap raised past the prompts the same suite runs (the refusal was the cap, not the file).
  const raised = suiteFile('bomb-raised', { toolFile, limits: { prompt_bytes: 64 * 1024 * 1024, record_text_chars: 4096 } });
  const ok = await cli(['run', raised, '--limit', '1', '--out', out]);
  assert.is(ok.code, 0, ok.stderr);
  assert.is(server.requests, before + 1);
});

test('17.4 report.html shows a long answer as its head and its size, not whole', async () => {
  setHandler((res) => hugeAnswer(server, res, 3 * 1024 * 1024));
  const out = join(tmp, 'long-answer');
  // A 3 MB answer under the response cap: the record keeps its first 1,048,576 characters (record_text_chars).
  const r = await cli(['run', suiteFile('long-answer'), '--limit', '2', '--out', out]);
  assert.is(r.code, 0, r.stderr);
  const records = readRecords(join(out, 'records.jsonl')).records;
  assert.is(records[0].raw!.length, 1024 * 1024);
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.match(html, '(3.1 MB, showing the first 4,096 characters)');
  assert.ok(statSync(join(out, 'report.html')).size < 200_000, `report.html ${statSync(join(out, 'report.html')).size} bytes`);
});

test.run();
