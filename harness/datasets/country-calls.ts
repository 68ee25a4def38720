/**
 * Builds the default suite's dataset: tool calls to the country-facts tool with the real tool's output
 * recorded as the reference. Deterministic: the same seed and the same world-countries version give
 * the same bytes (checked by the tests through the file's sha256).
 *
 * Valid calls come from a seeded draw over the real codes and regions; invalid calls (the kind a
 * faithful simulator must refuse) cover the three classes the issue names: wrong type, contradictory
 * parameters, missing field, plus unknown codes and out-of-range values. `expect_error` is set from
 * what the real tool actually answered, never by hand, so the labels cannot disagree with the reference.
 */
import { Rng } from '../util/prng.js';
import { allCountryCodes, callCountryTool, COUNTRY_REGIONS } from '../tools/country-facts.js';

export const DEFAULT_DATASET_SEED = 20251204;

interface Row {
  id: string;
  tool: string;
  arguments: Record<string, unknown>;
  reference: unknown;
  expect_error: boolean;
  tags: string[];
}

function codeForm(rng: Rng, c: { cca2: string; cca3: string }): string {
  const code = rng.chance(0.5) ? c.cca2 : c.cca3;
  return rng.chance(0.2) ? code.toLowerCase() : code;
}

function regionArgs(rng: Rng): Record<string, unknown> {
  const args: Record<string, unknown> = { region: rng.pick(COUNTRY_REGIONS.filter((r) => r !== 'Antarctic')) };
  if (rng.chance(0.4)) args.min_area_km2 = rng.pick([0, 1000, 10000, 50000, 100000]);
  if (rng.chance(0.4)) args.max_area_km2 = rng.pick([200000, 500000, 1000000, 5000000]);
  if (rng.chance(0.7)) args.sort_by = rng.pick(['area', 'name']);
  if (rng.chance(0.7)) args.order = rng.pick(['asc', 'desc']);
  if (rng.chance(0.8)) args.limit = rng.int(1, 15);
  return args;
}

/** Invalid calls: each is a case a faithful tool refuses. The label says which kind. */
function invalidCalls(rng: Rng, codes: { cca2: string; cca3: string }[]): [string, Record<string, unknown>, string][] {
  const some = () => rng.pick(codes).cca3;
  return [
    ['country_info', { code: 'XX' }, 'unknown-code'],
    ['country_info', { code: 'ZZZ' }, 'unknown-code'],
    ['country_info', { code: 'QQ' }, 'unknown-code'],
    ['country_info', { code: 840 }, 'wrong-type'],
    ['country_info', { code: 'FRANCE' }, 'wrong-format'],
    ['country_info', {}, 'missing-field'],
    ['country_info', { code: ['FR'] }, 'wrong-type'],
    ['country_info', { code: 'FR', lang: 'en' }, 'unknown-field'],
    ['countries_by_region', { region: 'Europe', min_area_km2: 500000, max_area_km2: 1000 }, 'contradiction'],
    ['countries_by_region', { region: 'Asia', min_area_km2: 100000, max_area_km2: 50000 }, 'contradiction'],
    ['countries_by_region', { region: 'Africa', min_area_km2: 1e6, max_area_km2: 10 }, 'contradiction'],
    ['countries_by_region', { region: 'Atlantis' }, 'out-of-range'],
    ['countries_by_region', { region: 'Europe', limit: 0 }, 'out-of-range'],
    ['countries_by_region', { region: 'Oceania', limit: 500 }, 'out-of-range'],
    ['countries_by_region', { region: 'Americas', limit: '5' }, 'wrong-type'],
    ['countries_by_region', { region: 'Asia', sort_by: 'population' }, 'out-of-range'],
    ['countries_by_region', { region: 'Europe', order: 'up' }, 'out-of-range'],
    ['countries_by_region', { limit: 5 }, 'missing-field'],
    ['countries_by_region', { region: 'Africa', min_area_km2: -5 }, 'out-of-range'],
    ['countries_by_region', { region: 'Europe', limit: 2.5 }, 'wrong-type'],
    ['country_distance', { from: 'FR', to: 'FRA' }, 'contradiction'],
    ['country_distance', { from: 'DE', to: 'de' }, 'contradiction'],
    ['country_distance', { from: some() }, 'missing-field'],
    ['country_distance', { to: some() }, 'missing-field'],
    ['country_distance', { from: 'XX', to: 'FR' }, 'unknown-code'],
    ['country_distance', { from: 'US', to: 'QZ' }, 'unknown-code'],
    ['country_distance', { from: 250, to: 'DE' }, 'wrong-type'],
    ['country_distance', { from: 'JP', to: 'CN', unit: 'mi' }, 'unknown-field'],
    ['country_info', { code: 'AAA' }, 'unknown-code'],
    ['country_info', { code: true }, 'wrong-type'],
  ];
}

export function buildCountryCalls(seed = DEFAULT_DATASET_SEED): Row[] {
  const rng = new Rng(seed);
  const codes = allCountryCodes().sort((a, b) => (a.cca3 < b.cca3 ? -1 : 1));
  const rows: Row[] = [];
  const add = (prefix: string, tool: string, args: Record<string, unknown>, tags: string[]) => {
    const reference = callCountryTool(tool, args);
    const isError = typeof reference === 'object' && reference !== null && 'error' in reference;
    const n = rows.filter((r) => r.id.startsWith(prefix)).length + 1;
    rows.push({
      id: `${prefix}-${String(n).padStart(3, '0')}`,
      tool,
      arguments: args,
      reference,
      expect_error: isError,
      tags,
    });
  };
  for (let i = 0; i < 120; i++) add('info', 'country_info', { code: codeForm(rng, rng.pick(codes)) }, ['valid']);
  for (let i = 0; i < 80; i++) add('region', 'countries_by_region', regionArgs(rng), ['valid']);
  for (let i = 0; i < 70; i++) {
    const a = rng.pick(codes);
    let b = rng.pick(codes);
    while (b.cca3 === a.cca3) b = rng.pick(codes);
    add('distance', 'country_distance', { from: codeForm(rng, a), to: codeForm(rng, b) }, ['valid']);
  }
  for (const [tool, args, kind] of invalidCalls(rng, codes)) add('invalid', tool, args, ['invalid', kind]);
  return rows;
}

export function toJsonl(rows: unknown[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
}
