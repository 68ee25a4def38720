/**
 * The one redactor: secrets out of everything gtm-bench writes (run files, caches, reports, exports, the
 * terminal). It knows the secrets this process was given (registerSecrets: the values of the key variables a
 * suite names, URL credentials of its base URLs, environment values whose name says they hold a key) and removes
 * them whole and as echoes of 8 or more consecutive characters: a model or proxy that repeats the Authorization
 * header, or an echo cut short by max_tokens, must not put the key into records.jsonl. Credentials in any URL
 * (`http://user:pass@host`) are written as `http://***@host`. Error messages also lose the usual shapes of keys
 * (bearer tokens, sk-..., key=... in a query string), which only they carry.
 *
 * The registry is process-wide on purpose: secrets become known where the suite is read, and are needed at every
 * write edge (sinks, the manifest, report files, stdout), which should not all be handed a redactor.
 */
/** The shortest echo removed: any 8 consecutive characters of a secret. */
const ECHO = 8;
/** The shortest value removed whole: "1" or "true" in a KEY variable must not blank every "1" written. */
const MIN_WHOLE = 6;
/** Names of environment variables that hold a secret. */
const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL)/i;
/**
 * Characters an echo span never crosses: the escape characters of the formats written (JSON, HTML, CSV,
 * Markdown) and white space, so a cut never splits `&amp;`, `""` or `\n` (JSON texts are re-checked anyway).
 */
