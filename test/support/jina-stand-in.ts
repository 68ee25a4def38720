/**
 * A loopback stand-in for a Jina-style web search API (s.jina.ai), for tests only: `GET /?q=...&num=K` with a
 * bearer key answers `{code: 200, status: 20000, data: [{title, url, description, content}]}` built from a fixed
 * list of pages (those whose text contains a query word). It is not the web and never appears in a report as a
 * search engine. Scripted failures (status, Retry-After, delay) are consumed in order before normal answers.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WebPage {
  url: string;
  title: string;
  description: string;
  content?: string;
}

export interface JinaScripted {
  status?: number;
  headers?: Record<string, string>;
  delayMs?: number;
  body?: string;
}

export interface JinaStandIn {
  url: string;
  /** Every request: path with query, and the authorization header. */
  requests: { path: string; authorization?: string }[];
  close(): Promise<void>;
}

export async function startJinaStandIn(opts: { key: string; pages: WebPage[]; queue?: JinaScripted[] }): Promise<JinaStandIn> {
  const queue = [...(opts.queue ?? [])];
  const requests: JinaStandIn['requests'] = [];
  const send = (res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) => {
    const body = JSON.stringify(value);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
    res.end(body);
  };
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    requests.push({ path: url.pathname + url.search, authorization: req.headers.authorization });
    const script = queue.shift();
    if (script?.delayMs) await new Promise((r) => setTimeout(r, script.delayMs));
    if (script?.body !== undefined) {
      res.writeHead(script.status ?? 200, { 'content-type': 'application/json', ...script.headers });
      return void res.end(script.body);
    }
    if (script?.status) return send(res, script.status, { code: script.status, name: 'Error', message: 'scripted failure' }, script.headers);
    if (req.headers.authorization !== `Bearer ${opts.key}`)
      return send(res, 401, { code: 401, name: 'AuthenticationRequiredError', message: 'invalid API key' });
    const q = url.searchParams.get('q') ?? '';
    const num = Number(url.searchParams.get('num') ?? 5);
    const words = q
      .toLowerCase()
      .split(/\W+/)
      .filter((w) => w.length > 2);
    const data = opts.pages
      .filter((p) => words.some((w) => `${p.title} ${p.description} ${p.content ?? ''}`.toLowerCase().includes(w)))
      .slice(0, num)
      .map((p) => ({ ...p, usage: { tokens: 10 } }));
    send(res, 200, { code: 200, status: 20000, data });
  }
  const server = createServer((req, res) => void handle(req, res).catch(() => res.destroy()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
