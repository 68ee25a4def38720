/**
 * A real tool over a real public fact source: the world-countries data set (mledoze/countries, ODbL-1.0),
 * installed from the npm registry. It answers three calls exactly as a small REST API over that data would,
 * including its refusals, so its outputs are genuine "real tool" references for the default suite.
 *
 * The tool checks its own arguments by hand, as a real service would, rather than through the suite's
 * JSON Schema: the suite's schema is what a simulator is told, the tool is what actually happens.
 */
import worldCountries from 'world-countries';

export const COUNTRY_FACTS_SOURCE = 'world-countries@5.1.0 (mledoze/countries, ODbL-1.0)';

/** Mean Earth radius (IUGG), km. */
const EARTH_RADIUS_KM = 6371.0088;
const REGIONS = ['Africa', 'Americas', 'Antarctic', 'Asia', 'Europe', 'Oceania'] as const;

interface Country {
  cca2: string;
  cca3: string;
  name: { common: string; official: string };
  capital: string[];
  region: string;
  subregion: string;
  area: number;
  landlocked: boolean;
  languages: Record<string, string>;
  currencies: Record<string, unknown>;
  borders: string[];
  latlng: number[];
}

export interface ToolErrorValue {
  error: { code: 'INVALID_ARGUMENT' | 'NOT_FOUND' | 'UNKNOWN_TOOL'; message: string };
}

export const COUNTRY_TOOLS = ['country_info', 'countries_by_region', 'country_distance'] as const;

const countries = worldCountries as unknown as Country[];
const byCode = new Map<string, Country>();
for (const c of countries) {
  byCode.set(c.cca2, c);
  byCode.set(c.cca3, c);
}

function invalid(message: string): ToolErrorValue {
  return { error: { code: 'INVALID_ARGUMENT', message } };
}

function lookup(code: unknown, field: string): Country | ToolErrorValue {
  if (typeof code !== 'string' || !/^[A-Za-z]{2,3}$/.test(code)) {
    return invalid(`${field} must be an ISO 3166-1 alpha-2 or alpha-3 code`);
  }
  const country = byCode.get(code.toUpperCase());
  return country ?? { error: { code: 'NOT_FOUND', message: `no country with code ${code.toUpperCase()}` } };
}

function isError(v: unknown): v is ToolErrorValue {
  return typeof v === 'object' && v !== null && 'error' in v;
}

function unknownKeys(args: Record<string, unknown>, allowed: string[]): ToolErrorValue | null {
  const extra = Object.keys(args).filter((k) => !allowed.includes(k));
  return extra.length ? invalid(`unknown argument ${extra[0]}`) : null;
}

function countryInfo(args: Record<string, unknown>) {
  const bad = unknownKeys(args, ['code']);
  if (bad) return bad;
  if (args.code === undefined) return invalid('code is required');
  const c = lookup(args.code, 'code');
  if (isError(c)) return c;
  return {
    code: c.cca3,
    name: c.name.common,
    official_name: c.name.official,
    capital: [...c.capital],
    region: c.region,
    // Five territories (ATA, ATF, BVT, HMD, SGS) have no subregion in the data set: null, not a missing key.
    subregion: c.subregion || null,
    area_km2: c.area,
    landlocked: c.landlocked,
    languages: Object.values(c.languages).sort(),
    currencies: Object.keys(c.currencies).sort(),
    borders: [...c.borders].sort(),
  };
}

function optionalArea(v: unknown, field: string): number | undefined | ToolErrorValue {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return invalid(`${field} must be a number >= 0`);
  return v;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function countriesByRegion(args: Record<string, unknown>) {
  const bad = unknownKeys(args, ['region', 'min_area_km2', 'max_area_km2', 'sort_by', 'order', 'limit']);
  if (bad) return bad;
  const region = args.region;
  if (typeof region !== 'string' || !(REGIONS as readonly string[]).includes(region)) {
    return invalid(`region must be one of ${REGIONS.join(', ')}`);
  }
  const min = optionalArea(args.min_area_km2, 'min_area_km2');
  if (isError(min)) return min;
  const max = optionalArea(args.max_area_km2, 'max_area_km2');
  if (isError(max)) return max;
  if (min !== undefined && max !== undefined && min > max) {
    return invalid('min_area_km2 must not exceed max_area_km2');
  }
  const sortBy = args.sort_by ?? 'area';
  if (sortBy !== 'area' && sortBy !== 'name') return invalid('sort_by must be "area" or "name"');
  const order = args.order ?? 'desc';
  if (order !== 'asc' && order !== 'desc') return invalid('order must be "asc" or "desc"');
  const limit = args.limit ?? 10;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 50) {
    return invalid('limit must be an integer between 1 and 50');
  }
  const matching = countries.filter((c) => c.region === region && (min === undefined || c.area >= min) && (max === undefined || c.area <= max));
  const sign = order === 'asc' ? 1 : -1;
  // Ties broken by code so the order is total and the output deterministic.
  matching.sort((a, b) => {
    // Code-point order, not localeCompare: the result must not depend on the ICU build of the Node that runs it.
    const primary = sortBy === 'area' ? a.area - b.area : compareText(a.name.common, b.name.common);
    return primary !== 0 ? sign * primary : compareText(a.cca3, b.cca3);
  });
  return {
    region,
    total: matching.length,
    results: matching.slice(0, limit).map((c) => ({ code: c.cca3, name: c.name.common, area_km2: c.area })),
  };
}

/** Great-circle (haversine) distance between two countries' reference points (the data set's latlng). */
function countryDistance(args: Record<string, unknown>) {
  const bad = unknownKeys(args, ['from', 'to']);
  if (bad) return bad;
  if (args.from === undefined || args.to === undefined) return invalid('from and to are required');
  const a = lookup(args.from, 'from');
  if (isError(a)) return a;
  const b = lookup(args.to, 'to');
  if (isError(b)) return b;
  if (a.cca3 === b.cca3) return invalid('from and to must name different countries');
  const rad = Math.PI / 180;
  const [lat1, lon1] = a.latlng.map((d) => d * rad);
  const [lat2, lon2] = b.latlng.map((d) => d * rad);
  const h = Math.sin((lat2 - lat1) / 2) ** 2 + Math.cos(lat1) * Math.cos(lat2) * Math.sin((lon2 - lon1) / 2) ** 2;
  const km = 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
  return { from: a.cca3, to: b.cca3, distance_km: Math.round(km * 10) / 10 };
}

/** Answers one call; unknown tools and bad arguments are answered with an error value, never thrown. */
export function callCountryTool(tool: string, args: Record<string, unknown>): unknown {
  switch (tool) {
    case 'country_info':
      return countryInfo(args);
    case 'countries_by_region':
      return countriesByRegion(args);
    case 'country_distance':
      return countryDistance(args);
    default:
      return { error: { code: 'UNKNOWN_TOOL', message: `country-facts has no tool ${tool}` } };
  }
}

/** Codes of every country, for dataset builders. */
export function allCountryCodes(): { cca2: string; cca3: string; region: string }[] {
  return countries.map((c) => ({ cca2: c.cca2, cca3: c.cca3, region: c.region }));
}

export { REGIONS as COUNTRY_REGIONS };
