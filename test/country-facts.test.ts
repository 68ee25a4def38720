import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { callCountryTool } from '../harness/tools/country-facts.js';
import { buildCountryCalls, toJsonl } from '../harness/datasets/country-calls.js';
import { sha256 } from '../harness/util/hash.js';

test('country_info answers from the world-countries data (hand-checked: France)', () => {
  const fr = callCountryTool('country_info', { code: 'fr' }) as Record<string, unknown>;
  assert.is(fr.code, 'FRA');
  assert.equal(fr.capital, ['Paris']);
  assert.is(fr.region, 'Europe');
  assert.is(fr.landlocked, false);
  assert.equal(fr.currencies, ['EUR']);
  assert.ok((fr.borders as string[]).includes('DEU'));
});

test('countries_by_region sorts, filters and limits; total counts matches before the limit', () => {
  const r = callCountryTool('countries_by_region', { region: 'Europe', limit: 2 }) as {
    total: number;
    results: { code: string; area_km2: number }[];
  };
  assert.is(r.results.length, 2);
  assert.is(r.results[0].code, 'RUS');
  assert.ok(r.total > 40);
  const small = callCountryTool('countries_by_region', { region: 'Europe', max_area_km2: 100, sort_by: 'area', order: 'asc' }) as {
    results: { code: string; area_km2: number }[];
  };
  assert.ok(small.results.every((c) => c.area_km2 <= 100));
  // The data set gives Svalbard and Jan Mayen an area of -1 (its marker for "unknown"); the real tool
  // passes that through, so it sorts first. Vatican City (0.44 km2) is next.
  assert.equal(
    small.results.slice(0, 2).map((c) => [c.code, c.area_km2]),
    [
      ['SJM', -1],
      ['VAT', 0.44],
    ],
  );
});

test('country_distance: Paris-Berlin centroids about 758 km (haversine on the data set latlng)', () => {
  const d = callCountryTool('country_distance', { from: 'FR', to: 'DE' }) as { distance_km: number };
  // FR (46, 2) to DE (51, 9): hand haversine gives 757.7 km with R = 6371.0088 km.
  assert.is(d.distance_km, 757.7);
});

test('the real tool refuses invalid calls with classified errors', () => {
  assert.equal(callCountryTool('country_info', { code: 'XX' }), { error: { code: 'NOT_FOUND', message: 'no country with code XX' } });
  assert.equal((callCountryTool('country_info', { code: 5 }) as any).error.code, 'INVALID_ARGUMENT');
  assert.equal(
    (callCountryTool('countries_by_region', { region: 'Asia', min_area_km2: 10, max_area_km2: 1 }) as any).error.message,
    'min_area_km2 must not exceed max_area_km2',
  );
  assert.equal((callCountryTool('country_distance', { from: 'FR', to: 'fra' }) as any).error.code, 'INVALID_ARGUMENT');
});

test('the default dataset rebuilds to the same bytes as the committed file', () => {
  const committed = readFileSync(new URL('../datasets/default/country-calls.jsonl', import.meta.url), 'utf8');
  const meta = JSON.parse(readFileSync(new URL('../datasets/default/country-calls.meta.json', import.meta.url), 'utf8'));
  const rebuilt = toJsonl(buildCountryCalls());
  assert.is(sha256(rebuilt), sha256(committed));
  assert.is(sha256(committed), meta.sha256);
  const rows = buildCountryCalls();
  // Labels come from what the real tool answered: every invalid-tagged row was refused, no valid one was.
  assert.ok(rows.every((r) => r.expect_error === r.tags.includes('invalid')));
});

test.run();
