/**
 * `npm run record:sessions`: the multi-turn session suite, recorded against the official reference MCP
 * servers installed from npm, in one command:
 *   1. lists each server's tools and writes suites/tools/mcp-<server>/ (tool files + mcp-tools.lock.json),
 *      with the volatile fields marked in the tools' semantic hints;
 *   2. generates sessions from those schemas with a seeded generator (generate.ts; --seed, --count);
 *   3. runs every session on a fresh server (fresh temp root / memory file) and records each answer as the
 *      step's reference; a step the server refused is marked expect_error;
 *   4. derives session invariants that hold on the recording (invariants.ts);
 *   5. writes datasets/mcp-sessions/<server>-sessions.jsonl and provenance.json (server and SDK versions,
 *      Node, date, seed, counts, wall time).
 * Re-recording gives the same dataset bytes except the fields marked volatile (get_file_info's timestamps).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { HARNESS_ROOT, runtimeInfo } from '../../records/manifest.js';
import { importTools } from '../../mcp/import-tools.js';
import type { McpServerSpec } from '../../tools/mcp/server-spec.js';
import { openMcpSession } from '../../tools/mcp/session.js';
import { hashTools, LOCK_FILE } from '../../tools/mcp/tools-lock.js';
import { compileToolSchema } from '../../suite/schema-ajv.js';
import { generateSessions } from './generate.js';
import { recordSession } from './record-session.js';
import { filesystemProfile, memoryProfile, type Profile } from './profiles.js';

const fromHere = createRequire(import.meta.url);
const OUT = join(HARNESS_ROOT, 'datasets', 'mcp-sessions');
const TOOLS = join(HARNESS_ROOT, 'suites', 'tools');

export interface RecordedServer {
  profile: Profile;
  package: string;
  server: McpServerSpec;
  /** Per tool: fields that differ on every recording, ignored by semantic scoring. */
  volatile: Record<string, string[]>;
  count: number;
}

/** From the package's own package.json in node_modules (the SDK's exports map sends `sdk/package.json` to a stub). */
const pkgVersion = (name: string) => JSON.parse(readFileSync(join(HARNESS_ROOT, 'node_modules', name, 'package.json'), 'utf8')).version as string;

export const SERVERS: RecordedServer[] = [
  {
    profile: memoryProfile,
    package: '@modelcontextprotocol/server-memory',
    server: {
      transport: 'stdio',
      command: process.execPath,
      args: [fromHere.resolve('@modelcontextprotocol/server-memory/dist/index.js')],
      env: { MEMORY_FILE_PATH: '{state_dir}/memory.jsonl' },
    },
    volatile: {},
    count: 60,
  },
  {
    profile: filesystemProfile,
    package: '@modelcontextprotocol/server-filesystem',
    server: {
      transport: 'stdio',
      command: process.execPath,
      args: [fromHere.resolve('@modelcontextprotocol/server-filesystem/dist/index.js'), '{state_dir}'],
      env: {},
      path_alias: '/sandbox',
    },
    volatile: { get_file_info: ['content'] },
    count: 60,
  },
];

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function recordServer(rec: RecordedServer, seed: number, count: number) {
  const started = performance.now();
  const probe = await openMcpSession(rec.server, { startupTimeoutMs: 30000 });
  const listed = await probe.listTools();
  const info = probe.server;
  await probe.close();
  const { imported, skipped } = importTools(listed);
  if (skipped.length) throw new Error(`${rec.package}: tools left out at import: ${skipped.map((s) => `${s.name} (${s.reason})`).join('; ')}`);
  const toolDir = join(TOOLS, `mcp-${rec.profile.name}`);
  rmSync(toolDir, { recursive: true, force: true });
  mkdirSync(toolDir, { recursive: true });
  const { whole, each } = hashTools(listed);
  for (const t of imported) {
    const ignore = rec.volatile[t.name];
    if (ignore) t.file.semantic = { ignore };
    const header = `# Imported from ${info.name} ${info.version} (${rec.package} ${pkgVersion(rec.package)}) by npm run record:sessions; tools/list sha256 ${whole}\n${ignore ? `# semantic.ignore: ${ignore.join(', ')} differ on every recording (timestamps)\n` : ''}`;
    writeFileSync(join(toolDir, `${t.name}.yaml`), header + stringify(t.file, { lineWidth: 0 }));
  }
  writeFileSync(
    join(toolDir, LOCK_FILE),
    JSON.stringify(
      { server: info, source: { package: rec.package, version: pkgVersion(rec.package) }, tools_list_sha256: whole, tools: each, skipped },
      null,
      2,
    ) + '\n',
  );

  const parameters = new Map(imported.map((t) => [t.name, t.file.parameters as Record<string, unknown>]));
  const validators = new Map(imported.map((t) => [t.name, compileToolSchema(t.file.parameters)]));
  const sessions = generateSessions(rec.profile, parameters, { seed, count });
  const rows: string[] = [];
  let calls = 0,
    refused = 0,
    broken = 0,
    invariants = 0;
  for (const s of sessions) {
    const r = await recordSession(rec.server, rec.profile.name, s, validators, [rec.profile.name]);
    rows.push(JSON.stringify(r.row));
    calls += r.calls;
    refused += r.refused;
    broken += r.broken;
    invariants += r.invariants;
  }
  const file = join(OUT, `${rec.profile.name}-sessions.jsonl`);
  writeFileSync(file, rows.join('\n') + '\n');
  return {
    server: info,
    package: rec.package,
    package_version: pkgVersion(rec.package),
    tools_list_sha256: whole,
    sessions: sessions.length,
    calls,
    refused,
    broken_on_purpose: broken,
    invariants,
    volatile_fields: rec.volatile,
    wall_s: Math.round((performance.now() - started) / 100) / 10,
  };
}

async function main() {
  const seed = Number(flag('--seed') ?? 15);
  const only = flag('--count');
  mkdirSync(OUT, { recursive: true });
  const started = performance.now();
  const servers = [];
  for (const rec of SERVERS) {
    const r = await recordServer(rec, seed, only ? Number(only) : rec.count);
    process.stdout.write(
      `${r.server.name} ${r.server.version}: ${r.sessions} sessions, ${r.calls} calls (${r.refused} refused, ${r.broken_on_purpose} broken on purpose), ${r.invariants} session invariants, ${r.wall_s} s\n`,
    );
    servers.push(r);
  }
  const provenance = {
    recorded_at: new Date().toISOString(),
    seed,
    generator: 'harness/datasets/mcp-sessions/generate.ts',
    sdk: { package: '@modelcontextprotocol/sdk', version: pkgVersion('@modelcontextprotocol/sdk') },
    runtime: runtimeInfo(),
    servers,
    wall_s: Math.round((performance.now() - started) / 100) / 10,
    note: 'recorded_at, runtime and wall_s differ on every recording; the datasets differ only in the fields the tool files mark semantic.ignore',
  };
  writeFileSync(join(OUT, 'provenance.json'), JSON.stringify(provenance, null, 2) + '\n');
  process.stdout.write(`recorded in ${provenance.wall_s} s; ${OUT}\n`);
}

await main();
