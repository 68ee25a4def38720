/**
 * `real:mcp`: a real MCP server as the tool. Every session (and every single call outside a session) gets a
 * connection of its own with fresh state (see tools/mcp/server-spec.ts), closed with its whole process group at
 * the end of the session. A server that does not start, dies or hangs fails that call with its last stderr
 * lines; the run goes on. With `tools_lock`, the live tools/list is compared with the import's hash at
 * start-up and a mismatch is written into the manifest and printed.
 */
import { dirname } from 'node:path';
import type { TargetSpec } from '../suite/types.js';
import type { McpServerSpec } from '../tools/mcp/server-spec.js';
import { describeServer } from '../tools/mcp/server-spec.js';
import { McpSessionError, openMcpSession, type McpSession } from '../tools/mcp/session.js';
import { toolOutput } from '../tools/mcp/tool-result.js';
import { lockMismatch, readToolsLock } from '../tools/mcp/tools-lock.js';
import type { TargetFactoryContext } from './registry.js';
import { MCP_OPTIONS } from './real-mcp-options.js';
import { TargetOptions } from './target-options.js';
import type { CallContext, Observation, Target } from './types.js';

function stringList(o: TargetOptions, raw: unknown, name: string): string[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || !raw.every((a) => typeof a === 'string')) o.fail(name, `expected a list of strings, found ${JSON.stringify(raw)}`);
  return raw as string[];
}

function stringMap(o: TargetOptions, raw: unknown, name: string): Record<string, string> {
  if (raw === undefined) return {};
  const ok = raw && typeof raw === 'object' && !Array.isArray(raw) && Object.values(raw).every((v) => typeof v === 'string');
  if (!ok) o.fail(name, `expected a mapping of names to strings, found ${JSON.stringify(raw)}`);
  return raw as Record<string, string>;
}

/** Reads the server part of a real:mcp entry (also used by serve-mcp's real backend). */
export function mcpServerFromOptions(o: TargetOptions, raw: Record<string, unknown>): McpServerSpec {
  const alias = o.optionalString('path_alias');
  if (raw.url !== undefined) {
    if (raw.command !== undefined) o.fail('url', 'give either command (a stdio server) or url (Streamable HTTP), not both');
    return { transport: 'http', url: o.url('url'), headers: stringMap(o, raw.headers, 'headers'), ...(alias ? { path_alias: alias } : {}) };
  }
  if (raw.command === undefined) o.fail('command', 'expected the command that starts a stdio server, or url for a Streamable HTTP one');
  return {
    transport: 'stdio',
    command: o.string('command'),
    args: stringList(o, raw.args, 'args'),
    env: stringMap(o, raw.env, 'env'),
    ...(raw.cwd !== undefined ? { cwd: o.string('cwd') } : {}),
    ...(alias ? { path_alias: alias } : {}),
  };
}

/**
 * A session row's `setup`: calls run before step 0 and not scored (e.g. files the session starts with).
 * A setup call the server refuses fails the session: its steps would be scored against the wrong state.
 */
async function runSetup(s: McpSession, setup: unknown, timeoutMs: number): Promise<McpSession> {
  if (setup === undefined) return s;
  const calls = Array.isArray(setup) ? setup : [setup];
  for (const [i, call] of calls.entries()) {
    const { tool, arguments: args } = (call ?? {}) as { tool?: unknown; arguments?: unknown };
    if (typeof tool !== 'string' || !args || typeof args !== 'object') {
      await s.close();
      throw new McpSessionError(`setup[${i}]: expected {tool, arguments}, found ${JSON.stringify(call)}`, []);
    }
    const r = await s.call(tool, args as Record<string, unknown>, timeoutMs).catch(async (err) => {
      await s.close();
      throw err;
    });
    if (r.isError) {
      await s.close();
      throw new McpSessionError(`setup[${i}] ${tool} was refused: ${JSON.stringify(toolOutput(r))}`, s.stderrTail());
    }
  }
  return s;
}

