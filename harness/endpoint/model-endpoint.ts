/**
 * One model endpoint: what the three OpenAI-compatible roles (the simulator target, the LLM judge and the agent
 * policy) share. A role's spec is this plus its own fields (a prompt template, a rubric), so where the server is,
 * which model, which key, how to sample, how long to wait, how often to retry and how many calls at once are
 * read, overridden and named in one place. The builder from a suite section is build-endpoint.ts; the client
 * made from it is client.ts.
 *
 * This file imports nothing of the harness but util/, so suite/types.ts can take its types without a cycle.
 */
import { splitBaseUrls } from '../util/base-urls.js';
import { UserError } from '../util/errors.js';

/** Sampling parameters sent with every request; every field set is passed on as is. */
export interface SamplingParams {
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  seed?: number;
  stop?: string[];
}

export interface ModelEndpoint {
  /** The server's base URL (the first replica's, when there are several). */
  base_url: string;
  /** Every replica's base URL, first one included, when the section lists more than one. */
  replicas?: string[];
  model: string;
  /** Name of the environment variable holding the API key; the key itself never enters a suite or any output. */
  api_key_env?: string;
  sampling: SamplingParams;
  /** Deadline of each attempt, from sending the request to the end of the body. */
  timeout_ms: number;
  /** Retries of a failed request (429, 5xx, transport). */
  retries: number;
  /** Requests in flight at once, per replica. */
  concurrency: number;
  /** Set when a variable the endpoint needs is unset: it cannot run here, and that is not an error of the suite. */
  not_configured?: string;
}

/** Defaults when a section does not say; a role may pass its own (the policy's concurrency is its batch size). */
export const ENDPOINT_DEFAULTS = { timeout_ms: 60000, retries: 3, concurrency: 16 } as const;

/** Every base URL of the endpoint, replicas included. */
export function endpointUrls(e: Pick<ModelEndpoint, 'base_url' | 'replicas'>): string[] {
  return e.replicas ?? [e.base_url];
}

/**
 * The backend name records, manifests and reports give a model endpoint: every replica is named, since the
 * numbers came from all of them (each record names the one that answered).
 */
export function endpointBackend(e: Pick<ModelEndpoint, 'base_url' | 'replicas' | 'model'>): string {
  return `openai:${endpointUrls(e).join(',')}#${e.model}`;
}

/** Base URL and replicas from one URL, a list, or URLs separated by commas. */
export function withBaseUrls<E extends ModelEndpoint>(e: E, urls: readonly string[]): E {
  const next = { ...e, base_url: urls[0] };
  if (urls.length > 1) next.replicas = [...urls];
  else delete next.replicas;
  return next;
}

export interface EndpointOverrides {
  baseUrl?: string;
  model?: string;
  concurrency?: number;
}

/** The flag names a command uses for each override, for its error messages. */
export interface OverrideFlags {
  baseUrl: string;
  model: string;
}

/** An http(s) URL with a host. */
export function isHttpUrl(text: unknown): boolean {
  if (typeof text !== 'string') return false;
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && !!url.host;
  } catch {
    return false;
  }
}

/** The base URLs a flag gives, checked; throws a UserError naming the flag. */
export function baseUrlsFromFlag(text: string, flag: string): string[] {
  const urls = splitBaseUrls(text);
  if (urls.length === 0 || !urls.every(isHttpUrl)) {
    throw new UserError(`${flag} ${text}: expected an http:// or https:// URL, or several separated by commas (replicas)`);
  }
  return urls;
}

/**
 * The command line's overrides of one endpoint (run's --base-url/--model/--concurrency, agent's --policy-*):
 * pure, returns a new spec. The flags may supply exactly what an unset environment variable left missing, so an
 * endpoint whose fields no longer hold a `${VAR}` is configured again.
 */
export function overrideEndpoint<E extends ModelEndpoint>(e: E, o: EndpointOverrides, flags: OverrideFlags): E {
  let next: E = { ...e };
  if (o.baseUrl !== undefined) next = withBaseUrls(next, baseUrlsFromFlag(o.baseUrl, flags.baseUrl));
  if (o.model !== undefined) next.model = o.model;
  if (o.concurrency !== undefined) next.concurrency = o.concurrency;
  if (next.not_configured && (o.baseUrl !== undefined || o.model !== undefined) && !holdsVariable(next)) delete next.not_configured;
  return next;
}

/** Fields still holding an unresolved `${VAR}` after interpolation. */
function holdsVariable(e: ModelEndpoint): boolean {
  return Object.values(e).some((v) => typeof v === 'string' && /\$\{[^}]+\}/.test(v));
}
