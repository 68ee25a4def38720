/**
 * The request JSON a target attaches to its request object (record-line.ts splices it into the record line;
 * stored-request.ts reads its length). A module of its own, importing nothing, so both can use it without a cycle.
 * The attached text is a non-enumerable symbol property: copies, canonical JSON and the cache never see it.
 */
const REQUEST_JSON = Symbol('request JSON');

/**
 * Marks `request` as serialising to exactly `json` (the caller guarantees JSON.stringify(request) === json), or to
 * what `json()` returns, made on first use: a record whose request goes to the text store (records v2) never
 * needs it.
 */
export function attachRequestJson<T extends object>(request: T, json: string | (() => string)): T {
  Object.defineProperty(request, REQUEST_JSON, { value: json, enumerable: false, configurable: true, writable: true });
  return request;
}

/** The JSON attached to `request` with attachRequestJson, if any. */
export function attachedRequestJson(request: unknown): string | undefined {
  if (request === null || typeof request !== 'object') return undefined;
  const r = request as { [REQUEST_JSON]?: string | (() => string) };
  const json = r[REQUEST_JSON];
  if (typeof json !== 'function') return json;
  return (r[REQUEST_JSON] = json());
}
