/**
 * Secrets out of a text that is about to be printed or written: the values of environment variables that
 * hold keys (named by the suite's api_key_env, or with KEY/TOKEN/SECRET/PASSWORD in their name), bearer
 * tokens, and the usual shapes of API keys (sk-..., key=... in a query string). A server's error message may
 * echo a header or a URL back; the message shown to a person must still be verbatim in every other respect.
 */
const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL)/i;
const PATTERNS: [RegExp, string][] = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [redacted]'],
  [/\bsk-[A-Za-z0-9_-]{8,}/g, 'sk-[redacted]'],
  [/([?&](?:api[_-]?key|key|token|access_token)=)[^&\s"']+/gi, '$1[redacted]'],
];

/** Values of the environment that look like secrets (at least 6 characters, so "1" or "true" never match). */
export function secretValues(env: Record<string, string | undefined>, names: readonly string[] = []): string[] {
  const out = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (value && value.length >= 6 && (names.includes(name) || SECRET_NAME.test(name))) out.add(value);
  }
  return [...out].sort((a, b) => b.length - a.length);
}

export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s.length >= 6) out = out.split(s).join('[redacted]');
  for (const [re, to] of PATTERNS) out = out.replace(re, to);
  return out;
}
