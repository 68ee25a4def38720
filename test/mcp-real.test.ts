// real:mcp and `import mcp` against the real reference servers installed from npm
// (@modelcontextprotocol/server-memory, server-filesystem), each session from fresh state, and against
// test/support/mcp-odd-server.mjs for the failures: a server that does not start, dies mid-session or hangs
// (recorded with its stderr, no process of its group left), a schema that is not JSON Schema, a tools/list
// that changed since import.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { groupAlive, processAlive } from '../harness/util/process-group.js';
import { createTarget } from '../harness/targets/registry.js';
import '../harness/targets/builtin.js';
import type { CallContext } from '../harness/targets/types.js';
import type { DatasetCall, LoadedSuite, ToolSpec } from '../harness/suite/types.js';
import { importMcpCommand } from '../harness/cli/import-mcp.js';
import { UserError } from '../harness/util/errors.js';

const fromHere = createRequire(import.meta.url);
const MEMORY_SERVER = fromHere.resolve('@modelcontextprotocol/server-memory/dist/index.js');
const FS_SERVER = fromHere.resolve('@modelcontextprotocol/server-filesystem/dist/index.js');
const ODD = join(import.meta.dirname, 'support', 'mcp-odd-server.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'gtm-mcp-real-'));
const fakeSuite = { file: join(tmp, 'suite.yaml') } as LoadedSuite;

const spec = (options: Record<string, unknown>) => ({ name: 'mcp', kind: 'real:mcp', concurrency: 4, options });
const memory = () =>
  createTarget(spec({ command: process.execPath, args: [MEMORY_SERVER], env: { MEMORY_FILE_PATH: '{state_dir}/memory.jsonl' } }), {
    suite: fakeSuite,
    env: {},
  });
let n = 0;
function ctx(tool: string, args: Record<string, unknown>, session?: { key: string; step: number; length: number }): CallContext {
  const call = { id: `c${n++}`, tool, arguments: args, source: { dataset: 'd', line: 1 } } as DatasetCall;
  return { tool: { name: tool } as ToolSpec, call, repeat: 0, seed: 1, ...(session ? { session: { ...session, history: [] } } : {}) };
}
const value = (raw: string | null) => JSON.parse(raw ?? 'null');

test('memory server: a session keeps its graph; another session starts empty; isError is an error response', async () => {
  const t = await memory();
  try {
    assert.match(t.backend, /^real:mcp memory-server@/);
    const a = { key: 'A', length: 3 };
    const created = await t.call(
      ctx('create_entities', { entities: [{ name: 'Ada', entityType: 'person', observations: ['wrote notes'] }] }, { ...a, step: 0 }),
    );
    assert.is(created.error, null);
    assert.equal(value(created.raw), { entities: [{ name: 'Ada', entityType: 'person', observations: ['wrote notes'] }] });
    const other = await t.call(ctx('search_nodes', { query: 'Ada' }, { key: 'B', step: 0, length: 1 }));
    assert.equal(value(other.raw), { entities: [], relations: [] }, "a second session does not see the first one's state");
    const found = await t.call(ctx('search_nodes', { query: 'Ada' }, { ...a, step: 1 }));
    assert.is(value(found.raw).entities[0].name, 'Ada', 'the same session sees what it created');
    const refused = await t.call(ctx('search_nodes', { query: 5 }, { ...a, step: 2 }));
    assert.is(refused.error, null, 'isError is an answer of the tool, not a transport failure');
    assert.match(value(refused.raw).error, /expected string/);
  } finally {
    await t.close?.();
  }
});

test("filesystem server: a fresh temp root per session behind a fixed path alias; never the user's files", async () => {
  // A private temp folder, so that the check below sees only this test's roots (other runs share /tmp).
  const roots = mkdtempSync(join(tmp, 'roots-'));
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = roots;
  const t = await createTarget(spec({ command: process.execPath, args: [FS_SERVER, '{state_dir}'], path_alias: '/sandbox' }), { suite: fakeSuite, env: {} });
  try {
    const s = { key: 'F', length: 3 };
    const wrote = await t.call(ctx('write_file', { path: '/sandbox/notes.txt', content: 'hello' }, { ...s, step: 0 }));
    assert.equal(value(wrote.raw), { content: 'Successfully wrote to /sandbox/notes.txt' }, 'the real root never shows');
    const read = await t.call(ctx('read_text_file', { path: '/sandbox/notes.txt' }, { ...s, step: 1 }));
    assert.equal(value(read.raw), { content: 'hello' });
    const outside = await t.call(ctx('list_directory', { path: '/etc' }, { ...s, step: 2 }));
    assert.match(value(outside.raw).error, /Access denied/);
    const fresh = await t.call(ctx('read_text_file', { path: '/sandbox/notes.txt' }));
    assert.match(value(fresh.raw).error, /ENOENT/, 'a call outside the session starts from an empty root');
  } finally {
    await t.close?.();
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
  assert.equal(readdirSync(roots), [], 'every temp root removed');
});

test("a session row's setup runs before step 0, unscored; a refused setup fails the session with the reason", async () => {
  const t = await createTarget(spec({ command: process.execPath, args: [FS_SERVER, '{state_dir}'], path_alias: '/sandbox' }), { suite: fakeSuite, env: {} });
  try {
    const setup = [{ tool: 'write_file', arguments: { path: '/sandbox/seed.txt', content: 'from setup' } }];
    const c = ctx('read_text_file', { path: '/sandbox/seed.txt' }, { key: 'S', step: 0, length: 1 });
    const read = await t.call({ ...c, session: { ...c.session!, setup } });
    assert.equal(value(read.raw), { content: 'from setup' });
    const bad = ctx('read_text_file', { path: '/sandbox/seed.txt' }, { key: 'T', step: 0, length: 1 });
    const refused = await t.call({ ...bad, session: { ...bad.session!, setup: [{ tool: 'read_text_file', arguments: { path: '/sandbox/none.txt' } }] } });
    assert.is(refused.error?.class, 'tool_failure');
    assert.match(refused.error!.message, /setup\[0\] read_text_file was refused: .*ENOENT/);
  } finally {
    await t.close?.();
  }
});

test("a server that does not start: the target is unavailable with the server's stderr", async () => {
  const t = await createTarget(spec({ command: process.execPath, args: [ODD], env: { MODE: 'no-start' }, startup_timeout_ms: 5000 }), {
    suite: fakeSuite,
    env: {},
  });
  assert.match(t.unavailable ?? '', /did not start/);
  assert.match(t.unavailable ?? '', /config file missing, giving up/);
});

function groupOf(pidFile: string): { leader: number; sleeper: number } {
  const [leader, sleeper] = readFileSync(pidFile, 'utf8').trim().split(' ').map(Number);
  return { leader, sleeper };
}

test('a server that dies mid-session: that call and the later steps fail with its stderr; no process of its group is left', async () => {
  const pidFile = join(tmp, 'die.pid');
  const t = await createTarget(spec({ command: process.execPath, args: [ODD], env: { MODE: 'die', PID_FILE: pidFile } }), { suite: fakeSuite, env: {} });
  try {
    const first = await t.call(ctx('echo', { text: 'x' }, { key: 'D', step: 0, length: 2 }));
    assert.is(first.error?.class, 'tool_failure');
    assert.match(first.error!.message, /segfault in the tool, exiting/);
    assert.match(first.error!.message, /exited with code 7/);
    const { leader, sleeper } = groupOf(pidFile);
    assert.not.ok(groupAlive(leader), 'the grandchild was killed with the group');
    assert.not.ok(processAlive(sleeper));
    const second = await t.call(ctx('echo', { text: 'y' }, { key: 'D', step: 1, length: 2 }));
    assert.match(second.error!.message, /session state lost earlier: step 0/, 'not run on a fresh state as if nothing happened');
  } finally {
    await t.close?.();
  }
});

test('a server that hangs: the call times out, the session is closed and its group killed', async () => {
  const pidFile = join(tmp, 'hang.pid');
  const t = await createTarget(spec({ command: process.execPath, args: [ODD], env: { MODE: 'hang', PID_FILE: pidFile }, timeout_ms: 300 }), {
    suite: fakeSuite,
    env: {},
  });
  try {
    const r = await t.call(ctx('echo', { text: 'x' }, { key: 'H', step: 0, length: 1 }));
    assert.is(r.error?.class, 'tool_failure');
    assert.match(r.error!.message, /timed out/i);
    const { leader, sleeper } = groupOf(pidFile);
    assert.not.ok(groupAlive(leader));
    assert.not.ok(processAlive(sleeper));
  } finally {
    await t.close?.();
  }
});

test('import mcp: tool files from tools/list with the server version and hash; a bad schema is left out; a changed list is reported at run', async () => {
  const out = join(tmp, 'imported');
  await importMcpCommand([process.execPath, ODD], { out, env: ['MODE=bad-schema'] });
  assert.ok(existsSync(join(out, 'echo.yaml')));
  assert.not.ok(existsSync(join(out, 'broken.yaml')), 'a tool whose schema is not JSON Schema is not written');
  const lock = JSON.parse(readFileSync(join(out, 'mcp-tools.lock.json'), 'utf8'));
  assert.equal(lock.server, { name: 'odd-server', version: '1.0.0' });
  assert.match(lock.skipped[0].reason, /inputSchema is not valid JSON Schema/);
  assert.match(readFileSync(join(out, 'echo.yaml'), 'utf8'), /odd-server 1\.0\.0; tools\/list sha256 [0-9a-f]{64}/);

  const lockFile = join(out, 'mcp-tools.lock.json');
  const same = await createTarget(spec({ command: process.execPath, args: [ODD], env: { MODE: 'bad-schema' }, tools_lock: lockFile }), {
    suite: fakeSuite,
    env: {},
  });
  assert.equal(same.describe().tools_lock_mismatch, []);
  const changed = await createTarget(spec({ command: process.execPath, args: [ODD], env: { MODE: 'bad-schema', VARIANT: '2' }, tools_lock: lockFile }), {
    suite: fakeSuite,
    env: {},
  });
  assert.equal(changed.describe().tools_lock_mismatch, ['tool shout is new']);
  await Promise.all([same.close?.(), changed.close?.()]);

  const refused = await importMcpCommand([process.execPath, ODD], { out: join(tmp, 'x'), env: ['MODE=no-start'] }).catch((e) => e);
  assert.instance(refused, UserError);
  assert.match(refused.message, /config file missing/);
});

test('memory server imported: the written tool files load as a suite and describe every tool', async () => {
  const out = join(tmp, 'memory-tools');
  await importMcpCommand([process.execPath, MEMORY_SERVER], { out, env: ['MEMORY_FILE_PATH={state_dir}/m.jsonl'] });
  const files = readdirSync(out)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  assert.equal(
    files,
    [
      'add_observations',
      'create_entities',
      'create_relations',
      'delete_entities',
      'delete_observations',
      'delete_relations',
      'open_nodes',
      'read_graph',
      'search_nodes',
    ].map((f) => `${f}.yaml`),
  );
  const { loadSuite } = await import('../harness/suite/load.js');
  const suiteFile = join(out, 'suite.yaml');
  writeFileSync(join(out, 'calls.jsonl'), JSON.stringify({ id: 'c1', tool: 'read_graph', arguments: {} }) + '\n');
  writeFileSync(
    suiteFile,
    [
      'version: "1"',
      'name: imported',
      'tools:',
      ...files.map((f) => `  - file: ${f}`),
      'datasets:',
      '  - {name: calls, path: calls.jsonl}',
      'targets:',
      '  - {name: ref, kind: baseline:schema-faker}',
      '',
    ].join('\n'),
  );
  const suite = await loadSuite(suiteFile, { env: {} });
  assert.is(suite.tools.length, 9);
  assert.ok((suite.tools.find((t) => t.name === 'read_graph')!.response_schema as any).properties.entities);
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
