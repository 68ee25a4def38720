/**
 * One connection to an MCP server with its own fresh state: the SDK client, over a stdio child in a process
 * group of its own (group-stdio-transport.ts) or over Streamable HTTP. Failures carry the server's last
 * stderr lines, so a record says why a server did not start, died or hung.
 */
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { GroupStdioTransport } from './group-stdio-transport.js';
import { mapStrings, needsStateDir, withStateDir, type McpServerSpec } from './server-spec.js';
import type { McpCallResult } from './tool-result.js';

export const HARNESS_CLIENT = { name: 'gtm-bench', version: '0.1.0' };

export class McpSessionError extends Error {
  constructor(
    message: string,
    readonly stderr: string[],
  ) {
    super(stderr.length ? `${message}; server stderr (last lines):\n${stderr.join('\n')}` : message);
  }
}

export interface McpSession {
  readonly server: { name: string; version: string };
  readonly pid?: number;
  /** The fresh state folder of this session, when the server uses one. */
  readonly stateDir?: string;
  listTools(): Promise<Tool[]>;
  /** Calls a tool; arguments and the answer go through the path alias. Throws McpSessionError on transport failure. */
  call(name: string, args: Record<string, unknown>, timeoutMs: number): Promise<McpCallResult>;
  stderrTail(): string[];
  close(): Promise<void>;
}

export interface OpenOptions {
  startupTimeoutMs: number;
  signal?: AbortSignal;
}

export async function openMcpSession(spec: McpServerSpec, opts: OpenOptions): Promise<McpSession> {
  // realpath: servers resolve their roots (filesystem does), so the alias must map the resolved path.
  const stateDir = needsStateDir(spec) ? realpathSync(mkdtempSync(join(tmpdir(), 'gtm-mcp-'))) : undefined;
  const stdio = spec.transport === 'stdio' ? new GroupStdioTransport(withStateDir(spec, stateDir ?? '')) : undefined;
  const transport =
    stdio ??
    new StreamableHTTPClientTransport(new URL((spec as { url: string }).url), {
      requestInit: { headers: (spec as { headers: Record<string, string> }).headers },
    });
  const client = new Client(HARNESS_CLIENT);
  const tail = () => stdio?.stderrTail() ?? [];
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await client.close().catch(() => {});
    await stdio?.close();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  };
  const fail = async (what: string, err: unknown): Promise<never> => {
    const message = `${what}: ${(err as Error)?.message ?? String(err)}`;
    await close();
    throw new McpSessionError(message, tail());
  };
  try {
    await client.connect(transport, { timeout: opts.startupTimeoutMs, signal: opts.signal });
  } catch (err) {
    await fail(`MCP server did not start (${spec.transport === 'stdio' ? spec.command : spec.url})`, err);
  }
  const alias = spec.path_alias;
  const toServer = (v: unknown) => (alias && stateDir ? mapStrings(v, (s) => (s.startsWith(alias) ? stateDir + s.slice(alias.length) : s)) : v);
  const fromServer = (v: unknown) => (alias && stateDir ? mapStrings(v, (s) => s.split(stateDir).join(alias)) : v);
  const info = client.getServerVersion();
  return {
    server: { name: info?.name ?? 'unknown', version: info?.version ?? 'unknown' },
    pid: stdio?.pid,
    stateDir,
    async listTools() {
      const tools: Tool[] = [];
      let cursor: string | undefined;
      // Bounded: a server that pages forever is a broken server, not a big one.
      for (let page = 0; page < 1000; page++) {
        const r = await client.listTools(cursor ? { cursor } : {}, { timeout: opts.startupTimeoutMs }).catch((err) => fail('tools/list failed', err));
        tools.push(...r.tools);
        cursor = r.nextCursor;
        if (!cursor) break;
      }
      return tools;
    },
    async call(name, args, timeoutMs) {
      if (closed) throw new McpSessionError('MCP session is closed', tail());
      try {
        const r = await client.callTool({ name, arguments: toServer(args) as Record<string, unknown> }, undefined, { timeout: timeoutMs, signal: opts.signal });
        return fromServer(r) as McpCallResult;
      } catch (err) {
        const exited = stdio?.exited;
        throw new McpSessionError(`tools/call ${name} failed: ${(err as Error)?.message ?? String(err)}${exited ? ` (server ${exited})` : ''}`, tail());
      }
    },
    stderrTail: tail,
    close,
  };
}
