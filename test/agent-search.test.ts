// Search agent rollouts: the Search-R1 tags and OpenAI tool-call dialects, SQuAD EM/F1, modes and batches, the
// ratio bootstrap, and runAgent end to end with the loopback vLLM stand-in as policy and as GTM, and the real
// embedded retriever as the real tool.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import '../harness/builtin.js';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { batchIndices } from '../harness/agents/batches.js';
import { backendForStep, backendsNeeded } from '../harness/agents/modes.js';
import { runAgent } from '../harness/agents/run-agent.js';
import { createOpenAIToolsDialect } from '../harness/agents/search/openai-tools.js';
import { createSearchR1TagsDialect, readTagAction } from '../harness/agents/search/search-r1-tags.js';
import type { EpisodeRecord, StepRecord } from '../harness/agents/types.js';
import { HARNESS_ROOT } from '../harness/records/manifest.js';
import { bootstrapRatioOfMeans } from '../harness/scoring/bootstrap-ratio.js';
import { answerF1, exactMatch, normalizeAnswer } from '../harness/scoring/squad-answer.js';
import { readSuite } from '../harness/suite/load.js';
import type { ToolSpec } from '../harness/suite/types.js';
import { UserError } from '../harness/util/errors.js';
import { startStandIn, type StandInRequest, completionRequests } from '../dev/stand-ins/vllm-stand-in.js';

const tmp = mkdtempSync(join(tmpdir(), 'gtm-agent-'));
const readJsonl = <T>(file: string): T[] =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as T);
const searchTool = { name: 'search', description: 'search', parameters: { type: 'object' } } as unknown as ToolSpec;

test('SQuAD normalisation, exact match and F1', () => {
  assert.is(normalizeAnswer('  The  Aruban Florin!'), 'aruban florin');
  assert.is(normalizeAnswer("Côte d'Ivoire"), 'côte divoire');
  assert.is(exactMatch('the Aruban florin.', ['Aruban florin']), 1);
  assert.is(exactMatch('florin', ['Aruban florin']), 0);
  assert.is(answerF1('florin', ['Aruban florin']), 2 / 3);
  assert.is(answerF1('euro', ['Aruban florin', 'Euro']), 1);
  assert.is(answerF1('', ['x']), 0);
});

test('Search-R1 tags: first well-formed block; a tag the stop sequence cut is restored; otherwise invalid', () => {
  assert.equal(readTagAction('<think>x</think><search> capital of Peru </search>', 'stop'), { tag: 'search', content: 'capital of Peru', restored: false });
  assert.equal(readTagAction('<think>x</think>\n<search> capital of Peru ', 'stop'), { tag: 'search', content: 'capital of Peru', restored: true });
  assert.ok('invalid' in readTagAction('<search> capital of Pe', 'length'), 'cut by max_tokens is not a search');
  assert.equal(readTagAction('<search> a <answer> Lima </answer>', 'stop'), { tag: 'answer', content: 'Lima', restored: false });
  assert.ok('invalid' in readTagAction('I think it is Lima.', 'stop'));
  const d = createSearchR1TagsDialect({ top_k: 2 });
  const reply = { text: '<search> capital of Peru ', tool_calls: [], finish_reason: 'stop' };
  const action = d.parseAction(reply, [searchTool]);
  assert.equal(action, { kind: 'tool', calls: [{ tool: 'search', arguments: { query: 'capital of Peru', top_k: 2 } }] });
  assert.is(d.assistantMessage(reply, action).content, '<search> capital of Peru </search>');
  const obs = d.observationMessages(action, [
    {
      invocation: (action as any).calls[0],
      backend: 'real',
      raw: '',
      latency_ms: 1,
      error: null,
      value: { results: [{ id: 'x', title: 'Peru', text: 'Lima is the capital.', score: 1 }] },
    },
  ]);
  assert.is(obs[0].content, '\n\n<information>Doc 1(Title: Peru) Lima is the capital.</information>\n\n');
  assert.match(d.observationMessages({ kind: 'invalid', reason: 'x' }, [])[0].content as string, /My previous action is invalid/);
  assert.throws(() => createSearchR1TagsDialect({ top_k: 0 }), /agent\.options\.top_k/);
});

