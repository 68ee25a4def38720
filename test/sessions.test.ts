// Multi-turn sessions end to end on the real memory server installed from npm: session rows load as ordered
// steps, {{history}} carries the session (truncated oldest first), each session runs in order against fresh
// state, and session.consistency holds for the real server, the recorded references and a simulator stand-in
// that keeps state, and drops for one that forgets. Also: bad session rows, the report's step-index section.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProgress } from '../harness/cli/progress.js';
import { importMcpCommand } from '../harness/cli/import-mcp.js';
import { recordSession } from '../harness/datasets/mcp-sessions/record-session.js';
import type { McpServerSpec } from '../harness/tools/mcp/server-spec.js';
import { parseRenderedHistory, renderHistory } from '../harness/prompts/history.js';
import { loadPromptTemplate } from '../harness/prompts/template.js';
import type { RunRecord } from '../harness/records/types.js';
import { runSuite } from '../harness/run/run-suite.js';
import { compileToolSchema } from '../harness/suite/schema-ajv.js';
import { loadSuite } from '../harness/suite/load.js';
import { UserError } from '../harness/util/errors.js';
import { recordOutput } from '../harness/records/record-output.js';
import { inProcess } from './support/in-process-cli.js';
import { startMcpSimStandIn } from './support/mcp-sim-stand-in.js';

const fromHere = createRequire(import.meta.url);
const MEMORY = fromHere.resolve('@modelcontextprotocol/server-memory/dist/index.js');
const server: McpServerSpec = { transport: 'stdio', command: process.execPath, args: [MEMORY], env: { MEMORY_FILE_PATH: '{state_dir}/memory.jsonl' } };
const tmp = mkdtempSync(join(tmpdir(), 'gtm-sessions-'));
const quiet = createProgress({ interactive: false, quiet: true });
const TEMPLATE = join(import.meta.dirname, '..', 'harness', 'prompts', 'gtm-tool-sim-session-v1.yaml');

const ada = (name: string) => ({ entities: [{ name, entityType: 'person', observations: ['writes notes'] }] });
const SESSIONS = [
  {
    id: 'made-then-found',
    calls: [
      { tool: 'create_entities', arguments: ada('Ada') },
      { tool: 'search_nodes', arguments: { query: 'Ada' } },
      { tool: 'open_nodes', arguments: { names: ['Ada'] } },
    ],
  },
  {
    id: 'made-deleted',
    calls: [
      { tool: 'create_entities', arguments: ada('Bob') },
      { tool: 'delete_entities', arguments: { entityNames: ['Bob'] } },
      { tool: 'read_graph', arguments: {} },
    ],
  },
  {
    id: 'with-refusal',
    calls: [
      { tool: 'create_entities', arguments: ada('Cy') },
      { tool: 'search_nodes', arguments: { query: 7 } },
      { tool: 'open_nodes', arguments: { names: ['Cy'] } },
      { tool: 'read_graph', arguments: {} },
    ],
  },
];

async function buildSuite(dir: string, extra = ''): Promise<string> {
  await inProcess(() => importMcpCommand([process.execPath, MEMORY], { out: join(dir, 'tools'), env: ['MEMORY_FILE_PATH={state_dir}/m.jsonl'] }));
  const validators = new Map<string, ReturnType<typeof compileToolSchema>>();
  for (const t of ['create_entities', 'search_nodes', 'open_nodes', 'delete_entities', 'read_graph']) {
    const { parse } = await import('yaml');
    validators.set(t, compileToolSchema(parse(readFileSync(join(dir, 'tools', `${t}.yaml`), 'utf8')).parameters));
  }
  const rows = [];
  for (const s of SESSIONS) rows.push(JSON.stringify((await recordSession(server, 'memory', s, validators, ['memory'])).row));
  writeFileSync(join(dir, 'sessions.jsonl'), rows.join('\n') + '\n');
  const file = join(dir, 'suite.yaml');
  writeFileSync(
    file,
    [
      'version: "1"',
      'name: memory-sessions-test',
      'seed: 7',
      'metrics: [format, logic, semantic, session]',
      'tools:',
      ...['create_entities', 'search_nodes', 'open_nodes', 'delete_entities', 'read_graph'].map((t) => `  - file: tools/${t}.yaml`),
      'datasets:',
      '  - {name: sessions, path: sessions.jsonl}',
      'targets:',
      '  - {name: reference, kind: baseline:reference}',
      '  - {name: schema-faker, kind: baseline:schema-faker}',
      `  - {name: real, kind: "real:mcp", command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(MEMORY)}], env: {MEMORY_FILE_PATH: "{state_dir}/memory.jsonl"}, concurrency: 2}`,
      `  - {name: keeps, kind: openai, base_url: "\${KEEPS_URL}", model: stand-in, prompt_template: ${JSON.stringify(TEMPLATE)}, sampling: {max_tokens: 512}, concurrency: 2, retries: 0}`,
      `  - {name: forgets, kind: openai, base_url: "\${FORGETS_URL}", model: stand-in, prompt_template: ${JSON.stringify(TEMPLATE)}, sampling: {max_tokens: 512}, concurrency: 2, retries: 0}`,
      extra,
    ].join('\n'),
  );
  return file;
}

