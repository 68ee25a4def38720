// Replicas of one model: least-outstanding balancing, ejection of a failing replica and its return, and the
// per-replica figures that reach records, summary, report and manifest.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProgress } from '../harness/cli/progress.js';
import { readRecords } from '../harness/records/reader.js';
import { runSuite } from '../harness/run/run-suite.js';
import { OpenAICompatClient } from '../harness/targets/openai-client.js';
import { ReplicaSet } from '../harness/targets/replica-set.js';
import { splitBaseUrls } from '../harness/util/base-urls.js';
import { startStandIn } from '../dev/stand-ins/vllm-stand-in.js';

/** A replica set with a hand-driven clock: no test here waits for ejections to expire. */
function fakeSet(n: number) {
  const clock = { t: 0 };
  const urls = Array.from({ length: n }, (_, i) => `http://127.0.0.1:${9000 + i}/v1`);
  const set = new ReplicaSet(urls, 1, { failures_to_eject: 3, eject_base_ms: 1000, eject_max_ms: 3000, now: () => clock.t });
  return { set, clock, r: set.replicas };
}

test('base URLs: a list, or one string with commas; trailing slashes dropped', () => {
  assert.equal(splitBaseUrls('http://a:1/v1/, http://b:2/v1'), ['http://a:1/v1', 'http://b:2/v1']);
  assert.equal(splitBaseUrls(['http://a:1/v1']), ['http://a:1/v1']);
  assert.equal(splitBaseUrls(' , '), []);
});

test('pick: fewest requests in flight wins; ties rotate', async () => {
  const { set, r } = fakeSet(3);
  set.begin(r[0]);
  set.begin(r[0]);
  set.begin(r[1]);
  assert.is(set.pick(), r[2]);
  set.begin(r[2]);
  const picks = new Set(Array.from({ length: 6 }, () => set.pick()));
  assert.not.ok(picks.has(r[0]));
  assert.is(picks.size, 2, 'a tie is broken by rotation, not always the same replica');
  await set.close();
});

test('ejection after consecutive failures, return after the wait, doubled wait after one more failure', async () => {
  const { set, clock, r } = fakeSet(2);
  for (let i = 0; i < 2; i++) {
    set.begin(r[0]);
    set.end(r[0], 'connection');
  }
  assert.is(r[0].ejections, 0, 'two failures: still in');
  set.begin(r[0]);
  set.end(r[0], 'http_5xx');
  assert.is(r[0].ejections, 1);
  assert.is(r[0].ejectedUntil, 1000);
  for (let i = 0; i < 5; i++) assert.is(set.pick(), r[1], 'an ejected replica takes no attempts');
  // A 4xx is the request's fault, not the replica's: it neither counts nor resets the streak.
  set.begin(r[1]);
  set.end(r[1], 'http_4xx');
  assert.is(r[1].failures, 0);
  clock.t = 1000;
  const back = new Set(Array.from({ length: 4 }, () => set.pick()));
  assert.ok(back.has(r[0]), 'back in rotation once the wait is over');
  set.begin(r[0]);
  set.end(r[0], 'timeout');
  assert.is(r[0].ejections, 2, 'on probation: one failure sends it out again');
  assert.is(r[0].ejectedUntil, 1000 + 2000);
  set.begin(r[0]);
  set.end(r[0], null);
  assert.is(r[0].consecutiveFailures, 0, 'a success clears the streak');
  await set.close();
});

test('every replica out: the one back soonest is tried; the failed one is avoided when another is in', async () => {
  const { set, r } = fakeSet(2);
  for (const rep of r) for (let i = 0; i < 3; i++) (set.begin(rep), set.end(rep, 'connection'));
  r[0].ejectedUntil = 500;
  r[1].ejectedUntil = 200;
  assert.is(set.pick(), r[1]);
  r[0].ejectedUntil = 0;
  r[1].ejectedUntil = 0;
  assert.is(set.pick(r[0]), r[1]);
  assert.is(set.pick(r[1]), r[0]);
  await set.close();
});

