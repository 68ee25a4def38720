/**
 * The response cache's key: the request exactly as it goes on the wire. sha256 over the URL path under the base
 * URL (`/chat/completions`), the exact body bytes the client sends (they hold the model, the rendered prompt,
 * sampling with the effective seed, streaming and any function definitions), the model name, and the served
 * checkpoint's weights fingerprint when gtm-bench served it. Where the server lives (base URL, replicas) and how
 * hard it is driven are not in it, so a cache filled against one server answers for the same checkpoint on another.
 * A live call is keyed on the bytes its client is about to send (endpoint/client.ts), so a key can never name an
 * answer to another question; the same body sent with its keys in another order is another key (a miss, never a
 * wrong hit).
 */
import type { WireRequest } from '../../targets/openai-client.js';
import { sha256 } from '../../util/hash.js';

/** 2: keys on the bytes sent (1 keyed canonical JSON of a re-rendered request; its rows are never read). */
export const CACHE_KEY_VERSION = 2;

export function requestCacheKey(wire: WireRequest, model: string, fingerprint?: string): string {
  // The header is JSON (no raw newline inside), so it cannot run into the body that follows it.
  return sha256(`${JSON.stringify([CACHE_KEY_VERSION, model, fingerprint ?? null, wire.path])}\n${wire.body}`);
}
