/**
 * One GET with a deadline, on a connection of its own that is closed afterwards: for the few control-plane
 * requests gtm-bench makes to a model server (/health, /v1/models, /version, /metrics). They must never
 * share, or hold open, the pooled connections that carry the calls being measured.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { DEFAULT_RESPONSE_BYTES } from './capped-body.js';

export interface GetResult {
  status: number;
  body: string;
  /** The Content-Type the server sent ('' when none). */
  contentType: string;
}

/** @param headers extra request headers (the pre-flight check sends the bearer key a server may require). */
export function httpGet(url: string, timeoutMs: number, headers: Record<string, string> = {}): Promise<GetResult> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(u, { method: 'GET', agent: false, headers: { ...headers, connection: 'close' } }, (res) => {
      const parts: Buffer[] = [];
      let bytes = 0;
      res.on('data', (c: Buffer) => {
        parts.push(c);
        // A control-plane answer is small; a server that sends more is refused rather than buffered.
        if ((bytes += c.length) > DEFAULT_RESPONSE_BYTES) req.destroy(new Error(`answer larger than ${DEFAULT_RESPONSE_BYTES} bytes; not read further`));
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8'), contentType: String(res.headers['content-type'] ?? '') });
      });
      res.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.end();
  });
}

/** `http://host:port/v1` -> `http://host:port`: vLLM serves /health, /metrics and /version beside /v1, not under it. */
export function serverOrigin(baseUrl: string): string {
  const u = new URL(baseUrl);
  const path = u.pathname.replace(/\/+$/, '').replace(/\/v1$/, '');
  return `${u.protocol}//${u.host}${path}`;
}