const STOP = /["'\\&<>\s]/;
/** Where a URL's user info ends: at its host (`@`), or where it turns out to have none. */
const USERINFO_END = /[\s/?#@"'<>\\]/;
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>\\]+@/gi;
const MESSAGE_PATTERNS: [RegExp, string][] = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [redacted]'],
  [/\bsk-[A-Za-z0-9_-]{8,}/g, 'sk-[redacted]'],
  [/([?&](?:api[_-]?key|key|token|access_token)=)[^&\s"']+/gi, '$1[redacted]'],
];
export const REDACTED = '[redacted]';

/** Whole values (and their escaped forms), longest first. */
let whole: string[] = [];
/** Every 4-character piece of every secret, by its hash (gramHash), with where it occurs. */
const grams = new Map<number, { secret: string; at: number }[]>();
/** One bit per gramHash & 0xffff: most sampled pieces of a text are turned away by one typed-array read. */
const gramBits = new Uint8Array(1 << 13);
/** Pieces of 4 sampled every 5 characters: any run of 8 shared characters holds a whole sampled piece (5 + 4 - 1 = 8). */
const GRAM = 4;
const STRIDE = ECHO - GRAM + 1;

/** FNV-1a over the 4 UTF-16 code units at `p`. */
function gramHash(t: string, p: number): number {
  let h = 0x811c9dc5;
  h = Math.imul(h ^ t.charCodeAt(p), 0x01000193);
  h = Math.imul(h ^ t.charCodeAt(p + 1), 0x01000193);
  h = Math.imul(h ^ t.charCodeAt(p + 2), 0x01000193);
  return Math.imul(h ^ t.charCodeAt(p + 3), 0x01000193);
}
const known = new Set<string>();

export interface SecretOptions {
  /** Also remove echoes of 8+ characters (default true); false for values that may be ordinary text (paths). */
  echoes?: boolean;
}

/** Adds secrets to the registry (values under 6 characters, 'EMPTY' and repeats are ignored). */
export function registerSecrets(values: Iterable<string | undefined>, opts: SecretOptions = {}): void {
  for (const v of values) {
    if (!v || v.length < MIN_WHOLE || v === 'EMPTY' || known.has(v)) continue;
    known.add(v);
    const echoes = opts.echoes !== false && v.length >= ECHO;
    // The echo scan finds a plain secret whole too; the whole-text search is for what it cannot see.
    for (const form of escapedForms(v)) if (!(echoes && form === v && !STOP.test(v)) && !whole.includes(form)) whole.push(form);
    if (echoes) {
      for (let i = 0; i + GRAM <= v.length; i++) {
        const h = gramHash(v, i);
        const list = grams.get(h) ?? [];
        list.push({ secret: v, at: i });
        grams.set(h, list);
        gramBits[(h & 0xffff) >>> 3] |= 1 << (h & 7);
      }
    }
  }
  whole.sort((a, b) => b.length - a.length);
}

/** How a secret looks once written into JSON, HTML, CSV or a URL. */
function escapedForms(v: string): string[] {
  const html = v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  return [...new Set([v, JSON.stringify(v).slice(1, -1), html, v.replace(/"/g, '""'), encodeURIComponent(v)])];
}

/**
 * Registers the secrets an environment holds: the values of the variables named (a suite's api_key_env) and
 * of every variable whose name says it holds a key. A named value is a secret whatever it looks like; a value
 * found by its variable's name only is removed whole when it looks like a path or has spaces (SSH_KEY_PATH=
 * /home/me/.ssh/id: its 8-character pieces would blank every path under /home/me).
 */
export function registerEnvSecrets(env: Record<string, string | undefined>, names: readonly string[] = []): void {
  for (const [name, value] of Object.entries(env)) {
    if (!value) continue;
    if (names.includes(name)) registerSecrets([value]);
    else if (SECRET_NAME.test(name)) registerSecrets([value], { echoes: !/^[~./]|\s|[/\\].*[/\\]/.test(value) });
  }
}

/** Registers the user and password of every URL in `text` (`http://user:pass@host`), raw and decoded, and their Basic header. */
export function registerUrlCredentials(text: string | undefined): void {
  if (!text || !text.includes('@')) return;
  const dec = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  for (const m of text.matchAll(URL_USERINFO)) {
    const info = m[0].slice(m[1].length, -1);
    const colon = info.indexOf(':');
    const user = colon < 0 ? info : info.slice(0, colon);
    const pass = colon < 0 ? '' : info.slice(colon + 1);
    registerSecrets([info, dec(info), pass, dec(pass), user, dec(user), Buffer.from(`${dec(user)}:${dec(pass)}`).toString('base64')]);
  }
}

/** A URL as gtm-bench shows and stores it: credentials replaced (`http://***@host/v1`). */
export function displayUrl(url: string): string {
  return url.replace(URL_USERINFO, '$1***@');
}

/** True when any secret is registered (the write edges skip their work otherwise). */
export function hasSecrets(): boolean {
  return known.size > 0;
}

/**
 * Whether a URL in `text` has credentials other than `***` (what a written URL already shows): found with
 * indexOf, so the regular expression runs only where there is something to replace (every model record
 * carries its backend's URL).
 */
function hasUrlCredentials(text: string): boolean {
  for (let i = text.indexOf('://'); i >= 0; i = text.indexOf('://', i + 3)) {
    let j = i + 3;
    while (j < text.length && !USERINFO_END.test(text[j])) j++;
    if (text[j] === '@' && text.slice(i + 3, j) !== '***' && j > i + 3) return true;
  }
  return false;
}

/** Removes every registered secret (whole, or any 8+ character echo of one) and URL credentials from `text`. */
export function redactText(text: string): string {
  let out = text;
  if (known.size) {
    for (const s of whole) if (out.includes(s)) out = out.split(s).join(REDACTED);
    if (grams.size) out = redactEchoes(out);
  }
  if (hasUrlCredentials(out)) out = out.replace(URL_USERINFO, '$1***@');
  return out;
}

/**
 * redactText for a JSON text (a records.jsonl line, manifest.json, summary.json): when a cut would leave it
 * invalid (a secret with a backslash or a quote, an echo that starts inside an escape), the value is parsed and
 * every string in it redacted instead, written back with the same indentation.
 */
export function redactJsonText(text: string): string {
  const out = redactText(text);
  if (out === text) return out;
  try {
    JSON.parse(out);
    return out;
  } catch {
    const indent = /^[[{]\n( +)/.exec(text)?.[1].length ?? 0;
    return JSON.stringify(redactValue(JSON.parse(text)), null, indent) + (text.endsWith('\n') ? '\n' : '');
  }
}

/** The redaction a file's text needs, by its name: JSON files stay valid JSON (redactJsonText), others redactText. */
export function redactFileText(path: string, text: string): string {
  if (/\.jsonl$/i.test(path))
    return text
      .split('\n')
      .map((line) => (line ? redactJsonText(line) : line))
      .join('\n');
  return /\.json$/i.test(path) ? redactJsonText(text) : redactText(text);
}

/** Every string (and key) of a JSON value through redactText. */
export function redactValue<T>(value: T): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (Array.isArray(value)) return value.map(redactValue) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [redactText(k), redactValue(v)])) as T;
  }
  return value;
}

/**
 * redactText for an error message shown to a person, plus the usual shapes of keys (bearer tokens, sk-...,
 * key=...) and `extra` values, which a server's error may echo although they were never registered.
 */
export function redactMessage(text: string, extra: readonly string[] = []): string {
  let out = text;
  for (const s of extra) if (s.length >= 4) out = out.split(s).join(REDACTED);
  out = redactText(out);
  for (const [re, to] of MESSAGE_PATTERNS) out = out.replace(re, to);
  return out;
}

/**
 * Echoes: the text is sampled every 5th character, and a run of 8 characters shared with a secret always holds
 * one whole sampled 4-character piece of it; a bitmap of the pieces' hashes turns nearly every sample away
 * without an allocation (measured ~1.3 ms per MB, ~5 us per 3 KB record; `npm run bench` prints it). Each hit is
 * grown both ways as far as the text keeps following that secret (so a hash collision only costs the check);
 * spans of 8+ characters are cut.
 */
function redactEchoes(text: string): string {
  const spans: [number, number][] = [];
  for (let p = 0; p + GRAM <= text.length; p += STRIDE) {
    const h = gramHash(text, p);
    if (!(gramBits[(h & 0xffff) >>> 3] & (1 << (h & 7)))) continue;
    for (const { secret, at } of grams.get(h) ?? []) {
      let l = 0;
      while (l < at && p - l > 0 && text[p - l - 1] === secret[at - l - 1] && !STOP.test(text[p - l - 1])) l++;
      let r = 0;
      while (at + r < secret.length && p + r < text.length && text[p + r] === secret[at + r] && !STOP.test(text[p + r])) r++;
      if (l + r >= ECHO) spans.push([p - l, p + r]);
    }
  }
  if (!spans.length) return text;
  spans.sort((a, b) => a[0] - b[0]);
  let out = '';
  let from = 0;
  for (const [start, end] of spans) {
    if (end <= from) continue;
    if (start >= from) out += text.slice(from, start) + REDACTED;
    from = end;
  }
  return out + text.slice(from);
}

/** Forgets every registered secret (tests). */
export function clearSecrets(): void {
  whole = [];
  grams.clear();
  gramBits.fill(0);
  known.clear();
}

/** The environment's secret-looking values (at least 6 characters), longest first: what registerEnvSecrets would take whole. */
export function secretValues(env: Record<string, string | undefined>, names: readonly string[] = []): string[] {
  const out = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (value && value.length >= MIN_WHOLE && (names.includes(name) || SECRET_NAME.test(name))) out.add(value);
  }
  return [...out].sort((a, b) => b.length - a.length);
}
