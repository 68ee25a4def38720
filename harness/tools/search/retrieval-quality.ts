/**
 * How well a retriever finds the gold documents of a QA set: recall@k of the gold document for single-hop
 * questions; for two-hop questions, with the question itself as the query, recall@k of any gold document
 * and of all of them, and with each hop's oracle query (the question an agent would ask at that hop), the
 * recall@k of that hop's document. Also answer recall@k: a golden answer appears in one of the top k documents
 * (substring match on SQuAD-normalised text, as Search-R1 and FlashRAG count it; each document on its own, so an
 * answer never matches across two of them).
 */
import { containsAnswer } from '../../scoring/squad-answer.js';
import type { SearchHit } from './bm25-index.js';

export interface QaForRecall {
  question: string;
  golden_answers: string[];
  metadata: { type: string; gold_docs: string[]; hops: { query: string; doc: string }[] };
}

export type RecallTable = Record<string, { n: number; at: Record<number, number> }>;

export function retrievalRecall(rows: readonly QaForRecall[], search: (q: string, k: number) => SearchHit[], ks: readonly number[] = [1, 5]): RecallTable {
  const maxK = Math.max(...ks);
  const table: RecallTable = {};
  const add = (name: string, hitAt: (k: number) => boolean) => {
    const e = (table[name] ??= { n: 0, at: Object.fromEntries(ks.map((k) => [k, 0])) });
    e.n++;
    for (const k of ks) if (hitAt(k)) e.at[k]++;
  };
  for (const row of rows) {
    const hits = search(row.question, maxK);
    const rank = (doc: string, list: SearchHit[] = hits) => list.findIndex((h) => h.id === doc);
    const within = (doc: string, k: number, list?: SearchHit[]) => {
      const r = rank(doc, list);
      return r !== -1 && r < k;
    };
    const gold = row.metadata.gold_docs;
    const type = row.metadata.type;
    add(`${type}: answer in top k (substring)`, (k) => hits.slice(0, k).some((h) => containsAnswer(`${h.title}\n${h.text}`, row.golden_answers, 'substring')));
    if (type === 'single-hop') {
      add('single-hop: gold doc', (k) => gold.some((d) => within(d, k)));
    } else {
      add('two-hop: any gold doc (question as query)', (k) => gold.some((d) => within(d, k)));
      add('two-hop: all gold docs (question as query)', (k) => gold.every((d) => within(d, k)));
      row.metadata.hops.forEach((hop, i) => {
        const hopHits = search(hop.query, maxK);
        add(`two-hop: hop ${i + 1} doc (oracle hop query)`, (k) => within(hop.doc, k, hopHits));
      });
    }
  }
  for (const e of Object.values(table)) for (const k of ks) e.at[k] = e.at[k] / e.n;
  return table;
}
