/**
 * Issue 17 item 7 through the real binary: a server that echoes the Authorization header in its 200 answers
 * (whole, cut to 10 characters, and from its 3rd character on), reached through a base URL with user:password.
 * No file the run, `--resume`, `report` or `compare` writes (run folder, response cache), and nothing printed,
 * holds the key, any 8-character piece of it, the user or the password; the records still parse and the run
 * resumes.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStandIn, type StandIn } from '../dev/stand-ins/vllm-stand-in.js';
import { readRecords } from '../harness/records/reader.js';
import { runCli, type ChildResult } from './support/cli-child.js';

const SUITE = 'test/fixtures/cli/echo-model.yaml';
const KEY = 'sk-test-7Hq2ZmX0pLw9VbN4rTy6';
const USER = 'alice-operator';
const PASSWORD = 'hunter2-correct-horse';
const tmp = mkdtempSync(join(tmpdir(), 'gtm-redact-'));
let standIn: StandIn;
let calls = 0;

/** The key, every 8-character piece of it (any longer echo holds one), the user and the password. */
const NEEDLES = [KEY, USER, PASSWORD, ...[KEY, PASSWORD].flatMap((s) => Array.from({ length: s.length - 7 }, (_, i) => s.slice(i, i + 8)))];

const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));

/** Every file under `dirs` and the output, read as bytes (the SQLite cache is binary; its text is UTF-8). */
function leaks(dirs: string[], r: ChildResult): string[] {
  const texts: [string, string][] = [
    ...dirs.flatMap(files).map((f): [string, string] => [f, readFileSync(f).toString('latin1')]),
    ['stdout', r.stdout],
    ['stderr', r.stderr],
  ];
  return texts.flatMap(([name, text]) => NEEDLES.filter((n) => text.includes(n)).map((n) => `${name}: ${n}`));
}

test.before(async () => {
  standIn = await startStandIn({
    models: ['gtm-echo'],
    log: true,
    respond: (req) => {
      const auth = String(req.headers.authorization ?? '');
      const k = auth.replace(/^Bearer /, '');
      const echo = [auth, k.slice(0, 10), k.slice(2)][calls++ % 3];
      return { text: JSON.stringify({ text: echo }) };
    },
  });
});
test.after(async () => {
  await standIn.close();
  rmSync(tmp, { recursive: true, force: true });
});

test('item 7: an echoed key, its cut echoes and URL credentials reach no file and no output; the run still parses and resumes', async () => {
  const runDir = join(tmp, 'run');
  const cache = join(tmp, 'cache');
  const baseUrl = standIn.url.replace('http://', `http://${USER}:${PASSWORD}@`) + '/v1';
  const env = { GTM_API_KEY: KEY, GTM_BASE_URL: baseUrl, GTM_MODEL: 'gtm-echo', GTM_BENCH_CACHE_DIR: cache };
  const first = await runCli(['run', SUITE, '--out', runDir, '--cache', 'read-write'], { env });
  assert.is(first.code, 0, first.stderr);
  // The server did see the key and echoed it (else the test proves nothing).
  assert.ok(standIn.requests.some((r) => r.headers.authorization === `Bearer ${KEY}`));
  assert.equal(leaks([runDir, cache], first), []);
  const records = readRecords(join(runDir, 'records.jsonl')).records;
  assert.is(records.length, 96);
  const answers = records.filter((r) => r.target === 'gtm').map((r) => r.raw);
  assert.ok(answers.includes('{"text":"Bearer [redacted]"}'), answers.slice(0, 3).join(' '));
  assert.ok(answers.includes('{"text":"[redacted]"}'));
  const manifest = readFileSync(join(runDir, 'manifest.json'), 'utf8');
  assert.match(manifest, /http:\/\/\*\*\*@127\.0\.0\.1:\d+\/v1/);

  // Drop the last 30 records (a run killed there) and resume: the plan still matches, every item once.
  const lines = readFileSync(join(runDir, 'records.jsonl'), 'utf8').trimEnd().split('\n');
  writeFileSync(join(runDir, 'records.jsonl'), lines.slice(0, -30).join('\n') + '\n');
  const resumed = await runCli(['run', SUITE, '--resume', runDir, '--cache', 'off'], { env });
  assert.is(resumed.code, 0, resumed.stderr);
  const after = readRecords(join(runDir, 'records.jsonl')).records;
  assert.is(after.length, 96);
  assert.is(new Set(after.map((r) => r.item_id)).size, 96);
  assert.equal(leaks([runDir, cache], resumed), []);

  // report and compare rewrite from the folder; nothing comes back.
  const report = await runCli(['report', runDir], { env });
  assert.is(report.code, 0, report.stderr);
  const compare = await runCli(['compare', runDir, runDir, '--out', join(tmp, 'compare')], { env });
  assert.ok(compare.code === 0 || compare.code === 1, compare.stderr);
  assert.equal(leaks([runDir, join(tmp, 'compare')], { ...report, stdout: report.stdout + compare.stdout, stderr: report.stderr + compare.stderr }), []);
});

test('item 7: credentials in --base-url are not printed, and an error quoting the URL shows it as ***', async () => {
  // A closed port: the pre-flight names the URL it tried.
  const r = await runCli(['run', SUITE, '--quiet', '--out', join(tmp, 'closed'), '--base-url', `http://${USER}:${PASSWORD}@127.0.0.1:9/v1`], {
    env: { GTM_API_KEY: KEY, GTM_BASE_URL: 'http://127.0.0.1:9/v1', GTM_MODEL: 'gtm-echo' },
  });
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /http:\/\/\*\*\*@127\.0\.0\.1:9\/v1/);
  assert.equal(leaks([], r), []);
});

test.run();