test('OpenAI tools: function calls become invocations; bad arguments and unknown functions are invalid', () => {
  const d = createOpenAIToolsDialect({});
  assert.equal(d.policyTools!([searchTool])[0].function.name, 'search');
  const call = (name: string, args: string) => ({ text: '', tool_calls: [{ id: 'c1', name, arguments: args }] });
  assert.equal(d.parseAction(call('search', '{"query":"capital of Peru"}'), [searchTool]), {
    kind: 'tool',
    calls: [{ tool: 'search', arguments: { query: 'capital of Peru', top_k: 3 }, call_id: 'c1' }],
  });
  assert.is(d.parseAction(call('search', '{"query":'), [searchTool]).kind, 'invalid');
  assert.is(d.parseAction(call('browse', '{}'), [searchTool]).kind, 'invalid');
  assert.equal(d.parseAction({ text: 'It is <answer>Lima</answer>.', tool_calls: [] }, [searchTool]), { kind: 'answer', answer: 'Lima' });
  const bad = call('search', 'nope');
  assert.equal(d.assistantMessage(bad, d.parseAction(bad, [searchTool])), { role: 'assistant', content: '' }, 'an invalid call is not echoed as a tool call');
});

test('modes: hybrid is gtm before switch_step and real from it; batches are seeded, per step, the same for every mode', () => {
  assert.equal(
    [0, 29, 30, 99].map((s) => backendForStep('hybrid', s, 30)),
    ['gtm', 'gtm', 'real', 'real'],
  );
  assert.equal([...backendsNeeded(['hybrid'], [35, 36], 30)], ['real']);
  const a = batchIndices(10, 4, 0, 7);
  assert.equal(a, batchIndices(10, 4, 0, 7));
  const epoch = [0, 1, 2, 3, 4].flatMap((s) => batchIndices(10, 2, s, 7));
  assert.equal(
    [...epoch].sort((x, y) => x - y),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    'one epoch covers every task once',
  );
  assert.not.equal(batchIndices(10, 4, 0, 8), a, 'another seed, another order');
});

test('ratio bootstrap: the ratio of means with a seeded interval around it', () => {
  const real = [600, 650, 700, 640, 690];
  const gtm = [100, 110, 105, 98, 112];
  const r = bootstrapRatioOfMeans(real, gtm, 2000, 3);
  assert.ok(Math.abs(r.estimate! - 656 / 105) < 1e-9);
  assert.ok(r.ci_low! < r.estimate! && r.estimate! < r.ci_high!);
  assert.equal(bootstrapRatioOfMeans(real, gtm, 2000, 3), r, 'same seed, same interval');
  assert.is(bootstrapRatioOfMeans([1], [2], 2000, 3).ci_low, null);
  assert.is(bootstrapRatioOfMeans([1, 2], [0, 0], 2000, 3).estimate, null);
});

// ---- end to end ----

const QUESTIONS = [
  { id: 'kabul', question: 'Which country has Kabul as its capital?', golden_answers: ['Afghanistan'] },
  { id: 'luanda', question: 'Which country has Luanda as its capital?', golden_answers: ['Angola'] },
  { id: 'tirana', question: 'Which country has Tirana as its capital?', golden_answers: ['Albania'] },
  { id: 'canberra', question: 'Which country has Canberra as its capital?', golden_answers: ['Australia'] },
];

