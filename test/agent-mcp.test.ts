// The mcp-tools agent dialect: an agent over the real memory MCP server's tools through OpenAI function
// calling, one tool session per episode (what the agent created, its next call finds), in real and gtm
// mode with step and tool time. The policy is a scripted loopback stand-in (not a model): create, open, answer.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAgent } from '../harness/agents/run-agent.js';
import type { EpisodeRecord } from '../harness/agents/types.js';
import type { McpServerSpec } from '../harness/tools/mcp/server-spec.js';
import { startMcpSimStandIn } from './support/mcp-sim-stand-in.js';
import { startStandIn, type ScriptedResponse, type StandInRequest, completionRequests } from '../dev/stand-ins/vllm-stand-in.js';

const ROOT = join(import.meta.dirname, '..');
const MEMORY = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-memory/dist/index.js');
const memory: McpServerSpec = { transport: 'stdio', command: process.execPath, args: [MEMORY], env: { MEMORY_FILE_PATH: '{state_dir}/memory.jsonl' } };
const tmp = mkdtempSync(join(tmpdir(), 'gtm-agent-mcp-'));

/** Turn 1: create Kestrel_1 with two observations; turn 2: open it; turn 3: answer the observation count. */
function scriptedPolicy(req: StandInRequest): ScriptedResponse {
  const msgs = req.body.messages as { role: string; content: string | null }[];
  const tools = msgs.filter((m) => m.role === 'tool');
  if (tools.length === 0) {
    return {
      text: '',
      tool_calls: [
        {
          name: 'create_entities',
          arguments: JSON.stringify({ entities: [{ name: 'Kestrel_1', entityType: 'project', observations: ['started 2024', 'written in Rust'] }] }),
        },
      ],
    };
  }
  if (tools.length === 1) return { text: '', tool_calls: [{ name: 'open_nodes', arguments: JSON.stringify({ names: ['Kestrel_1'] }) }] };
  let n = 0;
  try {
    n = JSON.parse(tools[1].content ?? '{}').entities?.[0]?.observations?.length ?? 0;
  } catch {
    n = -1;
  }
  return { text: `<answer>${n}</answer>` };
}

function writeSuite(dir: string, policyUrl: string, gtmUrl: string): string {
  writeFileSync(join(dir, 'calls.jsonl'), JSON.stringify({ id: 'c1', tool: 'open_nodes', arguments: { names: ['x'] } }) + '\n');
  writeFileSync(
    join(dir, 'tasks.jsonl'),
    JSON.stringify({ id: 'count', question: 'Create Kestrel_1 with two observations, open it, how many observations?', golden_answers: ['2'] }) + '\n',
  );
  const toolDir = join(ROOT, 'suites', 'tools', 'mcp-memory');
  const suite = `
version: "1"
name: agent-mcp-test
seed: 5
tools: [{ file: ${JSON.stringify(join(toolDir, 'create_entities.yaml'))} }, { file: ${JSON.stringify(join(toolDir, 'open_nodes.yaml'))} }]
datasets: [{ name: calls, path: calls.jsonl }]
targets:
  - { name: real, kind: "real:mcp", command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(MEMORY)}], env: { MEMORY_FILE_PATH: "{state_dir}/memory.jsonl" } }
  - { name: gtm, kind: openai, base_url: "${gtmUrl}", model: stand-in, api: chat, prompt_template: ${JSON.stringify(join(ROOT, 'harness', 'prompts', 'gtm-tool-sim-session-v1.yaml'))}, retries: 0 }
agent:
  task: session
  dialect: mcp-tools
  tasks: tasks.jsonl
  backends: { real: real, gtm: gtm }
  policy: { base_url: "${policyUrl}", model: policy, sampling: { temperature: 0, max_tokens: 64 }, retries: 0 }
  modes: [real, gtm]
  steps: 1
  batch_size: 2
  max_turns: 4
`;
  writeFileSync(join(dir, 'suite.yaml'), suite);
  return join(dir, 'suite.yaml');
}

const episodes = (out: string): EpisodeRecord[] =>
  readFileSync(join(out, 'episodes.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

for (const [memoryMode, gtmReward] of [
  ['keeps', 1],
  ['forgets', 0],
] as const) {
  test(`mcp-tools: real keeps state across an episode's calls (reward 1); a simulator that ${memoryMode} state scores ${gtmReward}`, async () => {
    const policy = await startStandIn({ models: ['policy'], respond: scriptedPolicy, log: true });
    const gtm = await startMcpSimStandIn(memory, memoryMode);
    try {
      const dir = mkdtempSync(join(tmp, `${memoryMode}-`));
      const out = join(dir, 'run');
      const r = await runAgent({ suiteFile: writeSuite(dir, `${policy.url}/v1`, `${gtm.url}/v1`), out, argv: ['agent'], env: {} });
      assert.is(r.exitCode, 0);
      const eps = episodes(out);
      assert.is(eps.length, 4, '2 episodes x 2 modes');
      for (const e of eps) {
        assert.is(e.end, 'answer');
        assert.equal(e.tool_backend_per_turn, [e.mode, e.mode, null]);
        assert.is(e.reward.em, e.mode === 'real' ? 1 : gtmReward, `${e.mode}: answer ${e.answer}`);
      }
      const sent = completionRequests(policy)[0].body;
      assert.equal(
        sent.tools.map((t: { function: { name: string } }) => t.function.name),
        ['create_entities', 'open_nodes'],
      );
      assert.match(sent.messages[0].content, /the tools keep state/);
    } finally {
      await policy.close();
      await gtm.close();
    }
  });
}

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
