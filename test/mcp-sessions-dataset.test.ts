// The recorded MCP session suite as shipped, and its generator: at least 100 sessions of 3-12 calls with
// invalid calls mixed in, provenance naming the servers; the same seed gives the same sessions; re-recording
// on the real filesystem server gives the same rows except get_file_info's timestamps (marked volatile).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parse } from 'yaml';
import { generateSessions } from '../harness/datasets/mcp-sessions/generate.js';
import { filesystemProfile, memoryProfile } from '../harness/datasets/mcp-sessions/profiles.js';
import { recordSession } from '../harness/datasets/mcp-sessions/record-session.js';
import type { McpServerSpec } from '../harness/tools/mcp/server-spec.js';
import { compileToolSchema } from '../harness/suite/schema-ajv.js';
import { loadSuite } from '../harness/suite/load.js';

const ROOT = join(import.meta.dirname, '..');
const DATA = join(ROOT, 'datasets', 'mcp-sessions');
const rows = (name: string) =>
  readFileSync(join(DATA, name), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

function toolParameters(dir: string): Map<string, Record<string, unknown>> {
  const lock = JSON.parse(readFileSync(join(ROOT, 'suites', 'tools', dir, 'mcp-tools.lock.json'), 'utf8'));
  return new Map(Object.keys(lock.tools).map((name) => [name, parse(readFileSync(join(ROOT, 'suites', 'tools', dir, `${name}.yaml`), 'utf8')).parameters]));
}

test('shipped: >= 100 sessions of 3-12 calls from two reference servers, invalid calls mixed in, with provenance', async () => {
  const all = [...rows('memory-sessions.jsonl'), ...rows('filesystem-sessions.jsonl')];
  assert.ok(all.length >= 100, `${all.length} sessions`);
  assert.ok(all.every((r) => r.session.length >= 3 && r.session.length <= 12));
  const steps = all.flatMap((r) => r.session);
  const refused = steps.filter((s) => s.expect_error).length;
  assert.ok(refused > steps.length * 0.05 && refused < steps.length * 0.5, `${refused} of ${steps.length} calls refused`);
  assert.ok(all.filter((r) => r.invariants?.length).length > all.length / 2, 'most sessions carry invariants');
  const prov = JSON.parse(readFileSync(join(DATA, 'provenance.json'), 'utf8'));
  assert.equal(
    prov.servers.map((s: { package: string }) => s.package),
    ['@modelcontextprotocol/server-memory', '@modelcontextprotocol/server-filesystem'],
  );
  assert.ok(prov.servers.every((s: { server: { version: string }; package_version: string }) => s.server.version && s.package_version));
  for (const suite of ['mcp-memory-sessions.yaml', 'mcp-filesystem-sessions.yaml']) {
    const s = await loadSuite(join(ROOT, 'suites', suite), { env: {} });
    assert.ok(
      s.calls.every((c) => c.session),
      `${suite}: every call is a session step`,
    );
  }
});

test('the generator is seeded: the same seed gives the same sessions, another seed others; earlier sessions do not depend on the count', () => {
  const params = toolParameters('mcp-memory');
  const a = generateSessions(memoryProfile, params, { seed: 3, count: 5 });
  assert.equal(generateSessions(memoryProfile, params, { seed: 3, count: 5 }), a);
  assert.equal(generateSessions(memoryProfile, params, { seed: 3, count: 2 }), a.slice(0, 2));
  assert.not.equal(generateSessions(memoryProfile, params, { seed: 4, count: 5 }), a);
  const broken = generateSessions(memoryProfile, params, { seed: 3, count: 40 })
    .flatMap((s) => s.calls)
    .filter((c) => c.broken);
  assert.ok(broken.length > 0);
  assert.ok(broken.every((c) => !compileToolSchema(params.get(c.tool)!)(c.arguments) || c.broken === 'an argument the tool does not take'));
});

test('re-recording on the real filesystem server: the same rows, except the fields marked volatile', async () => {
  const server: McpServerSpec = {
    transport: 'stdio',
    command: process.execPath,
    args: [createRequire(import.meta.url).resolve('@modelcontextprotocol/server-filesystem/dist/index.js'), '{state_dir}'],
    env: {},
    path_alias: '/sandbox',
  };
  const params = toolParameters('mcp-filesystem');
  const validators = new Map([...params].map(([n, p]) => [n, compileToolSchema(p)]));
  const volatile = parse(readFileSync(join(ROOT, 'suites', 'tools', 'mcp-filesystem', 'get_file_info.yaml'), 'utf8')).semantic;
  assert.equal(volatile, { ignore: ['content'] });
  const sessions = generateSessions(filesystemProfile, params, { seed: 15, count: 4 });
  const mask = (row: Record<string, any>) =>
    JSON.stringify({ ...row, session: row.session.map((s: any) => (s.tool === 'get_file_info' && !s.expect_error ? { ...s, reference: 'volatile' } : s)) });
  const first = [];
  const second = [];
  for (const s of sessions) first.push(mask((await recordSession(server, 'filesystem', s, validators)).row));
  for (const s of sessions) second.push(mask((await recordSession(server, 'filesystem', s, validators)).row));
  assert.equal(second, first);
  // And the shipped recording is what this code records for the same seed.
  const shipped = rows('filesystem-sessions.jsonl')
    .slice(0, 4)
    .map((r) => mask({ ...r, tags: r.tags.filter((t: string) => t !== 'filesystem') }));
  assert.equal(first, shipped);
});

test.run();
