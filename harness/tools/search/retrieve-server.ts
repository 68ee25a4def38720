/**
 * Serves a Searcher (the embedded BM25 index) over Search-R1's retrieval protocol (retrieve-protocol.ts), so
 * an RL trainer written against Search-R1's retrieval_server.py can train on gtm-bench's real retriever:
 *   POST /retrieve   batch retrieval; a missing, null or 0 topk means the server's default, and topk has no
 *                    upper bound unless `max_topk` is set, as in Search-R1
 *   GET  /health     200 once the index is open
 * Bad requests get FastAPI's error shape (`{"detail": "..."}`, status 422) so clients built for the Python
 * server report them the same way.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readRetrieveRequest, toRetrieveResponse } from './retrieve-protocol.js';
import type { SearchHit } from './bm25-index.js';

export interface RetrieveServerOptions {
  search: (query: string, k: number) => SearchHit[];
  /** topk when a request gives none (Search-R1's --topk, default 3). */
  default_topk: number;
  /** Requests asking for more documents per query are refused with 422 (default: no cap). */
  max_topk?: number;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Largest request body accepted (default 8 MiB); more is answered 413. */
  max_body_bytes?: number;
  /** Most queries in one request (default 4096). */
  max_queries?: number;
}

export interface RetrieveServer {
  url: string;
  port: number;
  /** Requests and queries answered so far. */
  stats(): { requests: number; queries: number };
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

async function readBody(req: IncomingMessage, max: number): Promise<string | null> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) return null;
    parts.push(chunk as Buffer);
  }
  return Buffer.concat(parts).toString('utf8');
}

export async function startRetrieveServer(opts: RetrieveServerOptions): Promise<RetrieveServer> {
  const maxBody = opts.max_body_bytes ?? 8 << 20;
  const maxQueries = opts.max_queries ?? 4096;
  let requests = 0;
  let queries = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/health') return send(res, 200, { status: 'ok' });
    if (path !== '/retrieve') return send(res, 404, { detail: 'Not Found' });
    if (req.method !== 'POST') return send(res, 405, { detail: 'Method Not Allowed' });
    const text = await readBody(req, maxBody);
    if (text === null) return send(res, 413, { detail: `request body larger than ${maxBody} bytes` });
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      return send(res, 422, { detail: `body is not JSON: ${(err as Error).message}` });
    }
    const { request, error } = readRetrieveRequest(body, opts.max_topk);
    if (!request) return send(res, 422, { detail: error });
    if (request.queries.length > maxQueries) return send(res, 422, { detail: `queries: at most ${maxQueries} per request` });
    const k = request.topk || opts.default_topk;
    const results = request.queries.map((q) => opts.search(q, k));
    requests++;
    queries += request.queries.length;
    send(res, 200, toRetrieveResponse(results, request.return_scores));
  }

  const server: Server = createServer({ keepAlive: true }, (req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) send(res, 500, { detail: `retrieval failed: ${(err as Error).message}` });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = opts.host && opts.host !== '0.0.0.0' ? opts.host : '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    stats: () => ({ requests, queries }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
