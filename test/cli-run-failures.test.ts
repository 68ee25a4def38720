/**
 * Issue 13 items 1-3 through the real binary: why calls failed is in the terminal, report.md and report.html
 * (classes, counts, one verbatim message, secrets redacted); the pre-flight check stops a run against a bad
 * endpoint in seconds with exit 2 and the fix; the end of the output says when a judge or a server failed on
 * every call and how to resume an interrupted run.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { echoResponse } from './support/echo-responder.js';
import { startStandIn, type StandIn } from '../dev/stand-ins/vllm-stand-in.js';
import { runCli } from './support/cli-child.js';

const SUITE = 'test/fixtures/cli/echo-model.yaml';
const tmp = mkdtempSync(join(tmpdir(), 'gtm-cli-fail-'));
const SECRET = 'sk-test-0123456789abcdef';
let standIn: StandIn;
let html: Server;
let htmlUrl: string;
let closedUrl: string;

test.before(async () => {
  standIn = await startStandIn({ models: ['gtm-echo'], respond: echoResponse });
  html = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><head><title>Dashboard</title></head><body>hi</body></html>'),
  );
  await new Promise<void>((r) => html.listen(0, '127.0.0.1', () => r()));
  htmlUrl = `http://127.0.0.1:${(html.address() as AddressInfo).port}`;
  // A port that was free a moment ago and has nothing listening now.
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
  closedUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/v1`;
  await new Promise((r) => probe.close(r));
});
test.after(async () => {
  await standIn.close();
  await new Promise((r) => html.close(r));
  rmSync(tmp, { recursive: true, force: true });
});

const run = (name: string, env: Record<string, string>, extra: string[] = []) =>
  runCli(['run', SUITE, '--quiet', '--out', join(tmp, name), ...extra], { env: { GTM_API_KEY: SECRET, ...env } });

test('item 2: a closed port stops the run with exit 2 and the fix, before any call or run folder', async () => {
  const r = await run('closed', { GTM_BASE_URL: closedUrl, GTM_MODEL: 'gtm-echo' });
  assert.is(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /pre-flight check .* found a problem; nothing was run/);
  assert.match(
    r.stderr,
    new RegExp(
      `target gtm: nothing answers at ${closedUrl} \\(connect ECONNREFUSED .*\\)\\. Start the server, or point base_url of target gtm \\(or --base-url\\) at it\\.`,
    ),
  );
  assert.match(r.stderr, /--no-preflight skips this check/);
  assert.not.ok(existsSync(join(tmp, 'closed')), 'no run folder for a run that never started');
});

test('item 2: a base URL without /v1 is named as such, with the URL to use', async () => {
  const r = await run('nov1', { GTM_BASE_URL: standIn.url, GTM_MODEL: 'gtm-echo' });
  assert.is(r.code, 2);
  assert.match(
    r.stderr,
    `target gtm: ${standIn.url}/models is not found (404) but ${standIn.url}/v1/models answers: the base URL lacks /v1. Use ${standIn.url}/v1 in base_url of target gtm (or --base-url).`,
  );
});

test('item 2: a model the server does not list is named with the models it does list', async () => {
  const r = await run('model', { GTM_BASE_URL: `${standIn.url}/v1`, GTM_MODEL: 'gtm-ehco' });
  assert.is(r.code, 2);
  assert.match(
    r.stderr,
    `target gtm: model "gtm-ehco" is not served at ${standIn.url}/v1; it serves "gtm-echo" (did you mean "gtm-echo"?). Fix model of target gtm (or --model).`,
  );
});

test('item 2: an HTML page where the API should be is named as a web page', async () => {
  const r = await run('html', { GTM_BASE_URL: `${htmlUrl}/v1`, GTM_MODEL: 'gtm-echo' });
  assert.is(r.code, 2);
  assert.match(r.stderr, `target gtm: ${htmlUrl}/v1/models answered an HTML page ("Dashboard"), not the OpenAI API`);
});

test('items 1-2: with --no-preflight the calls run, and every report says why they failed, with the key redacted', async () => {
  const r = await run('classes', { GTM_BASE_URL: `${standIn.url}/v1`, GTM_MODEL: 'gtm-ehco' }, ['--no-preflight']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /target gtm: 48 of 48 calls failed:\n  http_4xx × 48 \(the server refused the request: 404 a wrong model name/);
  assert.match(r.stdout, /e\.g\. HTTP 404 NotFoundError: The model `gtm-ehco` does not exist\./);
  const md = readFileSync(join(tmp, 'classes', 'report.md'), 'utf8');
  assert.match(md, /## Why calls failed/);
  assert.match(md, /\| gtm \| http_4xx \| 48 of 48 \| .* \| HTTP 404 NotFoundError: The model `gtm-ehco` does not exist\. \|/);
  const page = readFileSync(join(tmp, 'classes', 'report.html'), 'utf8');
  assert.match(page, /Why calls failed/);
  assert.match(page, /The model `gtm-ehco` does not exist\./);
  // Not "no call scored below 1", which read as a perfect target.
  assert.match(page, /target gtm<\/h3>\n<p class="note">No call of this target was scored: every call failed/);
});

test('item 1: a message that echoes the key is shown with the key redacted', async () => {
  // A server that quotes the request's Authorization header in its error, as some proxies do.
  const standInEcho = await startStandIn({ models: ['gtm-echo'], respond: (req) => ({ status: 400, text: `rejected ${req.headers.authorization}` }) });
  try {
    const r = await run('secret', { GTM_BASE_URL: `${standInEcho.url}/v1`, GTM_MODEL: 'gtm-echo' });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /http_4xx × 48 .* e\.g\. HTTP 400 BadRequestError: rejected Bearer \[redacted\]/);
    for (const file of ['report.md', 'report.html', 'summary.json']) {
      const text = readFileSync(join(tmp, 'secret', file), 'utf8');
      assert.not.ok(text.includes(SECRET), `${file} shows the key`);
      assert.match(text, /rejected Bearer \[redacted\]/);
    }
    assert.not.ok(r.stdout.includes(SECRET));
  } finally {
    await standInEcho.close();
  }
});

test('items 3-4: a judge that fails on every request is named at the end, and the run exits 1', async () => {
  const judged = await startStandIn({
    models: ['gtm-echo', 'judge-model'],
    respond: (req) => (req.body?.model === 'judge-model' ? { status: 500, text: 'judge backend exploded' } : echoResponse(req)),
  });
  try {
    const r = await runCli(['run', 'test/fixtures/cli/echo-judge.yaml', '--quiet', '--out', join(tmp, 'judge')], {
      env: {
        GTM_BASE_URL: `${judged.url}/v1`,
        GTM_MODEL: 'gtm-echo',
        JUDGE_BASE_URL: `${judged.url}/v1`,
        JUDGE_MODEL: 'judge-model',
        GTM_BENCH_CACHE_DIR: join(tmp, 'cache'),
      },
    });
    assert.is(r.code, 1, r.stderr);
    const last = r.stderr.trim().split('\n').at(-1)!;
    assert.match(
      last,
      /^the judge failed on every request \(96 of 96; the first: http_5xx: HTTP 500 InternalServerError: judge backend exploded\): this run has no judge\.\* scores, so it exits 1$/,
    );
    const manifest = JSON.parse(readFileSync(join(tmp, 'judge', 'manifest.json'), 'utf8'));
    assert.is(manifest.exit_code, 1);
  } finally {
    await judged.close();
  }
});

test('item 3: a target that fails on every call is named at the end', async () => {
  const r = await run('allfail', { GTM_BASE_URL: `${standIn.url}/v1`, GTM_MODEL: 'gtm-ehco' }, ['--no-preflight']);
  assert.match(
    r.stderr.trim().split('\n').at(-1)!,
    /^target gtm failed on every call \(48 of 48\): none of its calls was scored; why is listed above and in report\.md$/,
  );
});

test('item 3: Ctrl-C ends with the --resume command, and that command finishes the run', async () => {
  const slow = await startStandIn({ models: ['gtm-echo'], respond: echoResponse, latencyMs: 150, log: true });
  const dir = join(tmp, 'interrupted');
  try {
    const args = ['run', SUITE, '--quiet', '--out', dir];
    const env = { GTM_BASE_URL: `${slow.url}/v1`, GTM_MODEL: 'gtm-echo' };
    const r = await runCli(args, {
      env,
      onSpawn: (child) => {
        // Ctrl-C once a few calls have reached the server (bounded wait: the child is killed at the timeout).
        const poll = setInterval(() => {
          if (slow.requests.filter((q) => q.method === 'POST').length >= 4) {
            clearInterval(poll);
            child.kill('SIGINT');
          }
        }, 20);
        child.on('close', () => clearInterval(poll));
      },
    });
    assert.is(r.code, 130, r.stderr);
    const last = r.stderr.trim().split('\n').at(-1)!;
    const m = /^interrupted: (\d+) of 96 planned items are recorded; to continue: (gtm-bench run .*)$/.exec(last);
    assert.ok(m, last);
    assert.ok(Number(m![1]) < 96);
    const command = m![2];
    assert.match(command, new RegExp(`^gtm-bench run ${SUITE} --quiet --resume \\S+interrupted$`));
    const resumed = await runCli(command.split(' ').slice(1), { env });
    assert.is(resumed.code, 0, resumed.stderr);
    const lines = readFileSync(join(dir, 'records.jsonl'), 'utf8').trim().split('\n');
    assert.is(lines.length, 96);
  } finally {
    await slow.close();
  }
});

test.run();
