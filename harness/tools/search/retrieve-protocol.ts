/**
 * Search-R1's retrieval protocol (search_r1/search/retrieval_server.py), which RL trainers built on it call:
 *   POST /retrieve  {"queries": [string], "topk": int?, "return_scores": bool?}
 *   -> {"result": [[{"document": {"id", "contents", ...}, "score": number}]]}   when return_scores is true
 *   -> {"result": [[{"id", "contents", ...}]]}                               when it is false (documents only)
 * One inner list per query, best first; `contents` is the corpus line's own `contents` (title line, a newline,
 * then the text), served unchanged. The BM25 variant of that server sends `{title, text, contents}` documents
 * instead of `{id, contents}`; the reader here accepts both, so a user's own e5/FAISS or BM25 server plugs in.
 *
 * topk as the reference server takes it (`topk: Optional[int] = None`, then `if not request.topk: default`):
 * missing, null and 0 mean the server's default, and there is no upper bound. A server may be given a cap
 * (`serve-retriever --max-topk`), off by default. Like pydantic's lax mode, a whole number written as a string
 * ("5") is read as that number. A negative or fractional topk is refused with 422: pydantic refuses a fraction,
 * and the reference server fails on a negative one inside the index search.
 */
import { joinContents, splitContents } from './corpus.js';
import type { SearchHit } from './bm25-index.js';

export interface RetrieveRequest {
  queries: string[];
  topk?: number;
  return_scores?: boolean;
}

export interface RetrievedDocument {
  id: string;
  contents: string;
}

export type RetrieveResponse = { result: ({ document: RetrievedDocument; score: number }[] | RetrievedDocument[])[] };

/**
 * Checks a request body; returns the reason it is not a retrieve request, or the request with `topk` 0 where
 * the server's default applies. `maxTopK` is the optional cap (undefined: none, as in the reference server).
 */
export function readRetrieveRequest(body: unknown, maxTopK?: number): { request?: Required<RetrieveRequest>; error?: string } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { error: 'expected a JSON object {queries, topk, return_scores}' };
  const b = body as Record<string, unknown>;
  if (!Array.isArray(b.queries) || !b.queries.every((q) => typeof q === 'string')) return { error: 'queries: expected a list of strings' };
  const topk = typeof b.topk === 'string' && /^[+-]?\d+$/.test(b.topk) ? Number(b.topk) : (b.topk ?? 0);
  if (typeof topk !== 'number' || !Number.isInteger(topk) || topk < 0)
    return { error: `topk: expected a whole number (0 or none: the server's default), found ${JSON.stringify(b.topk)}` };
  if (maxTopK !== undefined && topk > maxTopK) return { error: `topk: at most ${maxTopK} on this server (--max-topk), found ${topk}` };
  if (b.return_scores !== undefined && typeof b.return_scores !== 'boolean') return { error: 'return_scores: expected true or false' };
  return { request: { queries: b.queries as string[], topk, return_scores: b.return_scores === true } };
}

export function toRetrieveResponse(perQuery: SearchHit[][], returnScores: boolean): RetrieveResponse {
  // The corpus line's contents when the searcher kept it (the embedded index always does).
  const doc = (h: SearchHit): RetrievedDocument => ({ id: h.id, contents: h.contents ?? joinContents(h) });
  return { result: perQuery.map((hits) => (returnScores ? hits.map((h) => ({ document: doc(h), score: h.score ?? 0 })) : hits.map(doc))) };
}

/**
 * Reads one query's results from a retrieve response, in either shape and either document style.
 * Throws an Error with what was wrong (the caller records it as a bad response).
 */
export function readRetrieveResults(body: unknown, queries: number): SearchHit[][] {
  const result = (body as { result?: unknown } | null)?.result;
  if (!Array.isArray(result)) throw new Error('expected {"result": [[...], ...]}, one list per query');
  if (result.length !== queries) throw new Error(`expected ${queries} result list(s), one per query, found ${result.length}`);
  return result.map((list, qi) => {
    if (!Array.isArray(list)) throw new Error(`result[${qi}]: expected a list of documents`);
    return list.map((entry, i) => {
      const where = `result[${qi}][${i}]`;
      const scored = entry && typeof entry === 'object' && 'document' in entry;
      const doc = (scored ? (entry as { document: unknown }).document : entry) as Record<string, unknown> | null;
      if (!doc || typeof doc !== 'object') throw new Error(`${where}: expected a document object`);
      const score = scored ? (entry as { score?: unknown }).score : undefined;
      if (score !== undefined && typeof score !== 'number') throw new Error(`${where}.score: expected a number`);
      let title: string;
      let text: string;
      if (typeof doc.contents === 'string') ({ title, text } = splitContents(doc.contents));
      else if (typeof doc.title === 'string' || typeof doc.text === 'string') {
        title = typeof doc.title === 'string' ? doc.title : '';
        text = typeof doc.text === 'string' ? doc.text : '';
      } else throw new Error(`${where}: expected a document with "contents" or "title"/"text"`);
      // Servers without ids (Search-R1's BM25 variant) get a stable stand-in id: the title.
      const id = typeof doc.id === 'string' || typeof doc.id === 'number' ? String(doc.id) : title;
      return { id, title, text, ...(typeof score === 'number' ? { score } : {}), ...(typeof doc.contents === 'string' ? { contents: doc.contents } : {}) };
    });
  });
}
