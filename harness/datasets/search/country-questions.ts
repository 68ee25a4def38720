/**
 * Questions over the country corpus, in the NQ / HotpotQA JSONL shape Search-R1 and FlashRAG use:
 * `{id, question, golden_answers, metadata}`. metadata says the question type, the gold documents, and for
 * every hop the query an oracle would write and the document that answers it (for per-hop retrieval recall).
 *
 * Single-hop: one document answers it. Two-hop: the question names a fact of one document and asks for a
 * fact of another (the corpus keeps capitals, currencies and languages in different documents), so an agent
 * has to search twice: first for the bridge entity (a country), then for the asked fact about it.
 * Questions whose answer would be ambiguous in the data (a capital shared by two countries, a currency or
 * language used in several) are not generated.
 */
import { countryDocId, currencyDocId, languageDocId, type FactIndex } from './country-corpus.js';
import { byCodePoint, type SourceCountry } from './country-source.js';

export type QuestionType = 'single-hop' | 'two-hop';

export interface QaRow {
  id: string;
  question: string;
  golden_answers: string[];
  metadata: {
    type: QuestionType;
    template: string;
    gold_docs: string[];
    hops: { query: string; doc: string; answer: string }[];
  };
}

const uniq = (xs: string[]) => [...new Set(xs)];
const countryNames = (c: SourceCountry) => uniq([c.common, c.official]);

export function buildQuestions(countries: readonly SourceCountry[], facts: FactIndex): QaRow[] {
  const rows: QaRow[] = [];
  const capitalOwners = new Map<string, SourceCountry[]>();
  for (const c of countries) for (const cap of c.capitals) capitalOwners.set(cap, [...(capitalOwners.get(cap) ?? []), c]);
  const soleCapital = (c: SourceCountry) => (c.capitals.length === 1 && capitalOwners.get(c.capitals[0])!.length === 1 ? c.capitals[0] : undefined);
  const currencyNameCount = new Map<string, number>();
  for (const cur of facts.currencies.values()) currencyNameCount.set(cur.name, (currencyNameCount.get(cur.name) ?? 0) + 1);

  // Single-hop.
  for (const c of countries) {
    const doc = countryDocId(c);
    if (c.capitals.length) {
      rows.push(single(`capital-of-${c.cca3}`, `What is the capital of ${c.common}?`, c.capitals, 'capital_of', [doc]));
    }
    if (c.subregion) {
      rows.push(single(`subregion-of-${c.cca3}`, `In which subregion of the world is ${c.common}?`, [c.subregion], 'subregion_of', [doc]));
    }
    const cap = soleCapital(c);
    if (cap) rows.push(single(`country-with-capital-${c.cca3}`, `Which country has ${cap} as its capital?`, countryNames(c), 'country_with_capital', [doc]));
    if (c.currencies.length) {
      rows.push(
        single(
          `currency-of-${c.cca3}`,
          `What currency is used in ${c.common}?`,
          c.currencies.map((x) => x.name),
          'currency_of',
          c.currencies.map((x) => currencyDocId(x.code)),
        ),
      );
    }
  }
  for (const code of [...facts.currencies.keys()].sort(byCodePoint)) {
    const cur = facts.currencies.get(code)!;
    if (currencyNameCount.get(cur.name) !== 1) continue;
    rows.push(single(`currency-code-${code}`, `What is the ISO 4217 code of the ${cur.name}?`, [code], 'currency_code', [currencyDocId(code)]));
  }

  // Two-hop.
  for (const c of countries) {
    const cap = soleCapital(c);
    if (!cap || !c.currencies.length) continue;
    const curDocs = c.currencies.map((x) => currencyDocId(x.code));
    rows.push({
      id: `currency-by-capital-${c.cca3}`,
      question: `What currency is used in the country whose capital is ${cap}?`,
      golden_answers: c.currencies.map((x) => x.name),
      metadata: {
        type: 'two-hop',
        template: 'currency_by_capital',
        gold_docs: [countryDocId(c), ...curDocs],
        hops: [
          { query: `${cap} capital of which country`, doc: countryDocId(c), answer: c.common },
          { query: `currency used in ${c.common}`, doc: curDocs[0], answer: c.currencies[0].name },
        ],
      },
    });
  }
  for (const code of [...facts.currencies.keys()].sort(byCodePoint)) {
    const cur = facts.currencies.get(code)!;
    const c = cur.countries[0];
    if (cur.countries.length !== 1 || currencyNameCount.get(cur.name) !== 1 || !c.capitals.length) continue;
    rows.push(
      twoHop(
        `capital-by-currency-${code}`,
        `What is the capital of the country that uses the ${cur.name} as its currency?`,
        c,
        'capital_by_currency',
        currencyDocId(code),
        `country that uses the ${cur.name}`,
      ),
    );
  }
  for (const code of [...facts.languages.keys()].sort(byCodePoint)) {
    const l = facts.languages.get(code)!;
    const c = l.countries[0];
    if (l.countries.length !== 1 || !c.capitals.length) continue;
    rows.push(
      twoHop(
        `capital-by-language-${code}`,
        `What is the capital of the only country where ${l.name} is an official language?`,
        c,
        'capital_by_language',
        languageDocId(code),
        `country where ${l.name} is an official language`,
      ),
    );
  }
  return rows;
}

function single(id: string, question: string, answers: string[], template: string, docs: string[]): QaRow {
  return {
    id,
    question,
    golden_answers: uniq(answers),
    metadata: { type: 'single-hop', template, gold_docs: docs, hops: [{ query: question, doc: docs[0], answer: answers[0] }] },
  };
}

/** Bridge document (currency or language) -> country -> its capital. */
function twoHop(id: string, question: string, c: SourceCountry, template: string, bridgeDoc: string, bridgeQuery: string): QaRow {
  return {
    id,
    question,
    golden_answers: uniq(c.capitals),
    metadata: {
      type: 'two-hop',
      template,
      gold_docs: [bridgeDoc, countryDocId(c)],
      hops: [
        { query: bridgeQuery, doc: bridgeDoc, answer: c.common },
        { query: `capital of ${c.common}`, doc: countryDocId(c), answer: c.capitals[0] },
      ],
    },
  };
}
