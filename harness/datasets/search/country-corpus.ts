/**
 * The default retrieval corpus: plain-sentence documents stating country facts, in Search-R1's
 * `{id, contents}` shape (title on the first line). Each fact lives in exactly one kind of document, so a
 * question that joins two facts needs two searches:
 *   country:<cca3>    where it is, its capital, area, neighbours, codes (no currency, no languages);
 *   currency:<iso>    a currency, its code and symbol, and the countries that use it;
 *   language:<iso>    a language and the countries where it is official.
 */
import { byCodePoint, listText, type SourceCountry } from './country-source.js';

export interface CorpusRow {
  id: string;
  contents: string;
}

export const countryDocId = (c: SourceCountry) => `country:${c.cca3}`;
export const currencyDocId = (code: string) => `currency:${code}`;
export const languageDocId = (code: string) => `language:${code}`;

/** Countries using each currency and speaking each language, keyed by code, in cca3 order. */
export interface FactIndex {
  currencies: Map<string, { name: string; symbol?: string; countries: SourceCountry[] }>;
  languages: Map<string, { name: string; countries: SourceCountry[] }>;
  byCca3: Map<string, SourceCountry>;
}

export function indexFacts(countries: readonly SourceCountry[]): FactIndex {
  const currencies: FactIndex['currencies'] = new Map();
  const languages: FactIndex['languages'] = new Map();
  for (const c of countries) {
    for (const cur of c.currencies) {
      const e = currencies.get(cur.code) ?? { name: cur.name, ...(cur.symbol ? { symbol: cur.symbol } : {}), countries: [] };
      e.countries.push(c);
      currencies.set(cur.code, e);
    }
    for (const l of c.languages) {
      const e = languages.get(l.code) ?? { name: l.name, countries: [] };
      e.countries.push(c);
      languages.set(l.code, e);
    }
  }
  return { currencies, languages, byCca3: new Map(countries.map((c) => [c.cca3, c])) };
}

const km2 = (area: number) =>
  `${Math.round(area)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',')} square kilometres`;

function countryText(c: SourceCountry, facts: FactIndex): string {
  const where = c.subregion && c.subregion !== c.region ? `the ${c.subregion} subregion of ${c.region}` : c.region;
  const kind = c.independent ? 'a sovereign country' : 'a territory';
  const officially = c.official !== c.common ? `, officially ${c.official},` : '';
  const s: string[] = [`${c.common}${officially} is ${kind} in ${where}.`];
  if (c.capitals.length === 1) s.push(`The capital of ${c.common} is ${c.capitals[0]}.`);
  else if (c.capitals.length > 1) s.push(`${c.common} has ${c.capitals.length} capitals: ${listText(c.capitals)}.`);
  else s.push(`${c.common} has no capital city.`);
  s.push(`${c.common} covers an area of ${km2(c.area)}${c.landlocked ? ' and is landlocked' : ''}.`);
  const neighbours = c.borders.map((b) => facts.byCca3.get(b)?.common).filter((n): n is string => !!n);
  s.push(neighbours.length ? `${c.common} shares land borders with ${listText(neighbours)}.` : `${c.common} has no land borders with other countries.`);
  if (c.demonym) s.push(`Its people are called ${c.demonym}.`);
  const tld = c.tld.length ? ` and its internet domain is ${listText(c.tld)}` : '';
  s.push(`Its ISO 3166-1 codes are ${c.cca2} and ${c.cca3}${tld}.`);
  return s.join(' ');
}

export function buildCorpus(countries: readonly SourceCountry[], facts: FactIndex): CorpusRow[] {
  const rows: CorpusRow[] = countries.map((c) => ({ id: countryDocId(c), contents: `${c.common}\n${countryText(c, facts)}` }));
  for (const code of [...facts.currencies.keys()].sort(byCodePoint)) {
    const cur = facts.currencies.get(code)!;
    const symbol = cur.symbol ? ` and the symbol ${cur.symbol}` : '';
    const users = listText(cur.countries.map((c) => c.common));
    const text = `The ${cur.name} is a currency with the ISO 4217 code ${code}${symbol}. The ${cur.name} is used as currency in ${users}.`;
    rows.push({ id: currencyDocId(code), contents: `${cur.name}\n${text}` });
  }
  for (const code of [...facts.languages.keys()].sort(byCodePoint)) {
    const l = facts.languages.get(code)!;
    const where = l.countries.map((c) => c.common);
    const text = `${l.name} is a language with the ISO 639-3 code ${code}. ${l.name} is an official language in ${listText(where)}.`;
    rows.push({ id: languageDocId(code), contents: `${l.name} language\n${text}` });
  }
  return rows;
}