/** A scripted policy (not a model): searches the question, then answers with the first document's title. */
function scriptedPolicy(req: StandInRequest) {
  const msgs = req.body.messages as { role: string; content: string }[];
  const last = msgs[msgs.length - 1].content;
  const found = /Doc 1\(Title: ([^)]*)\)/.exec(last);
  if (found) return { text: `<think>The first document answers it.</think>\n<answer> ${found[1]} </answer>` };
  const question = /Question: (.*)/.exec(msgs[0].content)?.[1] ?? 'unknown';
  // vLLM drops the matched stop string: the reply ends inside the open tag, finish_reason stop.
  return { text: `<think>I need to search.</think>\n<search> ${question} `, finish_reason: 'stop' };
}

const GTM_ANSWER = JSON.stringify({ results: [{ id: 'sim-1', title: 'Simulated Country', text: 'A simulated document.', score: 3.2 }] });

function writeSuite(dir: string, policyUrl: string | null, gtmUrl: string | null, extra = ''): string {
  copyFileSync(join(HARNESS_ROOT, 'datasets', 'search', 'corpus.jsonl'), join(dir, 'corpus.jsonl'));
  writeFileSync(join(dir, 'qa.jsonl'), QUESTIONS.map((q) => JSON.stringify(q)).join('\n') + '\n');
  writeFileSync(join(dir, 'calls.jsonl'), JSON.stringify({ id: 'c1', tool: 'search', arguments: { query: 'Kabul', top_k: 3 } }) + '\n');
  const suite = `
version: "1"
name: agent-test
seed: 5
tools: [{ file: ${JSON.stringify(join(HARNESS_ROOT, 'suites', 'tools', 'search.yaml'))} }]
datasets: [{ name: calls, path: calls.jsonl }]
targets:
  - { name: real, kind: real:bm25, corpus: corpus.jsonl }
  - { name: gtm, kind: openai, base_url: "${gtmUrl ?? '${TEST_GTM_URL}'}", model: gtm, api: chat, prompt_template: ${JSON.stringify(join(HARNESS_ROOT, 'harness', 'prompts', 'gtm-tool-sim-v1.yaml'))}, retries: 0 }
agent:
  task: search
  dialect: search-r1-tags
  tasks: qa.jsonl
  backends: { real: real, gtm: gtm }
  policy: { base_url: "${policyUrl ?? '${TEST_POLICY_URL}'}", model: policy, sampling: { temperature: 1, max_tokens: 64 }, retries: 0 }
  modes: [real, gtm, hybrid]
  switch_step: 1
  steps: 3
  batch_size: 3
  max_turns: 3
${extra}`;
  writeFileSync(join(dir, 'suite.yaml'), suite);
  return join(dir, 'suite.yaml');
}

