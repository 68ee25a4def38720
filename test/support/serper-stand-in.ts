/**
 * A loopback stand-in for a Serper-style web search API (google.serper.dev), for tests only: `POST /search` with
 * `X-API-KEY` and a JSON body `{q, num, gl?, hl?}` answers the next scripted body (recorded Serper field names:
 * searchParameters, organic[{title, link, snippet, position, date?}], answerBox, knowledgeGraph, peopleAlsoAsk,
 * relatedSearches). It is not the web and never appears in a report as a search engine.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SerperStandIn {
  url: string;
  /** Every request: method, path, the X-API-KEY header and the parsed body. */
  requests: { method: string; path: string; apiKey?: string; body: unknown }[];
  close(): Promise<void>;
}

export async function startSerperStandIn(opts: { key: string; answers: { status?: number; body: unknown }[] }): Promise<SerperStandIn> {
  const answers = [...opts.answers];
  const requests: SerperStandIn['requests'] = [];
  const send = (res: ServerResponse, status: number, value: unknown) => {
    const body = JSON.stringify(value);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of req) text += chunk;
    const apiKey = req.headers['x-api-key'] as string | undefined;
    requests.push({ method: req.method ?? '', path: req.url ?? '', apiKey, body: text ? JSON.parse(text) : undefined });
    // Serper's answer to a wrong key: 403 with a message.
    if (apiKey !== opts.key) return send(res, 403, { message: 'Unauthorized.', statusCode: 403 });
    const next = answers.shift();
    if (!next) return send(res, 500, { message: 'no scripted answer left' });
    send(res, next.status ?? 200, next.body);
  }
  const server = createServer((req, res) => void handle(req, res).catch(() => res.destroy()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/search`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