export async function createMcpTarget(spec: TargetSpec, ctx: TargetFactoryContext): Promise<Target> {
  const o = new TargetOptions(spec, ctx.suite.file, MCP_OPTIONS);
  const raw = (spec as { options?: Record<string, unknown> }).options ?? {};
  const parsed = mcpServerFromOptions(o, raw);
  // Relative paths in args name files next to the suite, as every other path in a suite does.
  const server: McpServerSpec = parsed.transport === 'stdio' && parsed.cwd === undefined ? { ...parsed, cwd: dirname(ctx.suite.file) } : parsed;
  const timeoutMs = o.int('timeout_ms', 30000, 1);
  const startupTimeoutMs = o.int('startup_timeout_ms', 30000, 1);
  const lockFile = o.optionalPath('tools_lock');

  // One probe session at start-up: the server's name and version for the backend, and the lock check.
  let serverInfo = { name: 'unknown', version: 'unknown' };
  let unavailable: string | undefined;
  let mismatch: string[] = [];
  try {
    const probe = await openMcpSession(server, { startupTimeoutMs });
    try {
      serverInfo = probe.server;
      if (lockFile) {
        mismatch = lockMismatch(readToolsLock(lockFile), await probe.listTools(), probe.server);
        if (mismatch.length) process.stderr.write(`gtm-bench: target ${spec.name}: tools/list differs from ${lockFile}: ${mismatch.join('; ')}\n`);
      }
    } finally {
      await probe.close();
    }
  } catch (err) {
    if (!(err instanceof McpSessionError)) throw err;
    unavailable = err.message;
  }
  const backend = `real:mcp ${serverInfo.name}@${serverInfo.version}`;
  const live = new Map<string, Promise<McpSession>>();
  /** Sessions whose server failed: their later steps fail too instead of running on a state that is gone. */
  const broken = new Map<string, string>();
  const open = () => openMcpSession(server, { startupTimeoutMs });
  const end = async (key: string) => {
    const s = live.get(key);
    live.delete(key);
    await s?.then(
      (x) => x.close(),
      () => {},
    );
  };

  return {
    name: spec.name,
    kind: spec.kind,
    backend,
    ...(unavailable ? { unavailable } : {}),
    describe: () => ({
      server: describeServer(server),
      server_info: serverInfo,
      timeout_ms: timeoutMs,
      ...(lockFile ? { tools_lock: lockFile, tools_lock_mismatch: mismatch } : {}),
    }),
    async call(c: CallContext): Promise<Observation> {
      const request = { tool: c.tool.name, arguments: c.call.arguments };
      const start = performance.now();
      const key = c.session?.key;
      // Step 0 always starts from fresh state, even if an earlier try of this session left one behind.
      if (key && c.session!.step === 0) {
        // Synchronously forgotten (the old one closes in the background), so calls of one turn that run
        // side by side (an agent's parallel tool calls) share the new session instead of racing to open two.
        const old = live.get(key);
        live.delete(key);
        broken.delete(key);
        void old?.then(
          (x) => x.close(),
          () => {},
        );
      }
      const lost = key ? broken.get(key) : undefined;
      if (lost) {
        if (c.session!.step === c.session!.length - 1) broken.delete(key!);
        return { raw: null, request, latency_ms: 0, retries: 0, error: { class: 'tool_failure', message: `session state lost earlier: ${lost}` } };
      }
      let session: Promise<McpSession>;
      if (key) {
        session = live.get(key) ?? open().then(async (s) => (c.session!.step === 0 ? runSetup(s, c.session!.setup, timeoutMs) : s));
        live.set(key, session);
      } else session = open();
      try {
        const s = await session;
        // Latency is the tool call's own: starting the server (a session's first step) is not the tool's answer time.
        const called = performance.now();
        const result = await s.call(c.tool.name, c.call.arguments, timeoutMs);
        return { raw: JSON.stringify(toolOutput(result)), request, latency_ms: performance.now() - called, retries: 0, error: null };
      } catch (err) {
        // The session's state is unknown after a transport failure: later steps start over and fail visibly.
        const message = (err as Error)?.message ?? String(err);
        if (key) {
          await end(key);
          if (c.session!.step < c.session!.length - 1) broken.set(key, `step ${c.session!.step}: ${message.split('\n')[0]}`);
        }
        return { raw: null, request, latency_ms: performance.now() - start, retries: 0, error: { class: 'tool_failure', message } };
      } finally {
        if (!key)
          await session.then(
            (s) => s.close(),
            () => {},
          );
        else if (c.session!.step === c.session!.length - 1) await end(key);
      }
    },
    endSession: end,
    async close() {
      await Promise.all([...live.keys()].map(end));
    },
  };
}
