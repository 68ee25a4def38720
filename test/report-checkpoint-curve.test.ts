/**
 * A checkpoint curve from gtm-bench's own measurements: `curves --evaluate` runs each checkpoint as the
 * policy of an agent suite in mode real (the real BM25 retriever over datasets/search/corpus.jsonl), then
 * builds the curve from the summaries it wrote. The two "checkpoints" are scripted answers of the loopback
 * stand-in (not models): the early one answers without searching, the later one searches first.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { curvesCommand } from '../harness/cli/curves.js';
import { HARNESS_ROOT } from '../harness/records/manifest.js';
import { inProcess } from './support/in-process-cli.js';
import { startStandIn, type StandIn, type StandInRequest } from '../dev/stand-ins/vllm-stand-in.js';

const tmp = mkdtempSync(join(tmpdir(), 'gtm-ckpt-curve-'));
let policy: StandIn;
const root = (...p: string[]) => JSON.stringify(join(HARNESS_ROOT, ...p));

const QUESTIONS = [
  { id: 'kabul', question: 'Which country has Kabul as its capital?', golden_answers: ['Afghanistan'] },
  { id: 'luanda', question: 'Which country has Luanda as its capital?', golden_answers: ['Angola'] },
  { id: 'tirana', question: 'Which country has Tirana as its capital?', golden_answers: ['Albania'] },
  { id: 'canberra', question: 'Which country has Canberra as its capital?', golden_answers: ['Australia'] },
];

/** ckpt-10 answers at once (wrong); ckpt-20 searches the question, then answers with the first hit's title. */
function scripted(req: StandInRequest) {
  const msgs = req.body.messages as { role: string; content: string }[];
  if (req.body.model === 'ckpt-10') return { text: '<think>I know this.</think>\n<answer> Atlantis </answer>' };
  const found = /Doc 1\(Title: ([^)]*)\)/.exec(msgs[msgs.length - 1].content);
  if (found) return { text: `<answer> ${found[1]} </answer>` };
  const question = /Question: (.*)/.exec(msgs[0].content)?.[1] ?? 'unknown';
  return { text: `<search> ${question} `, finish_reason: 'stop' };
}

test.before(async () => {
  policy = await startStandIn({ models: ['ckpt-10', 'ckpt-20'], respond: scripted });
});
test.after(async () => {
  await policy.close();
  rmSync(tmp, { recursive: true, force: true });
});

test('curves --evaluate: each checkpoint answers the validation tasks with real tools; the curve is built from those runs', async () => {
  writeFileSync(join(tmp, 'validation.jsonl'), QUESTIONS.map((q) => JSON.stringify(q)).join('\n') + '\n');
  writeFileSync(join(tmp, 'calls.jsonl'), JSON.stringify({ id: 'c1', tool: 'search', arguments: { query: 'Kabul', top_k: 3 } }) + '\n');
  writeFileSync(
    join(tmp, 'agent.yaml'),
    `version: "1"
name: validation-agent
seed: 3
tools: [{ file: ${root('suites', 'tools', 'search.yaml')} }]
datasets: [{ name: calls, path: calls.jsonl }]
targets: [{ name: real, kind: real:bm25, corpus: ${root('datasets', 'search', 'corpus.jsonl')} }]
agent:
  task: search
  dialect: search-r1-tags
  tasks: validation.jsonl
  backends: { real: real }
  policy: { base_url: "\${VALIDATION_POLICY_URL}", model: "\${VALIDATION_POLICY_MODEL}", sampling: { temperature: 0, max_tokens: 64 }, retries: 0 }
  modes: [real]
  steps: 1
  batch_size: 4
  max_turns: 3
`,
  );
  const url = `${policy.url}/v1`;
  writeFileSync(
    join(tmp, 'curves.yaml'),
    `version: "1"
name: checkpoint-curve
tools: [{ file: ${root('suites', 'tools', 'search.yaml')} }]
datasets: [{ name: calls, path: calls.jsonl }]
targets: [{ name: real, kind: real:bm25, corpus: ${root('datasets', 'search', 'corpus.jsonl')} }]
curves:
  checkpoints:
    - name: policy-checkpoints
      mode: real
      metric: accuracy
      value: /agent/modes/real/reward/em
      evaluate: { suite: agent.yaml, steps: 1, batch_size: 4 }
      points:
        - { step: 10, base_url: "${url}", model: ckpt-10, summary: evals/step-10 }
        - { step: 20, base_url: "${url}", model: ckpt-20, summary: evals/step-20 }
`,
  );
  const out = join(tmp, 'out');
  const r = await inProcess(() => curvesCommand(join(tmp, 'curves.yaml'), { out, evaluate: true }));
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /evaluated policy-checkpoints step 10 with real tools: .*evals\/step-10 \(exit 0\)/);
  for (const step of [10, 20]) assert.ok(existsSync(join(tmp, 'evals', `step-${step}`, 'episodes.jsonl')));
  const manifest = JSON.parse(readFileSync(join(tmp, 'evals', 'step-20', 'manifest.json'), 'utf8'));
  assert.match(manifest.backends.policy, /ckpt-20/);
  assert.match(manifest.backends.real, /^real:bm25/);
  const curves = JSON.parse(readFileSync(join(out, 'curves.json'), 'utf8'));
  const points = curves.series[0].points.map((p: { step: number; value: number }) => [p.step, p.value]);
  assert.equal(
    points,
    [
      [10, 0],
      [20, 1],
    ],
    'the checkpoint that searches the real retriever answers every validation question',
  );
  assert.match(r.stdout, /policy-checkpoints \[real\] accuracy: final 1\.000 at step 20, best 1\.000 at step 20/);
  // A second --evaluate would overwrite measurements: the agent loop refuses an existing run folder.
  const again = await inProcess(() => curvesCommand(join(tmp, 'curves.yaml'), { out, evaluate: true }));
  assert.is(again.code, 2);
  assert.match(again.stderr, /already holds a run/);
});

test.run();
