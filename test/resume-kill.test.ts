/**
 * --resume after kill -9: the CLI runs a small plan against the loopback stand-in and is killed with
 * SIGKILL at seeded random points (while loading the suite, writing the manifest, appending records), at
 * least 20 times, each time resumed from its folder; at the end every planned call is recorded exactly
 * once and the summary equals an uninterrupted run's in every figure but the measured latencies.
 * Also: the torn-line repair, the plan check, and calls cut off by Ctrl-C being run again.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { runSuite } from '../harness/run/run-suite.js';
import { repairTornTail } from '../harness/run/resume.js';
import { createProgress } from '../harness/cli/progress.js';
import { readRecords } from '../harness/records/reader.js';
import { mulberry32 } from '../harness/util/prng.js';
import { UserError } from '../harness/util/errors.js';
import { resolveRequest } from '../harness/records/request-refs.js';
import { readTextStore } from '../harness/records/text-store.js';
import { echoResponse } from './support/echo-responder.js';
import { startStandIn, type StandIn } from '../dev/stand-ins/vllm-stand-in.js';
import { withoutTimings } from './support/summary-compare.js';

const ROOT = new URL('..', import.meta.url).pathname;
const SUITE = join(ROOT, 'test/fixtures/serving/echo-suite.yaml');
const CHILD = join(ROOT, 'test/support/cli-when-told.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'gtm-resume-'));
const quiet = createProgress({ interactive: false, quiet: true });
let standIn: StandIn;
let env: Record<string, string>;

test.before(async () => {
  standIn = await startStandIn({ models: ['gtm-echo'], latencyMs: 8, respond: echoResponse });
  env = { GTM_BASE_URL: `${standIn.url}/v1`, GTM_MODEL: 'gtm-echo' };
});
test.after(async () => {
  await standIn.close();
  rmSync(tmp, { recursive: true, force: true });
});

const lineCount = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').length - 1 : 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A CLI child that has loaded its modules and waits for its arguments. */
function warmChild(): Promise<{ child: ChildProcess; exited: Promise<number | null> }> {
  // --no-opt: these processes live about a second; optimizing compiles would cost more CPU than they save.
  const child = spawn(process.execPath, ['--no-opt', CHILD], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', CI: 'true', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (l) => (l === 'ready' ? resolve({ child, exited }) : reject(new Error(`child said ${l}`))));
    void exited.then((code) => reject(new Error(`child exited (${code}) before it was ready: ${err}`)));
  });
}

test('killed with SIGKILL at 20+ random points and resumed each time: every planned call recorded exactly once', async () => {
  // The reference: the same plan, uninterrupted.
  const whole = await runSuite({ suiteFile: SUITE, targets: ['gtm'], out: join(tmp, 'whole'), argv: [], progress: quiet, env });
  const wholeRecords = readRecords(join(whole.runDir, 'records.jsonl')).records;
  const planned = new Set(wholeRecords.map((r) => r.item_id));
  const wholeTexts = readTextStore(whole.runDir);
  const sent = new Map(wholeRecords.map((r) => [r.item_id, JSON.stringify(resolveRequest(r, wholeTexts, 'whole'))]));
  assert.is(planned.size, 96);

  const random = mulberry32(20260601);
  let kills = 0;
  let folders = 0;
  let torn = 0;
  let midRun = 0;
  const finished: string[] = [];
  let dir = join(tmp, `killed-${folders++}`);
  // Two children load their modules while one runs: the loading, not the run, is most of a child's time.
  // None is started beyond the 21 (20 killed, 1 finishing) the test needs, unless a run ends early.
  const warm = [warmChild(), warmChild()];
  let started = 2;
  for (let attempt = 0; attempt < 60 && (kills < 20 || !finished.includes(dir)); attempt++) {
    const { child, exited } = await (warm.shift() ?? warmChild());
    if (started < 21 + folders - 1) {
      warm.push(warmChild());
      started++;
    }
    const recordsPath = join(dir, 'records.jsonl');
    const before = lineCount(recordsPath);
    const byTime = random() < 0.25;
    const delay = Math.floor(random() * 120);
    const moreRecords = 1 + Math.floor(random() * 4);
    const args = ['run', SUITE, '--target', 'gtm', '--resume', dir, '--quiet'];
    child.stdin!.write(JSON.stringify(args) + '\n');
    if (kills >= 20) {
      // Enough kills: let this one finish the run.
      assert.is(await exited, 0);
      finished.push(dir);
      continue;
    }
    let done = false;
    void exited.then(() => (done = true));
    if (byTime) await sleep(delay);
    else for (let i = 0; i < 2000 && !done && lineCount(recordsPath) < before + moreRecords; i++) await sleep(2);
    if (done) {
      // The run ended before the kill point: start a new folder and go on killing there.
      assert.is(await exited, 0);
      finished.push(dir);
      dir = join(tmp, `killed-${folders++}`);
      continue;
    }
    child.kill('SIGKILL');
    await exited;
    kills++;
    const size = existsSync(recordsPath) ? readFileSync(recordsPath).length : 0;
    if (size > 0 && readFileSync(recordsPath, 'utf8').slice(-1) !== '\n') torn++;
    const at = lineCount(recordsPath);
    if (at > 0 && at < planned.size) midRun++;
  }
  for (const w of warm) (await w).child.kill('SIGKILL');
  assert.ok(kills >= 20, `only ${kills} kills`);
  // Most kill points fall between the first record and the last, where a kill can lose or double a call.
  assert.ok(midRun >= 10, `only ${midRun} kills landed mid-run`);
  for (const f of finished) {
    const { records, torn_tail } = readRecords(join(f, 'records.jsonl'));
    assert.is(torn_tail, undefined);
    const ids = records.map((r) => r.item_id);
    assert.is(ids.length, planned.size, `${f}: ${ids.length} records for ${planned.size} planned calls`);
    assert.is(new Set(ids).size, ids.length, `${f}: a call recorded twice`);
    for (const id of ids) assert.ok(planned.has(id), `${f}: ${id} is not a planned call`);
    // Each record's shared prompt texts are in the folder's texts.jsonl (written before it, kept across kills), once.
    const texts = readTextStore(f);
    const stored = readFileSync(join(f, 'texts.jsonl'), 'utf8').trim().split('\n');
    assert.is(new Set(stored.map((l) => JSON.parse(l).sha256)).size, stored.length, `${f}: a text stored twice`);
    for (const r of records) assert.is(JSON.stringify(resolveRequest(r, texts, f)), sent.get(r.item_id), `${f}: ${r.item_id} request differs`);
    const summary = JSON.parse(readFileSync(join(f, 'summary.json'), 'utf8'));
    assert.equal(withoutTimings(summary), withoutTimings(whole.summary), `${f}: summary differs from the uninterrupted run's`);
    const manifest = JSON.parse(readFileSync(join(f, 'manifest.json'), 'utf8'));
    assert.is(manifest.status, 'completed');
  }
  // Seeded kill points land while records are being appended, so some kills do tear a line.
  process.stdout.write(
    `  (${kills} SIGKILLs, ${midRun} of them mid-run, over ${folders} run folder${folders === 1 ? '' : 's'}; ${torn} left a torn last line)\n`,
  );
});

