/**
 * A loopback server that answers completions with bodies no well-behaved server sends: far larger than any
 * cap (produced as they are written, never held in memory), not JSON, not UTF-8. For tests and benchmarks
 * of issue 17's caps only (127.0.0.1). The vLLM stand-in beside it answers strings, so it cannot stream a
 * 200 MB body it does not hold or send bytes that are not UTF-8; this one writes raw bytes.
 *
 * As a program (a benchmark's server, in its own process so the client's memory is measured alone):
 *   node --import tsx dev/stand-ins/hostile-server.ts --huge BYTES [--port P]
 * prints `listening http://127.0.0.1:P` and answers every completion with a BYTES-long JSON answer.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the server answers one completion request, given its body. */
export type HostileHandler = (res: ServerResponse, body: string) => void | Promise<void>;

export interface HostileServer {
  url: string;
  /** Completion requests received. */
  requests: number;
  /** Body bytes written by huge() answers so far (to show a client stopped reading). */
  written: number;
  handler: HostileHandler;
  close(): Promise<void>;
}

/** A normal chat completion whose message content is `content`. */
export function chatAnswer(res: ServerResponse, content: string): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ id: 'c', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] }));
}

function drainOrClose(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** A 200 chat answer of about `total` bytes, written in 64 KiB pieces as the client reads them. */
export async function hugeAnswer(server: HostileServer, res: ServerResponse, total: number): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/json' });
  const chunk = Buffer.alloc(64 * 1024, 'a');
  res.write('{"id":"c","choices":[{"index":0,"message":{"role":"assistant","content":"');
  let closed = false;
  res.on('close', () => (closed = true));
  for (let sent = 0; sent < total && !closed; sent += chunk.length) {
    server.written += chunk.length;
    if (!res.write(chunk)) await drainOrClose(res);
  }
  if (!closed) res.end('"},"finish_reason":"stop"}]}');
}

export async function startHostileServer(handler: HostileHandler, port = 0): Promise<HostileServer> {
  const http: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      // GET /v1/models: the pre-flight check every run makes.
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data: [{ id: 'm', object: 'model' }] }));
        return;
      }
      server.requests++;
      void server.handler(res, body);
    });
  });
  await new Promise<void>((r) => http.listen(port, '127.0.0.1', r));
  const server: HostileServer = {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    requests: 0,
    written: 0,
    handler,
    close: async () => {
      http.closeAllConnections();
      await new Promise((r) => http.close(r));
    },
  };
  return server;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const total = Number(arg('--huge') ?? 200 * 1024 * 1024);
  const s = await startHostileServer((res) => hugeAnswer(s, res, total), Number(arg('--port') ?? 0));
  console.log(`listening ${s.url}`);
}
