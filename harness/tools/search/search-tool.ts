/**
 * The `search` tool as a real service would expose the embedded retriever: arguments `{query, top_k}`,
 * output `{results: [{id, title, text, score?, position?, date?}], answer_box?}` best first, and refusals for calls it cannot answer
 * (`{error: {code: 'INVALID_ARGUMENT', message}}`). Arguments are checked by hand, as the real service
 * does, not through the suite's JSON Schema: the schema is what a simulator is told, this is what happens.
 */
import type { SearchHit } from './bm25-index.js';

/** Largest top_k the tool serves (Search-R1 trains with 3; web search APIs cap near 50). */
export const MAX_TOP_K = 50;

/** One result as the tool reports it: a hit without the corpus line (its title and text are already there). */
export type SearchResult = Omit<SearchHit, 'contents'>;

/** A web search engine's direct answer shown above the results (Serper's answerBox), as the engine sent it. */
export interface AnswerBox {
  title?: string;
  answer?: string;
  snippet?: string;
  link?: string;
  date?: string;
}

export interface SearchResultValue {
  results: SearchResult[];
  answer_box?: AnswerBox;
}

/** What a searcher found: ranked hits, and the engine's direct answer when it gave one. */
export interface SearchFound {
  hits: SearchHit[];
  answer_box?: AnswerBox;
}

export interface SearchErrorValue {
  error: { code: 'INVALID_ARGUMENT'; message: string };
}

/** Anything that answers a query with ranked hits: the embedded BM25 index, an HTTP retriever, a web search. */
export interface Searcher {
  search(query: string, k: number): SearchHit[] | Promise<SearchHit[]>;
}

const invalid = (message: string): SearchErrorValue => ({ error: { code: 'INVALID_ARGUMENT', message } });

/** The argument check shared by every real search target; returns the refusal, or the checked arguments. */
export function checkSearchArgs(args: Record<string, unknown>, defaultTopK = 3): SearchErrorValue | { query: string; top_k: number } {
  const extra = Object.keys(args).filter((k) => k !== 'query' && k !== 'top_k');
  if (extra.length) return invalid(`unknown argument(s): ${extra.join(', ')}; expected query and top_k`);
  const { query, top_k = defaultTopK } = args;
  if (typeof query !== 'string' || query.trim() === '') return invalid('query must be a non-empty string');
  if (typeof top_k !== 'number' || !Number.isInteger(top_k) || top_k < 1 || top_k > MAX_TOP_K) {
    return invalid(`top_k must be an integer from 1 to ${MAX_TOP_K}`);
  }
  return { query, top_k };
}

/** Scores are rounded to 4 decimals: enough to order results, and stable across SQLite builds' last digits. */
const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** The tool's output: only the fields the source gave (no score is invented for a web result). */
export function formatSearchResults(hits: readonly SearchHit[], topK: number, answerBox?: AnswerBox): SearchResultValue {
  const results = hits.slice(0, topK).map((h): SearchResult => ({
    id: h.id,
    title: h.title,
    text: h.text,
    ...(h.score !== undefined ? { score: round4(h.score) } : {}),
    ...(h.position !== undefined ? { position: h.position } : {}),
    ...(h.date !== undefined ? { date: h.date } : {}),
  }));
  return answerBox ? { results, answer_box: answerBox } : { results };
}

export async function callSearchTool(searcher: Searcher, args: Record<string, unknown>, defaultTopK = 3): Promise<SearchResultValue | SearchErrorValue> {
  const checked = checkSearchArgs(args, defaultTopK);
  if ('error' in checked) return checked;
  return formatSearchResults(await searcher.search(checked.query, checked.top_k), checked.top_k);
}
