/**
 * One model endpoint for the three roles (issue 14 item 2): the builder and its messages at file:line:column,
 * the one override function behind run's --base-url/--model and agent's --policy-*, the one backend name, and
 * replicas for the judge and the agent policy, each against two loopback stand-ins (scripted, not models), and the
 * agent command's pre-flight of its policy endpoint.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { endpointBackend, overrideEndpoint, type ModelEndpoint } from '../harness/endpoint/model-endpoint.js';
import { runSuite } from '../harness/run/run-suite.js';
import { runAgent } from '../harness/agents/run-agent.js';
import { createProgress } from '../harness/cli/progress.js';
import { loadSuite } from '../harness/suite/load.js';
import { UserError } from '../harness/util/errors.js';
import { completionRequests, startStandIn, type StandIn } from '../dev/stand-ins/vllm-stand-in.js';
import { runCli } from './support/cli-child.js';

const DEFAULT_SUITE = new URL('../suites/default.yaml', import.meta.url).pathname;
const AGENT_SUITE = new URL('../suites/search-agent.yaml', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'gtm-endpoint-'));
const quiet = createProgress({ interactive: false, quiet: true });
test.after(() => rmSync(tmp, { recursive: true, force: true }));

const completions = (s: StandIn) => completionRequests(s).length;
const modelLists = (s: StandIn) => s.requests.filter((r) => r.method === 'GET' && r.path === '/v1/models').length;

const endpoint: ModelEndpoint = {
  base_url: 'http://a:1/v1',
  model: 'm',
  sampling: {},
  timeout_ms: 1000,
  retries: 0,
  concurrency: 2,
  not_configured: 'environment variable X is not set',
};

test('the backend is named once, every replica in it', () => {
  assert.is(endpointBackend({ base_url: 'http://a:1/v1', model: 'm' }), 'openai:http://a:1/v1#m');
  assert.is(endpointBackend({ base_url: 'http://a:1/v1', replicas: ['http://a:1/v1', 'http://b:2/v1'], model: 'm' }), 'openai:http://a:1/v1,http://b:2/v1#m');
});

test('one override function: replicas from commas, a bad URL names the flag, flags can configure an endpoint', () => {
  const flags = { baseUrl: '--policy-base-url', model: '--policy-model' };
  const both = overrideEndpoint({ ...endpoint, model: '${M}' }, { baseUrl: 'http://x:1/v1/, http://y:2/v1', model: 'p' }, flags);
  assert.equal([both.base_url, both.replicas, both.model, both.not_configured], ['http://x:1/v1', ['http://x:1/v1', 'http://y:2/v1'], 'p', undefined]);
  const one = overrideEndpoint({ ...both }, { baseUrl: 'http://z:3/v1' }, flags);
  assert.equal([one.base_url, one.replicas], ['http://z:3/v1', undefined], 'one URL drops the replicas');
  assert.ok(overrideEndpoint({ ...endpoint, model: '${M}' }, { baseUrl: 'http://x:1/v1' }, flags).not_configured, 'the model still holds a variable');
  assert.throws(
    () => overrideEndpoint(endpoint, { baseUrl: 'x:1' }, flags),
    (e: Error) => e instanceof UserError && /^--policy-base-url x:1: expected an http/.test(e.message),
  );
  assert.is(overrideEndpoint(endpoint, { concurrency: 9 }, flags).concurrency, 9);
});

test('judge and policy take replicas; a bad one is reported at file:line:column of its base_url', async () => {
  const dir = mkdtempSync(join(tmp, 'suite-'));
  const file = join(dir, 'agent.yaml');
  // The agent suite with one bad policy replica, its relative paths made absolute so it loads from a temp folder.
  const root = join(AGENT_SUITE, '..', '..');
  const text = readFileSync(AGENT_SUITE, 'utf8')
    .replace('base_url: ${POLICY_BASE_URL}', 'base_url: [http://p1:1/v1, "ftp://p2"]')
    .replaceAll('../', `${root}/`)
    .replace('file: tools/', `file: ${root}/suites/tools/`);
  writeFileSync(file, text);
  const line = text.split('\n').findIndex((l) => l.includes('ftp://p2')) + 1;
  try {
    await loadSuite(file, { env: { POLICY_MODEL: 'p' } });
    assert.unreachable('a policy replica that is not http(s)');
  } catch (err) {
    assert.instance(err, UserError);
    assert.match((err as UserError).render(), new RegExp(`${file}:${line}:\\d+: .*expected an http:// or https:// URL, found "ftp://p2"`));
  }
  const suite = await loadSuite(DEFAULT_SUITE, { env: { JUDGE_BASE_URL: 'http://j1:1/v1,http://j2:2/v1/', JUDGE_MODEL: 'j' } });
  assert.equal(suite.judge!.replicas, ['http://j1:1/v1', 'http://j2:2/v1']);
  assert.is(suite.judge!.base_url, 'http://j1:1/v1');
});

test('judge replicas: the pre-flight checks both, and judge calls spread over both', async () => {
  const verdict = { text: '{"format": 5, "logic": 4, "semantic": 2, "rationale": "scripted"}' };
  const a = await startStandIn({ models: ['judge-test'], log: true, respond: () => verdict });
  const b = await startStandIn({ models: ['judge-test'], log: true, respond: () => verdict });
  try {
    const env = { JUDGE_BASE_URL: `${a.url}/v1,${b.url}/v1`, JUDGE_MODEL: 'judge-test', GTM_BENCH_CACHE_DIR: join(tmp, 'judge-cache') };
    const r = await runSuite({ suiteFile: DEFAULT_SUITE, limit: 12, out: join(tmp, 'judge-run'), argv: [], progress: quiet, env, targets: ['reference'] });
    assert.is(r.exitCode, 0);
    assert.equal([modelLists(a), modelLists(b)], [1, 1], 'one pre-flight GET /v1/models per replica');
    assert.is(completions(a) + completions(b), 12);
    assert.ok(completions(a) > 0 && completions(b) > 0, `judge calls on both replicas: ${completions(a)} and ${completions(b)}`);
    assert.is(r.manifest.judge!.backend, `openai:${a.url}/v1,${b.url}/v1#judge-test`);
  } finally {
    await a.close();
    await b.close();
  }
});

test('policy replicas: policy turns spread over both; --policy-base-url overrides through the same function', async () => {
  const answer = () => ({ text: '<answer> Lima </answer>' });
  const a = await startStandIn({ models: ['policy'], log: true, respond: answer });
  const b = await startStandIn({ models: ['policy'], log: true, respond: answer });
  try {
    const env = { POLICY_BASE_URL: 'http://127.0.0.1:9/v1', POLICY_MODEL: 'policy' };
    const r = await runAgent({
      suiteFile: AGENT_SUITE,
      out: join(tmp, 'agent-run'),
      argv: [],
      env,
      modes: ['real'],
      steps: 1,
      batchSize: 6,
      policyBaseUrl: `${a.url}/v1,${b.url}/v1`,
    });
    assert.is(r.exitCode, 0);
    assert.is(completions(a) + completions(b), 6, 'one turn per episode (each answers at once)');
    assert.ok(completions(a) > 0 && completions(b) > 0, `policy turns on both replicas: ${completions(a)} and ${completions(b)}`);
    assert.is(r.manifest.backends.policy, `openai:${a.url}/v1,${b.url}/v1#policy`);
    assert.is((r.manifest.config.policy as { concurrency: number }).concurrency, 6, 'the policy runs a batch at once');
  } finally {
    await a.close();
    await b.close();
  }
});

test('agent pre-flight: a policy model the server does not list stops the run with exit 2; --no-preflight skips the check', async () => {
  const server = await startStandIn({ models: ['other'], log: true, respond: () => ({ text: '<answer> Lima </answer>' }) });
  try {
    const env = { POLICY_BASE_URL: `${server.url}/v1`, POLICY_MODEL: 'policy' };
    const args = (out: string) => ['agent', AGENT_SUITE, '--mode', 'real', '--steps', '1', '--batch-size', '2', '--out', join(tmp, out)];
    const checked = await runCli(args('pre-a'), { env });
    assert.is(checked.code, 2, checked.stderr);
    assert.match(checked.stderr, /agent policy: model "policy" is not served at http:\/\/127\.0\.0\.1:\d+\/v1; it serves "other"/);
    assert.match(checked.stderr, /agent\.policy\.model \(or --policy-model\)/);
    assert.is(completions(server), 0, 'no episode ran');
    assert.not.ok(existsSync(join(tmp, 'pre-a')), 'no run folder was made');

    const unchecked = await runCli([...args('pre-b'), '--no-preflight'], { env });
    assert.is(unchecked.code, 1, 'every episode ended on the policy error the check would have caught');
    assert.match(unchecked.stdout, /every episode ended on a policy error/);
    assert.is(modelLists(server), 1, 'only the first command asked for the model list');
  } finally {
    await server.close();
  }
});

test.run();
