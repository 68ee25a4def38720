/**
 * The web search APIs `real:web-search` speaks, selected by `provider:` (each a request builder and a reader):
 *   jina    GET {url}?q=QUERY&num=K, `Authorization: Bearer KEY`, answered `{data: [{title, url, description,
 *           content?, date?}]}` (s.jina.ai)
 *   serper  POST {url} `{q, num, gl?, hl?}`, `X-API-KEY: KEY`, answered `{searchParameters, organic: [{title, link,
 *           snippet, position, date?, sitelinks?, attributes?}], answerBox?, knowledgeGraph?, peopleAlsoAsk?,
 *           relatedSearches?}` (google.serper.dev/search)
 * Results keep what the engine sent: its position (Jina sends none; its order is the position), its date, and
 * Serper's answer box; no score is invented. knowledgeGraph, peopleAlsoAsk and relatedSearches are checked for
 * shape and otherwise not part of the search tool's answer.
 */
import type { SearchHit } from './bm25-index.js';
import type { AnswerBox, SearchFound } from './search-tool.js';

export type WebSearchProviderName = 'jina' | 'serper';

export interface WebSearchRequest {
  method: 'GET' | 'POST';
  /** Path and query string, appended to the configured URL's path. */
  path: string;
  body?: unknown;
  headers: Record<string, string>;
}

export interface WebSearchProvider {
  name: WebSearchProviderName;
  default_url: string;
  default_key_env: string;
  /** Where a key is obtained, for the "not configured" message. */
  key_hint: string;
  request(opts: { path: string; key: string; query: string; k: number; gl?: string; hl?: string }): WebSearchRequest;
  read(body: unknown): SearchFound;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

const jina: WebSearchProvider = {
  name: 'jina',
  default_url: 'https://s.jina.ai/',
  default_key_env: 'JINA_API_KEY',
  key_hint: 'a Jina key: https://jina.ai/',
  request: ({ path, key, query, k }) => ({
    method: 'GET',
    path: `${path}?${new URLSearchParams({ q: query, num: String(k) })}`,
    headers: { authorization: `Bearer ${key}`, 'x-respond-with': 'no-content' },
  }),
  read: (body) => ({ hits: readJinaResults(body) }),
};

const serper: WebSearchProvider = {
  name: 'serper',
  default_url: 'https://google.serper.dev/search',
  default_key_env: 'SERPER_API_KEY',
  key_hint: 'a Serper key: https://serper.dev/',
  request: ({ path, key, query, k, gl, hl }) => ({
    method: 'POST',
    path,
    body: { q: query, num: k, ...(gl ? { gl } : {}), ...(hl ? { hl } : {}) },
    headers: { 'x-api-key': key },
  }),
  read: readSerperResults,
};

export const WEB_SEARCH_PROVIDERS: Record<WebSearchProviderName, WebSearchProvider> = { jina, serper };

/** Reads `{data: [{title, url, description, content?, date?}]}` into hits, positioned by their order. */
export function readJinaResults(body: unknown): SearchHit[] {
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) throw new Error('expected {"data": [{title, url, description}, ...]}');
  return data.map((d, i) => {
    if (!isObject(d)) throw new Error(`data[${i}]: expected an object`);
    if (typeof d.url !== 'string' || !d.url) throw new Error(`data[${i}].url: expected a string`);
    const text = str(d.content) || str(d.description) || '';
    return { id: d.url, title: str(d.title) ?? '', text, position: i + 1, ...(str(d.date) ? { date: d.date as string } : {}) };
  });
}

/** Reads a Serper /search body: organic results (possibly none) and the answer box when there is one. */
export function readSerperResults(body: unknown): SearchFound {
  if (!isObject(body)) throw new Error('expected a JSON object {organic: [...], answerBox?, ...}');
  const organic = body.organic ?? [];
  if (!Array.isArray(organic)) throw new Error('organic: expected a list of results');
  for (const key of ['peopleAlsoAsk', 'relatedSearches'] as const) {
    if (body[key] !== undefined && !Array.isArray(body[key])) throw new Error(`${key}: expected a list`);
  }
  if (body.knowledgeGraph !== undefined && !isObject(body.knowledgeGraph)) throw new Error('knowledgeGraph: expected an object');
  const hits = organic.map((o, i): SearchHit => {
    if (!isObject(o)) throw new Error(`organic[${i}]: expected an object`);
    if (typeof o.link !== 'string' || !o.link) throw new Error(`organic[${i}].link: expected a string`);
    if (o.position !== undefined && !(Number.isInteger(o.position) && (o.position as number) >= 1))
      throw new Error(`organic[${i}].position: expected a whole number from 1`);
    return {
      id: o.link,
      title: str(o.title) ?? '',
      text: str(o.snippet) ?? '',
      position: (o.position as number | undefined) ?? i + 1,
      ...(str(o.date) ? { date: o.date as string } : {}),
    };
  });
  if (body.answerBox === undefined) return { hits };
  if (!isObject(body.answerBox)) throw new Error('answerBox: expected an object');
  const box: AnswerBox = {};
  for (const f of ['title', 'answer', 'snippet', 'link', 'date'] as const) {
    const v = str(body.answerBox[f]);
    if (v !== undefined) box[f] = v;
  }
  return { hits, answer_box: box };
}