test('a torn last line is cut; a whole record lacking its newline is completed', () => {
  const path = join(tmp, 'torn.jsonl');
  const rec = { v: 1, item_id: 'a', scores: {} };
  writeFileSync(path, JSON.stringify(rec) + '\n' + '{"v":1,"item_id":"b","sco');
  assert.match(repairTornTail(path)!, /removed an incomplete last line \(25 bytes\)/);
  assert.is(readFileSync(path, 'utf8'), JSON.stringify(rec) + '\n');
  assert.is(repairTornTail(path), null);
  appendFileSync(path, JSON.stringify({ ...rec, item_id: 'c' }));
  assert.match(repairTornTail(path)!, /lacked its newline/);
  assert.is(readFileSync(path, 'utf8').split('\n').length, 3);
});

test('--resume refuses another plan, naming what differs', async () => {
  const dir = join(tmp, 'plan-check');
  await runSuite({ suiteFile: SUITE, targets: ['gtm'], limit: 3, out: dir, argv: ['run', 'x', '--limit', '3'], progress: quiet, env });
  try {
    await runSuite({ suiteFile: SUITE, targets: ['gtm'], limit: 4, seed: 9, resume: dir, argv: [], progress: quiet, env });
    assert.unreachable('should refuse');
  } catch (err) {
    assert.instance(err, UserError);
    const text = (err as UserError).render();
    assert.match(text, /not the run's plan/);
    assert.match(text, /seed 7 then, 9 now/);
    assert.match(text, /--limit 3 then, 4 now/);
  }
});

test('calls cut off by an interruption are run again on resume; failed calls only with --retry-errors', async () => {
  const dir = join(tmp, 'aborted');
  const controller = new AbortController();
  let seen = 0;
  const progress = { ...quiet, tick: () => void (++seen === 5 && controller.abort()) };
  const first = await runSuite({ suiteFile: SUITE, targets: ['gtm'], limit: 12, out: dir, argv: [], progress, env, signal: controller.signal });
  assert.is(first.exitCode, 130);
  const cut = readRecords(join(dir, 'records.jsonl')).records;
  assert.ok(cut.length < 24);
  const resumed = await runSuite({ suiteFile: SUITE, targets: ['gtm'], limit: 12, resume: dir, argv: [], progress: quiet, env });
  assert.is(resumed.exitCode, 0);
  const records = readRecords(join(dir, 'records.jsonl')).records;
  assert.is(records.length, 24);
  assert.is(new Set(records.map((r) => r.item_id)).size, 24);
  assert.not.ok(
    records.some((r) => r.error),
    'no aborted or failed record left',
  );
  assert.is(resumed.manifest.resumed!.length, 1);
  assert.is(resumed.manifest.resumed![0].records_dropped, cut.filter((r) => r.error?.class === 'aborted').length);
});

test.run();
