/**
 * The body of an OpenAI-compatible `GET /v1/models` (`{"object":"list","data":[{"id":...}]}`, which vLLM,
 * SGLang, llama.cpp's server and OpenAI all answer), read into the model ids it lists. Shared by the served
 * checkpoint's readiness check and the pre-flight check of every configured endpoint.
 */

/** The listed model ids, or undefined when the body is not such a list. */
export function listedModels(body: string): string[] | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const data = (json as { data?: unknown })?.data;
  if (!Array.isArray(data)) return undefined;
  return data.map((d) => String((d as { id?: unknown })?.id));
}
