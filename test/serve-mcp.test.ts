// serve-mcp tested with the MCP SDK's own client: the memory session suite's tools served over Streamable HTTP
// and stdio, answered by the real server (fresh state per MCP session), by a simulator stand-in (gtm), and
// hybrid (gtm for the first calls, then real); every call written as a record that `gtm-bench report` reads.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { serveMcpCommand, type ServeMcpOptions } from '../harness/cli/serve-mcp.js';
import { reportCommand } from '../harness/cli/report.js';
import type { McpServerSpec } from '../harness/tools/mcp/server-spec.js';
import type { RunRecord } from '../harness/records/types.js';
import { inProcess } from './support/in-process-cli.js';
import { startMcpSimStandIn } from './support/mcp-sim-stand-in.js';

const ROOT = join(import.meta.dirname, '..');
const SUITE = join(ROOT, 'suites', 'mcp-memory-sessions.yaml');
const MEMORY = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-memory/dist/index.js');
const memory: McpServerSpec = { transport: 'stdio', command: process.execPath, args: [MEMORY], env: { MEMORY_FILE_PATH: '{state_dir}/memory.jsonl' } };
const tmp = mkdtempSync(join(tmpdir(), 'gtm-serve-mcp-'));
const ada = { entities: [{ name: 'Ada', entityType: 'person', observations: ['writes notes'] }] };

