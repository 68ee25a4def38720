/**
 * Hosting the tool server: over stdio (one MCP session, the process's stdin/stdout; nothing else may write
 * to stdout) or over Streamable HTTP at /mcp (stateful: one SDK transport and Server per MCP session, made
 * on `initialize`, dropped when the client deletes the session or the server stops).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';

export interface Hosted {
  /** The URL of the MCP endpoint (HTTP only). */
  url?: string;
  close(): Promise<void>;
}

/** Builds the SDK Server of one MCP session (its calls learn the session id from the request). */
export type MakeServer = () => Server;

export async function hostStdio(make: MakeServer, onEnd: (sessionId: string) => Promise<void>): Promise<Hosted & { closed: Promise<void> }> {
  const server = make();
  const transport = new StdioServerTransport();
  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => (resolveClosed = r));
  server.onclose = () => resolveClosed();
  process.stdin.once('end', () => resolveClosed());
  await server.connect(transport);
  return {
    closed,
    async close() {
      await onEnd('stdio');
      await server.close();
    },
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > 16 * 1024 * 1024) throw new Error('request body over 16 MiB');
    chunks.push(c as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

export async function hostHttp(make: MakeServer, onEnd: (sessionId: string) => Promise<void>, opts: { host: string; port: number }): Promise<Hosted> {
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport; server: Server }>();
  const reply = (res: ServerResponse, status: number, message: string) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
  };
  const http: HttpServer = createServer(async (req, res) => {
    try {
      if (!req.url?.startsWith('/mcp')) return reply(res, 404, 'the MCP endpoint is /mcp');
      const id = req.headers['mcp-session-id'];
      const known = typeof id === 'string' ? sessions.get(id) : undefined;
      const body = req.method === 'POST' ? await readJson(req) : undefined;
      if (known) return await known.transport.handleRequest(req, res, body);
      if (req.method !== 'POST' || !isInitializeRequest(body))
        return reply(res, typeof id === 'string' ? 404 : 400, typeof id === 'string' ? `unknown MCP session ${id}` : 'no MCP session: initialize first');
      const server = make();
      const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (sid) => {
          sessions.set(sid, { transport, server });
        },
        onsessionclosed: async (sid) => {
          sessions.delete(sid);
          await onEnd(sid);
        },
      });
      await server.connect(transport);
      await transport.handleRequest(req, res, body);
    } catch (err) {
      if (!res.headersSent) reply(res, 400, (err as Error).message);
    }
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port, opts.host, () => resolve());
  });
  const addr = http.address() as AddressInfo;
  return {
    url: `http://${opts.host}:${addr.port}/mcp`,
    async close() {
      for (const [sid, s] of sessions) {
        await onEnd(sid);
        await s.server.close().catch(() => {});
      }
      sessions.clear();
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}