test('history: oldest first, compact arguments, truncated whole entries oldest first with a note', () => {
  const turns = [1, 2, 3, 4].map((i) => ({
    tool: 'write_file',
    arguments: { path: `/sandbox/${i}.txt`, content: 'x'.repeat(60) },
    response: `{"content":"ok ${i}"}`,
  }));
  const all = renderHistory(turns);
  assert.match(all, /^\[1\] write_file \{"path":"\/sandbox\/1.txt"/);
  assert.equal(
    parseRenderedHistory(all).map((t) => t.arguments.path),
    ['/sandbox/1.txt', '/sandbox/2.txt', '/sandbox/3.txt', '/sandbox/4.txt'],
  );
  const cut = renderHistory(turns, { maxTokens: 70, tokensPerChar: 0.5 });
  assert.match(cut, /^\(3 earlier calls left out to fit the prompt\)\n\[4\] /);
  const ratio = renderHistory(turns, { maxTokens: 70, tokensPerChar: 0.25 });
  assert.match(ratio, /^\(2 earlier calls left out/, 'a server that reports fewer tokens per character fits more');
  assert.match(renderHistory([]), /first call of the session/);
  assert.match(renderHistory([{ tool: 't', arguments: {}, response: null }]), /=> \(no response: the call failed\)/);
  const t = loadPromptTemplate(TEMPLATE);
  assert.ok(t.uses_history);
  const msgs = (
    t.render({ name: 'read_graph', description: '', parameters: {}, response_schema: {}, invariants: [], semantic: {} }, {}, { turns: turns.slice(0, 1) }) as {
      messages: { content: string }[];
    }
  ).messages;
  assert.match(msgs[1].content, /Earlier calls in this session:\n\[1\] write_file/);
});

test('bad session rows: each problem names the step and field; a JSONata error in an invariant fails the load', async () => {
  const dir = mkdtempSync(join(tmp, 'bad-'));
  await inProcess(() => importMcpCommand([process.execPath, MEMORY], { out: join(dir, 'tools'), env: [] }));
  writeFileSync(
    join(dir, 'bad.jsonl'),
    [
      JSON.stringify({
        id: 's1',
        session: [
          { tool: 'read_graph', arguments: {} },
          { tool: 'search_nodes', arguments: { query: 5 } },
        ],
      }),
      JSON.stringify({ id: 's2', session: [], history: 'maybe' }),
      JSON.stringify({ id: 's3', session: [{ tool: 'read_graph', arguments: {} }], invariants: [{ name: 'broken', expr: 'calls[0].output.(' }] }),
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'suite.yaml'),
    [
      'version: "1"',
      'name: bad',
      'tools:',
      '  - file: tools/read_graph.yaml',
      '  - file: tools/search_nodes.yaml',
      'datasets:',
      '  - {name: bad, path: bad.jsonl}',
      'targets:',
      '  - {name: r, kind: baseline:reference}',
      '',
    ].join('\n'),
  );
  const err = await loadSuite(join(dir, 'suite.yaml'), { env: {} }).catch((e) => e);
  assert.instance(err, UserError);
  const text = (err as UserError).render();
  assert.match(text, /bad\.jsonl:1:1: session\[1\]\.arguments: arguments do not satisfy tool search_nodes/);
  assert.match(text, /bad\.jsonl:2:1: session: expected a non-empty list/);
  assert.match(text, /bad\.jsonl:2:1: history: expected own/);
  assert.match(text, /bad\.jsonl:3:1: invariants\[0\]\.expr: session invariant broken: JSONata syntax error/);
});

test('a session suite on the real memory server: consistency holds for real, reference and a stand-in that keeps state; drops for one that forgets', async () => {
  const dir = mkdtempSync(join(tmp, 'run-'));
  const suiteFile = await buildSuite(dir);
  const keeps = await startMcpSimStandIn(server, 'keeps');
  const forgets = await startMcpSimStandIn(server, 'forgets');
  try {
    const env = { KEEPS_URL: `${keeps.url}/v1`, FORGETS_URL: `${forgets.url}/v1` };
    const r = await runSuite({ suiteFile, out: join(dir, 'out'), argv: [], progress: quiet, env });
    const metric = (target: string, m: string) => r.summary.targets.find((t) => t.name === target)!.metrics[m];
    for (const t of ['reference', 'real', 'keeps']) {
      assert.is(metric(t, 'session.consistency').mean, 1, `${t} holds every session invariant`);
      assert.is(metric(t, 'session.consistency').n, 3);
    }
    assert.ok(metric('forgets', 'session.consistency').mean! < 1, 'a simulator that forgets breaks the session');
    assert.ok(metric('forgets', 'session.consistency').mean! > 0, 'some invariants (a deleted entity is absent) hold even without memory');
    const records: RunRecord[] = readFileSync(join(r.runDir, 'records.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const keepsSteps = records.filter((x) => x.target === 'keeps' && x.session?.id === 'with-refusal');
    assert.equal(
      keepsSteps.map((x) => x.session!.step),
      [0, 1, 2, 3],
      'a session runs in order on one worker',
    );
    const last = keepsSteps[3];
    assert.match(JSON.stringify(last.request), /\[1\] create_entities .*\[2\] search_nodes \{\\"query\\":7\}/, 'the prompt carries the session so far');
    assert.match(
      JSON.stringify(recordOutput(records.find((x) => x.target === 'keeps' && x.call_id === 'with-refusal#1')!)),
      /expected string/,
      'the refused call is an error response',
    );
    const refusal = records.find((x) => x.target === 'real' && x.call_id === 'with-refusal#1')!;
    assert.is(refusal.expect_error, true);
    assert.is(refusal.scores['logic.error_detected'].value, 1);
    const report = readFileSync(join(r.runDir, 'report.html'), 'utf8');
    assert.match(report, /Sessions by step index/);
    const steps = readFileSync(join(r.runDir, 'report-data', 'session-steps.csv'), 'utf8');
    assert.match(steps, /\nforgets,session consistency,- \(0\/3\),- \(0\/3\),0\.\d+ \(2\/3\),/, 'consistency is scored on the last step only');
    assert.match(steps, /\nkeeps,semantic fidelity vs real,1\.000 \(3\/3\),1\.000 \(3\/3\),1\.000 \(3\/3\),1\.000 \(1\/1\)/, 'a step-index column per step');
  } finally {
    await keeps.close();
    await forgets.close();
  }
});

test('history_max_tokens: later steps drop the oldest calls, counted with the prompt tokens the server reported', async () => {
  const dir = mkdtempSync(join(tmp, 'truncate-'));
  const suiteFile = await buildSuite(dir);
  const small = join(dir, 'small-history.yaml');
  writeFileSync(small, readFileSync(TEMPLATE, 'utf8').replace('history_max_tokens: 4096', 'history_max_tokens: 40'));
  writeFileSync(suiteFile, readFileSync(suiteFile, 'utf8').split(JSON.stringify(TEMPLATE)).join(JSON.stringify(small)));
  const keeps = await startMcpSimStandIn(server, 'keeps');
  try {
    const r = await runSuite({
      suiteFile,
      out: join(dir, 'out'),
      argv: [],
      progress: quiet,
      env: { KEEPS_URL: `${keeps.url}/v1`, FORGETS_URL: 'http://127.0.0.1:9/v1' },
      targets: ['keeps'],
    });
    const records: RunRecord[] = readFileSync(join(r.runDir, 'records.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const last = JSON.stringify(records.find((x) => x.call_id === 'with-refusal#3')!.request);
    assert.match(last, /earlier calls? left out to fit the prompt/);
    assert.match(last, /\[3\] open_nodes/, 'the newest call is always kept');
    assert.ok(records.find((x) => x.call_id === 'with-refusal#3')!.usage!.prompt_tokens > 0, 'the stand-in reported usage the ratio came from');
  } finally {
    await keeps.close();
  }
});

test("history: real shows the recorded answers instead of the target's own", async () => {
  const dir = mkdtempSync(join(tmp, 'real-history-'));
  await buildSuite(dir);
  const rows = readFileSync(join(dir, 'sessions.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => ({ ...JSON.parse(l), history: 'real' }));
  writeFileSync(join(dir, 'sessions.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const forgets = await startMcpSimStandIn(server, 'forgets');
  try {
    const r = await runSuite({
      suiteFile: join(dir, 'suite.yaml'),
      out: join(dir, 'out'),
      argv: [],
      progress: quiet,
      env: { KEEPS_URL: 'http://127.0.0.1:9/v1', FORGETS_URL: `${forgets.url}/v1` },
      targets: ['forgets'],
    });
    const records: RunRecord[] = readFileSync(join(r.runDir, 'records.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const step1 = records.find((x) => x.call_id === 'made-then-found#1')!;
    // The forgetful stand-in answered step 0 itself too, but history: real shows the recorded real answer.
    assert.match(JSON.stringify(step1.request), /=> \{\\"entities\\":\[\{\\"name\\":\\"Ada\\"/);
  } finally {
    await forgets.close();
  }
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