const text = (r: any) => (r.content as { text: string }[]).map((b) => b.text).join('');
const records = (dir: string): RunRecord[] =>
  readFileSync(join(dir, 'records.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

/** Starts serve-mcp over HTTP in this process; `stop()` ends it and resolves once the run folder is finished. */
async function serveHttp(opts: Partial<ServeMcpOptions>) {
  let stop!: () => void;
  const until = new Promise<void>((r) => (stop = r));
  let ready!: (v: { url?: string; runDir: string }) => void;
  const started = new Promise<{ url?: string; runDir: string }>((r) => (ready = r));
  const done = inProcess(() => serveMcpCommand(SUITE, { backend: 'real', http: true, port: 0, until, onReady: ready, ...opts } as ServeMcpOptions));
  const info = await Promise.race([started, done.then((r) => Promise.reject(new Error(`serve-mcp ended early: ${r.stderr}`)))]);
  return { ...info, stop: async () => (stop(), done) };
}

async function client(url: string): Promise<Client> {
  const c = new Client({ name: 'test-agent', version: '1' });
  await c.connect(new StreamableHTTPClientTransport(new URL(url)));
  return c;
}

test('HTTP, backend real: tools listed, a session keeps its state, another starts fresh, records readable by report', async () => {
  const out = join(tmp, 'real');
  const s = await serveHttp({ backend: 'real', out });
  const a = await client(s.url!);
  const tools = await a.listTools();
  assert.equal(tools.tools.map((t) => t.name).sort(), [
    'add_observations',
    'create_entities',
    'create_relations',
    'delete_entities',
    'delete_observations',
    'delete_relations',
    'open_nodes',
    'read_graph',
    'search_nodes',
  ]);
  await a.callTool({ name: 'create_entities', arguments: ada });
  assert.match(text(await a.callTool({ name: 'search_nodes', arguments: { query: 'Ada' } })), /"name":"Ada"/);
  const b = await client(s.url!);
  assert.match(
    text(await b.callTool({ name: 'search_nodes', arguments: { query: 'Ada' } })),
    /"entities":\[\]/,
    'a second MCP session has its own fresh state',
  );
  const refused = await b.callTool({ name: 'search_nodes', arguments: { query: 5 } });
  assert.is(refused.isError, true);
  await a.close();
  await b.close();
  const end = await s.stop();
  assert.is(end.code, 0, end.stderr);
  const recs = records(out);
  assert.is(recs.length, 4);
  assert.ok(recs.every((r) => r.target === 'real' && r.session));
  assert.equal(
    recs.filter((r) => r.session!.id === recs[0].session!.id).map((r) => r.session!.step),
    [0, 1],
  );
  assert.is(recs[3].scores['format.schema_valid'].value, 1, 'the refusal matches the error schema');
  const report = await inProcess(() => reportCommand(out));
  assert.is(report.code, 0, report.stderr);
  assert.ok(existsSync(join(out, 'report.html')));
  assert.match(readFileSync(join(out, 'summary.json'), 'utf8'), /"name": "real"/);
});

test('HTTP, backend hybrid: the simulator answers the first calls, the real tool after the switch; gtm keeps the session history', async () => {
  const standIn = await startMcpSimStandIn(memory, 'keeps');
  try {
    const out = join(tmp, 'hybrid');
    const s = await serveHttp({ backend: 'hybrid', switchAfter: 2, out, env: { GTM_BASE_URL: `${standIn.url}/v1`, GTM_MODEL: 'stand-in' } });
    const a = await client(s.url!);
    await a.callTool({ name: 'create_entities', arguments: ada });
    assert.match(text(await a.callTool({ name: 'search_nodes', arguments: { query: 'Ada' } })), /"name":"Ada"/, 'the simulator saw the session history');
    const third = await a.callTool({ name: 'read_graph', arguments: {} });
    assert.match(text(third), /"entities":\[\]/, 'the real tool took over (its state starts at the switch)');
    await a.close();
    await s.stop();
    assert.equal(
      records(out).map((r) => r.target),
      ['gtm', 'gtm', 'real'],
    );
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    assert.equal(manifest.serve_mcp, { backend: 'hybrid', switch_after_calls: 2, switch_at_s: null, transport: 'http' });
  } finally {
    await standIn.close();
  }
});

test('stdio: the SDK client starts `gtm-bench serve-mcp` as a child, lists and calls; closing it ends the server and writes the run', async () => {
  const out = join(tmp, 'stdio');
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [join(ROOT, 'bin', 'gtm-bench.js'), 'serve-mcp', SUITE, '--backend', 'real', '--out', out],
    stderr: 'pipe',
  });
  const c = new Client({ name: 'test-agent', version: '1' });
  await c.connect(transport);
  assert.ok((await c.listTools()).tools.some((t) => t.name === 'open_nodes'));
  await c.callTool({ name: 'create_entities', arguments: ada });
  assert.match(text(await c.callTool({ name: 'open_nodes', arguments: { names: ['Ada'] } })), /"name":"Ada"/);
  await c.close();
  for (let i = 0; i < 200 && !existsSync(join(out, 'summary.json')); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(existsSync(join(out, 'summary.json')), 'the run folder is finished when the client goes away');
  assert.is(records(out).length, 2);
});

test('real:mcp over Streamable HTTP: a url target talks to a served suite, one MCP session per dataset session', async () => {
  const out = join(tmp, 'via-url');
  const s = await serveHttp({ backend: 'real', out });
  try {
    const { createTarget } = await import('../harness/targets/registry.js');
    await import('../harness/targets/builtin.js');
    const t = await createTarget(
      { name: 'remote', kind: 'real:mcp', concurrency: 1, options: { url: s.url } },
      { suite: { file: join(tmp, 'suite.yaml') } as any, env: {} },
    );
    assert.match(t.backend, /^real:mcp gtm-bench mcp-memory-sessions@/);
    const call = (tool: string, args: Record<string, unknown>, step: number) =>
      t.call({
        tool: { name: tool } as any,
        call: { id: `c${step}`, tool, arguments: args, source: { dataset: 'd', line: 1 } },
        repeat: 0,
        seed: 1,
        session: { key: 'S', step, length: 2, history: [] },
      });
    await call('create_entities', ada, 0);
    const found = await call('search_nodes', { query: 'Ada' }, 1);
    assert.match(JSON.parse(found.raw!).content[0].text, /"name":"Ada"/, 'the same MCP session on the served side');
    await t.close?.();
  } finally {
    await s.stop();
  }
});

test('hybrid by time: gtm before --switch-at seconds, real from then on', async () => {
  const { ServeBackend } = await import('../harness/mcp/serve/serve-backend.js');
  let now = 0;
  const target = (name: string) => ({
    name,
    kind: 'x',
    backend: name,
    describe: () => ({}),
    call: async () => ({ raw: '{"ok":true}', request: {}, latency_ms: 1, retries: 0, error: null }),
  });
  const written: RunRecord[] = [];
  const b = new ServeBackend({
    backend: 'hybrid',
    gtm: target('gtm'),
    real: target('real'),
    switch: { afterSeconds: 10 },
    scoreItem: async () => ({ parsed: undefined, scores: [] }),
    sink: { write: (r: RunRecord) => written.push(r), close: () => {} } as any,
    seed: 1,
    now: () => now,
  });
  const tool = { name: 'read_graph', description: '', parameters: { type: 'object' }, response_schema: {}, invariants: [], semantic: {} };
  await b.call('s', tool, {});
  now = 9999;
  await b.call('s', tool, {});
  now = 10001;
  await b.call('s', tool, {});
  assert.equal(
    written.map((r) => r.target),
    ['gtm', 'gtm', 'real'],
  );
});

test('bad flags: hybrid without a switch, a backend the suite cannot serve', async () => {
  const r = await inProcess(() => serveMcpCommand(SUITE, { backend: 'hybrid', http: true }));
  assert.is(r.code, 2);
  assert.match(r.stderr, /--switch-after N/);
  const g = await inProcess(() => serveMcpCommand(SUITE, { backend: 'gtm', http: true, env: {} }));
  assert.is(g.code, 2);
  assert.match(g.stderr, /not configured/);
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