test('runAgent: real, gtm and hybrid modes, every turn timed, files per line, summary with speedups, report', async () => {
  const policy = await startStandIn({ models: ['policy'], respond: scriptedPolicy, log: true });
  const gtm = await startStandIn({ models: ['gtm'], respond: () => ({ text: GTM_ANSWER }), log: true });
  try {
    const dir = mkdtempSync(join(tmp, 'e2e-'));
    const suiteFile = writeSuite(dir, `${policy.url}/v1`, `${gtm.url}/v1`);
    const out = join(dir, 'run');
    const seen: StepRecord[] = [];
    const r = await runAgent({ suiteFile, out, argv: ['agent'], env: {}, onStep: (s) => seen.push(s) });
    assert.is(r.exitCode, 0);
    const steps = readJsonl<StepRecord>(join(out, 'steps.jsonl'));
    const episodes = readJsonl<EpisodeRecord>(join(out, 'episodes.jsonl'));
    assert.is(steps.length, 9, '3 steps x 3 modes');
    assert.is(episodes.length, 27);
    assert.equal(seen, steps);
    assert.equal(
      steps.filter((s) => s.mode === 'hybrid').map((s) => s.tool_backend),
      ['gtm', 'real', 'real'],
    );
    for (const e of episodes) {
      assert.is(e.end, 'answer');
      assert.is(e.turns.length, 2);
      assert.equal(e.tool_backend_per_turn, [backendForStep(e.mode, e.step, 1), null]);
      assert.ok(e.turns[0].policy_ms > 0 && e.turns[0].tool_ms > 0 && e.turns[1].tool_ms === 0);
      assert.is(e.turns[0].tool_calls, 1);
      assert.is(e.reward.em, e.tool_backend_per_turn[0] === 'real' ? 1 : 0, 'the real retriever finds the country; the simulator invents one');
    }
    const byStep = (mode: string) =>
      episodes
        .filter((e) => e.mode === mode && e.step === 0)
        .map((e) => e.task_id)
        .sort();
    assert.equal(byStep('real'), byStep('gtm'), 'every mode answers the same questions at a step');
    for (const s of steps) {
      const eps = episodes.filter((e) => e.mode === s.mode && e.step === s.step);
      assert.is(s.tool_calls, 3);
      assert.ok(Math.abs(s.tool_ms - eps.reduce((a, e) => a + e.turns[0].tool_ms, 0)) < 1e-6);
    }
    // What the policy was sent: Search-R1's prompt, the suite's sampling, the dialect's stop, information back.
    const first = completionRequests(policy)[0].body;
    assert.match(first.messages[0].content, /^Answer the given question\. .*Question: Which country has/);
    assert.equal(first.stop, ['</search>']);
    assert.is(first.max_tokens, 64);
    const second = completionRequests(policy).find((q) => q.body.messages.length === 3)!.body.messages;
    assert.match(second[1].content, /<\/search>$/);
    assert.match(second[2].content, /^\n\n<information>Doc 1\(Title: /);
    // The GTM side was asked exactly as the fidelity suites ask it: the tool spec and the call's arguments.
    assert.match(JSON.stringify(completionRequests(gtm)[0].body.messages), /Which country has/);

    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const a = summary.agent;
    assert.is(a.task, 'search');
    assert.is(a.dialect, 'search-r1-tags');
    assert.equal(Object.keys(a.modes), ['real', 'gtm', 'hybrid']);
    assert.is(a.modes.real.reward.em.mean, 1);
    assert.is(a.modes.gtm.reward.em.mean, 0);
    assert.is(a.modes.real.steps, 3);
    assert.is(a.modes.real.tool_calls_per_step.mean, 3);
    assert.ok(a.tool_call_ms.real.n === 15 && a.tool_call_ms.gtm.n === 12, '9 real steps x 3 calls + 12 gtm');
    for (const k of ['tool_time_gtm_over_real', 'step_time_gtm_over_real']) {
      assert.is(a.speedup[k].n_real, 3);
      assert.is(a.speedup[k].n_gtm, 3);
      assert.match(a.speedup[k].method, /^bootstrap ratio of means, 2000 resamples, seed 5/);
      assert.type(a.speedup[k].estimate, 'number');
    }
    assert.match(summary.backends.policy, /^openai:http:\/\/127\.0\.0\.1:\d+\/v1#policy$/);
    assert.match(summary.backends.real, /^real:bm25/);
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    assert.match(report, /## Latency of one tool call/);
    assert.match(report, /tool time per step: [\d.]+x/);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    assert.is(manifest.status, 'completed');
    assert.equal(manifest.agent.steps, [0, 1, 2]);
  } finally {
    await policy.close();
    await gtm.close();
  }
});

test('runAgent --mode hybrid --step past the switch needs only the real backend; a missing policy is a clear error', async () => {
  const policy = await startStandIn({ models: ['policy'], respond: scriptedPolicy });
  try {
    const dir = mkdtempSync(join(tmp, 'hyb-'));
    const suiteFile = writeSuite(dir, `${policy.url}/v1`, null);
    const r = await runAgent({ suiteFile, out: join(dir, 'run'), argv: [], env: {}, modes: ['hybrid'], step: 5, steps: 1, batchSize: 2 });
    assert.equal(r.summary.agent.modes.hybrid!.backend_by_step, [{ step: 5, backend: 'real' }]);
    assert.is(r.summary.agent.speedup, undefined, 'no speedup without both real and gtm');
    try {
      await runAgent({ suiteFile, out: join(dir, 'run2'), argv: [], env: {}, modes: ['gtm'] });
      assert.unreachable('gtm mode without a configured gtm target');
    } catch (err) {
      assert.instance(err, UserError);
      assert.match((err as Error).message, /the gtm tool backend, target gtm, is not configured here: environment variable TEST_GTM_URL is not set/);
    }
    const noPolicy = writeSuite(mkdtempSync(join(tmp, 'np-')), null, null);
    try {
      await runAgent({ suiteFile: noPolicy, argv: [], env: {} });
      assert.unreachable('no policy');
    } catch (err) {
      assert.instance(err, UserError);
      assert.match((err as Error).message, /agent policy not configured: environment variable TEST_POLICY_URL is not set/);
    }
  } finally {
    await policy.close();
  }
});

test('runAgent with the openai-tools dialect: function calls to the real retriever, tool messages back', async () => {
  let n = 0;
  const policy = await startStandIn({
    models: ['policy'],
    log: true,
    respond: (req) => {
      const msgs = req.body.messages as { role: string; content: string }[];
      if (msgs[msgs.length - 1].role === 'tool') {
        const results = JSON.parse(msgs[msgs.length - 1].content).results;
        return { text: `<answer>${results[0].title}</answer>` };
      }
      return { tool_calls: [{ id: `call_${n++}`, name: 'search', arguments: JSON.stringify({ query: msgs[1].content }) }] };
    },
  });
  try {
    const dir = mkdtempSync(join(tmp, 'tools-'));
    const suiteFile = writeSuite(dir, `${policy.url}/v1`, null);
    writeFileSync(suiteFile, readFileSync(suiteFile, 'utf8').replace('dialect: search-r1-tags', 'dialect: openai-tools'));
    const r = await runAgent({ suiteFile, out: join(dir, 'run'), argv: [], env: {}, modes: ['real'], steps: 1, batchSize: 2 });
    assert.is(r.summary.agent.dialect, 'openai-tools');
    assert.is(r.summary.agent.modes.real!.reward.em.mean, 1);
    const withTools = completionRequests(policy).find((q) => q.body.messages.some((m: any) => m.role === 'tool'))!.body;
    assert.is(withTools.tools[0].function.name, 'search');
    assert.is(withTools.messages[2].tool_calls[0].function.name, 'search');
    assert.is(withTools.messages[3].tool_call_id, withTools.messages[2].tool_calls[0].id);
  } finally {
    await policy.close();
  }
});

test('a bad agent section is reported by file:line with what was expected', () => {
  const dir = mkdtempSync(join(tmp, 'bad-'));
  const suiteFile = writeSuite(dir, 'http://127.0.0.1:1/v1', 'http://127.0.0.1:1/v1');
  const text = readFileSync(suiteFile, 'utf8')
    .replace('dialect: search-r1-tags', 'dialect: search-r1-tag')
    .replace('backends: { real: real, gtm: gtm }', 'backends: { real: reel, gtm: gtm }')
    .replace('  switch_step: 1\n', '  options: { topk: 3 }\n');
  writeFileSync(suiteFile, text);
  try {
    readSuite(suiteFile, { env: {} });
    assert.unreachable('the agent section is invalid');
  } catch (err) {
    assert.instance(err, UserError);
    const lines = (err as UserError).render();
    assert.match(lines, /suite\.yaml:\d+:\d+: \/agent\/dialect: unknown dialect "search-r1-tag" \(did you mean search-r1-tags\?\)/);
    assert.match(lines, /\/agent\/backends\/real: expected the name of a target of this suite, found "reel"/);
    assert.match(lines, /mode hybrid needs switch_step/);
  }
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
