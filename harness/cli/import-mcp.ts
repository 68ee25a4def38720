/**
 * `gtm-bench import mcp --out DIR -- COMMAND ARGS...` (or `--url URL`): lists the server's tools and
 * writes one tool file per tool into DIR, plus mcp-tools.lock.json (server name and version, tools/list
 * hash) that a real:mcp target's `tools_lock` option checks at run time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { importTools } from '../mcp/import-tools.js';
import { describeServer, type McpServerSpec } from '../tools/mcp/server-spec.js';
import { McpSessionError, openMcpSession } from '../tools/mcp/session.js';
import { hashTools, LOCK_FILE, type ToolsLock } from '../tools/mcp/tools-lock.js';
import { UserError } from '../util/errors.js';

export interface ImportMcpOptions {
  out: string;
  url?: string;
  pathAlias?: string;
  env?: string[];
  startupTimeout?: number;
}

function envPairs(list: string[] = []): Record<string, string> {
  return Object.fromEntries(
    list.map((pair) => {
      const i = pair.indexOf('=');
      if (i < 1) throw new UserError(`--env ${pair}: expected NAME=VALUE`);
      return [pair.slice(0, i), pair.slice(i + 1)];
    }),
  );
}

export async function importMcpCommand(command: string[], opts: ImportMcpOptions): Promise<void> {
  if (!!opts.url === command.length > 0) throw new UserError('import mcp: give the server either as -- COMMAND ARGS... or as --url URL');
  const alias = opts.pathAlias ? { path_alias: opts.pathAlias } : {};
  const server: McpServerSpec = opts.url
    ? { transport: 'http', url: opts.url, headers: {}, ...alias }
    : { transport: 'stdio', command: command[0], args: command.slice(1), env: envPairs(opts.env), ...alias };
  let listed;
  try {
    const session = await openMcpSession(server, { startupTimeoutMs: (opts.startupTimeout ?? 30) * 1000 });
    try {
      listed = { server: session.server, tools: await session.listTools() };
    } finally {
      await session.close();
    }
  } catch (err) {
    if (err instanceof McpSessionError) throw new UserError(`import mcp: ${err.message}`);
    throw err;
  }
  const { imported, skipped } = importTools(listed.tools);
  for (const s of skipped) process.stderr.write(`gtm-bench: import mcp: tool ${s.name} left out: ${s.reason}\n`);
  if (!imported.length) throw new UserError(`import mcp: no usable tools (${listed.tools.length} listed, ${skipped.length} left out)`);
  mkdirSync(opts.out, { recursive: true });
  const { whole, each } = hashTools(listed.tools);
  const header = `# Imported by gtm-bench import mcp from ${listed.server.name} ${listed.server.version}; tools/list sha256 ${whole}\n`;
  for (const t of imported) writeFileSync(join(opts.out, `${t.name}.yaml`), header + stringify(t.file, { lineWidth: 0 }));
  const lock: ToolsLock = {
    server: listed.server,
    source: describeServer(server),
    imported_at: new Date().toISOString(),
    tools_list_sha256: whole,
    tools: each,
    skipped,
  };
  writeFileSync(join(opts.out, LOCK_FILE), JSON.stringify(lock, null, 2) + '\n');
  process.stdout.write(
    `${imported.length} tool file(s) from ${listed.server.name} ${listed.server.version} in ${opts.out} (${skipped.length} left out); ${LOCK_FILE} records tools/list sha256 ${whole.slice(0, 12)}\n`,
  );
}
