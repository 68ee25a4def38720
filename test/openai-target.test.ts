// The openai target end to end against the stand-in: prompt, seed, not_configured, and the API key kept secret.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createOpenAITarget, DEFAULT_PROMPT_TEMPLATE } from '../harness/targets/openai.js';
import type { CallContext, Target } from '../harness/targets/types.js';
import type { OpenAITargetSpec, ToolSpec } from '../harness/suite/types.js';
import { UserError } from '../harness/util/errors.js';
import { startStandIn, type StandIn } from '../dev/stand-ins/vllm-stand-in.js';

const KEY = 'sk-secret-123';
const open: { close(): Promise<void> }[] = [];
test.before(() => {
  process.env.GTM_TEST_KEY = KEY;
});
test.after(() => {
  delete process.env.GTM_TEST_KEY;
});
test.after.each(async () => {
  await Promise.all(open.splice(0).map((x) => x.close()));
});

const tool: ToolSpec = {
  name: 'get_weather',
  description: 'Current weather for a city.',
  parameters: { type: 'object', required: ['city'], properties: { city: { type: 'string' } } },
  response_schema: { type: 'object', properties: { temp_c: { type: 'number' } } },
  invariants: [],
  semantic: {},
};

function ctx(seed = 42): CallContext {
  return { tool, call: { id: 'c1', tool: 'get_weather', arguments: { city: 'Paris' }, source: { dataset: 'd', line: 1 } }, repeat: 0, seed };
}

async function target(s: StandIn, over: Partial<OpenAITargetSpec> = {}): Promise<Target> {
  const spec: OpenAITargetSpec = {
    kind: 'openai',
    name: 'gtm',
    concurrency: 2,
    base_url: s.url + '/v1',
    model: 'stand-in',
    api_key_env: 'GTM_TEST_KEY',
    api: 'chat',
    prompt_template: DEFAULT_PROMPT_TEMPLATE,
    sampling: { temperature: 0.7, max_tokens: 256 },
    stream: false,
    timeout_ms: 5_000,
    retries: 1,
    ...over,
  };
  const t = await createOpenAITarget(spec, { retry: { sleep: async () => {} } });
  open.push({ close: async () => t.close?.() });
  return t;
}

async function standIn(respond = () => ({ text: '{"temp_c": 18}' })) {
  const s = await startStandIn({ log: true, respond });
  open.push(s);
  return s;
}

test('renders the prompt from the tool spec and arguments; returns the text as raw', async () => {
  const s = await standIn();
  const t = await target(s);
  assert.is(t.backend, `openai:${s.url}/v1#stand-in`);
  const obs = await t.call(ctx());
  assert.is(obs.error, null);
  assert.is(obs.raw, '{"temp_c": 18}');
  assert.is(obs.retries, 0);
  assert.is(obs.usage!.completion_tokens, 2);
  assert.is(obs.finish_reason, 'stop');
  const sent = s.requests[0].body;
  assert.is(sent.model, 'stand-in');
  assert.is(sent.messages[0].role, 'system');
  const user: string = sent.messages[1].content;
  assert.match(user, 'Tool name: get_weather');
  assert.match(user, 'Current weather for a city.');
  assert.match(user, JSON.stringify(tool.parameters, null, 2));
  assert.match(user, '{"city":"Paris"}');
  const req = obs.request as any;
  assert.equal(req.messages, sent.messages);
  assert.equal(req, { api: 'chat', model: 'stand-in', messages: sent.messages, sampling: { temperature: 0.7, max_tokens: 256, seed: 42 } });
});

test('seed: the per-item seed unless the spec fixes one', async () => {
  const s = await standIn();
  const t = await target(s);
  await t.call(ctx(1));
  await t.call(ctx(2));
  const fixed = await target(s, { sampling: { seed: 99 } });
  await fixed.call(ctx(3));
  assert.equal(
    s.requests.map((r) => r.body.seed),
    [1, 2, 99],
  );
  assert.is(s.requests[0].body.temperature, 0.7);
});

test('streamed target call has ttft_ms', async () => {
  const s = await standIn();
  const t = await target(s, { stream: true });
  const obs = await t.call(ctx());
  assert.is(obs.raw, '{"temp_c": 18}');
  assert.type(obs.ttft_ms, 'number');
});

test('not_configured short-circuits without a request', async () => {
  const s = await standIn();
  const t = await target(s, { not_configured: 'GTM_URL is not set' });
  const obs = await t.call(ctx());
  assert.equal(obs.error, { class: 'not_configured', message: 'GTM_URL is not set' });
  assert.is(obs.raw, null);
  assert.is(s.requests.length, 0);
  assert.is(t.describe().not_configured, 'GTM_URL is not set');
});

test('an unset api_key_env variable sends the key EMPTY, as vLLM without --api-key expects', async () => {
  const s = await standIn();
  const unset = await target(s, { api_key_env: 'GTM_TEST_UNSET_KEY' });
  const obs = await unset.call(ctx());
  assert.is(obs.error, null);
  assert.is(s.requests.find((r) => r.path.endsWith('/chat/completions'))!.headers.authorization, 'Bearer EMPTY');
});

test('the API key reaches the server but nothing the harness keeps', async () => {
  // The server echoes the Authorization header in its error: the message must still not carry the key.
  const s = await startStandIn({
    log: true,
    respond: (req) => (req.body.messages[1].content.includes('fail') ? { status: 401, text: `bad key ${req.headers.authorization}` } : { text: '{}' }),
  });
  open.push(s);
  const t = await target(s);
  const ok = await t.call(ctx());
  const bad = await t.call({ ...ctx(), call: { ...ctx().call, arguments: { city: 'fail' } } });
  assert.is(s.requests[0].headers.authorization, `Bearer ${KEY}`);
  assert.is(bad.error!.class, 'http_4xx');
  assert.is(bad.error!.message, 'HTTP 401 Error: bad key Bearer [redacted]');
  for (const text of [JSON.stringify(t.describe()), JSON.stringify(ok), JSON.stringify(bad), t.backend]) {
    assert.not.match(text, KEY);
  }
});

test('describe(): the spec, no secret, plus template id/version/sha256', async () => {
  const s = await standIn();
  const t = await target(s);
  const d = t.describe() as any;
  assert.is(d.api_key_env, 'GTM_TEST_KEY');
  assert.is(d.model, 'stand-in');
  assert.is(d.template.id, 'gtm-tool-sim');
  assert.is(d.template.version, '1');
  assert.match(d.template.sha256, /^[0-9a-f]{64}$/);
});

test('a template written for the other API is refused at creation', async () => {
  const s = await standIn();
  try {
    await target(s, { api: 'completions' });
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.instance(err, UserError);
    assert.match((err as Error).message, 'written for chat');
  }
});

test.run();
