/**
 * `npm run build:datasets`: writes the datasets that ship with the suites, and a provenance file next to
 * each (source, seed, row counts, sha256). Running it twice gives the same bytes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from '../util/hash.js';
import { COUNTRY_FACTS_SOURCE } from '../tools/country-facts.js';
import { buildCountryCalls, DEFAULT_DATASET_SEED, toJsonl } from './country-calls.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = join(root, 'datasets', 'default');
mkdirSync(outDir, { recursive: true });

const rows = buildCountryCalls(DEFAULT_DATASET_SEED);
const text = toJsonl(rows);
writeFileSync(join(outDir, 'country-calls.jsonl'), text);
const meta = {
  file: 'country-calls.jsonl',
  sha256: sha256(text),
  rows: rows.length,
  expect_error_rows: rows.filter((r) => r.expect_error).length,
  by_tool: Object.fromEntries(['country_info', 'countries_by_region', 'country_distance'].map((t) => [t, rows.filter((r) => r.tool === t).length])),
  source: COUNTRY_FACTS_SOURCE,
  reference_from: 'real:country-facts (harness/tools/country-facts.ts), called once per row at build time',
  builder: 'harness/datasets/country-calls.ts',
  seed: DEFAULT_DATASET_SEED,
};
writeFileSync(join(outDir, 'country-calls.meta.json'), JSON.stringify(meta, null, 2) + '\n');
console.log(`wrote datasets/default/country-calls.jsonl: ${rows.length} rows, sha256 ${meta.sha256}`);