test('a dead replica: calls retry onto the live one, the dead one is ejected, every call answers', async () => {
  const live = await startStandIn({ models: ['m'], respond: () => ({ text: '{"ok":true}' }) });
  const dead = await startStandIn({ models: ['m'] });
  const deadUrl = `${dead.url}/v1`;
  await dead.close(); // its port now refuses connections
  const client = new OpenAICompatClient({
    base_url: [deadUrl, `${live.url}/v1`],
    concurrency: 4,
    retries: 3,
    retry: { random: () => 0, sleep: async () => {} },
  });
  try {
    const results = [];
    for (let i = 0; i < 12; i++) {
      results.push(
        await client.complete({ api: 'chat', model: 'm', messages: [{ role: 'user', content: 'x' }], sampling: {}, stream: false, timeout_ms: 5000 }),
      );
    }
    for (const res of results) {
      assert.is(res.error, null);
      assert.is(res.text, '{"ok":true}');
      assert.is(res.replica, `${live.url}/v1`);
    }
    const stats = client.replicaStats();
    const deadStats = stats.find((s) => s.url === deadUrl)!;
    assert.is(deadStats.ejections, 1, 'ejected after three refused connections, and not tried again within the wait');
    assert.is(deadStats.failures, 3);
    assert.is(deadStats.attempts, 3);
    assert.is(
      results.reduce((n, r) => n + r.retries, 0),
      3,
      'each refused attempt shows as a retry of its call',
    );
    assert.equal(client.describe().base_url, [deadUrl, `${live.url}/v1`]);
  } finally {
    await client.close();
    await live.close();
  }
});

test('a run with two replicas: both share the load; records, summary, report and manifest show them', async () => {
  const a = await startStandIn({ models: ['gtm'], latencyMs: 5, respond: () => ({ text: '{"stand_in":"a"}' }) });
  const b = await startStandIn({ models: ['gtm'], latencyMs: 5, respond: () => ({ text: '{"stand_in":"b"}' }) });
  const tmp = mkdtempSync(join(tmpdir(), 'gtm-replicas-'));
  try {
    const suite = join(tmp, 'suite.yaml');
    const dataset = join(tmp, 'calls.jsonl');
    writeFileSync(dataset, Array.from({ length: 24 }, (_, i) => JSON.stringify({ id: `c${i}`, tool: 'echo', arguments: { text: `t${i}` } })).join('\n') + '\n');
    writeFileSync(
      suite,
      [
        'version: "1"',
        'name: replicas',
        'metrics: [format]',
        'tools:',
        '  - name: echo',
        '    description: echoes',
        '    parameters: { type: object, properties: { text: { type: string } }, required: [text] }',
        '    response_schema: { type: object }',
        'datasets:',
        '  - { name: calls, path: calls.jsonl }',
        'targets:',
        '  - name: gtm',
        '    kind: openai',
        '    base_url: ${REPLICAS}',
        '    model: gtm',
        `    prompt_template: ${new URL('../harness/prompts/gtm-tool-sim-v1.yaml', import.meta.url).pathname}`,
        '    concurrency: 6',
      ].join('\n') + '\n',
    );
    const out = join(tmp, 'run');
    const env = { REPLICAS: `${a.url}/v1,${b.url}/v1` };
    const result = await runSuite({ suiteFile: suite, out, argv: [], progress: createProgress({ interactive: false, quiet: true }), env });
    assert.is(result.exitCode, 0);
    const { records } = readRecords(join(out, 'records.jsonl'));
    assert.is(records.length, 24);
    assert.is(records[0].backend, `openai:${a.url}/v1,${b.url}/v1#gtm`);
    const byReplica = result.summary.targets[0].by_replica!;
    assert.equal(Object.keys(byReplica).sort(), [`${a.url}/v1`, `${b.url}/v1`].sort());
    for (const r of Object.values(byReplica)) assert.ok(r.calls >= 6, `both replicas take a fair share (${r.calls} of 24)`);
    assert.is(
      Object.values(byReplica).reduce((n, r) => n + r.calls, 0),
      24,
    );
    // The raw text says which replica answered, so the record's replica field can be checked against it.
    for (const rec of records) assert.is(rec.replica, rec.raw === '{"stand_in":"a"}' ? `${a.url}/v1` : `${b.url}/v1`);
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    assert.match(report, '## By replica');
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    assert.is(manifest.targets[0].runtime.replicas.length, 2);
    assert.is(
      manifest.targets[0].runtime.replicas.reduce((n: number, r: { attempts: number }) => n + r.attempts, 0),
      24,
    );
  } finally {
    await a.close();
    await b.close();
    rmSync(tmp, { recursive: true, force: true });
  }
});

test.run();
