/**
 * The stand-in's answer for the serving tests' echo tool: the `text` argument found in the prompt, echoed
 * back as `{"text": ...}`. Deterministic, so two runs of one plan get the same answers; it is scripted
 * text from a test server, not a model's output.
 */
import type { ScriptedResponse, StandInRequest } from '../../dev/stand-ins/vllm-stand-in.js';

export function echoResponse(req: StandInRequest): ScriptedResponse {
  // The call's arguments are in the prompt as compact JSON ({"text":"..."}); the schemas are pretty-printed.
  const b = req.body ?? {};
  const prompt = Array.isArray(b.messages) ? b.messages.map((m: { content?: unknown }) => String(m.content ?? '')).join('\n') : String(b.prompt ?? '');
  const found = [...prompt.matchAll(/"text":"((?:[^"\\]|\\.)*)"/g)].pop();
  return { text: JSON.stringify({ text: found ? (JSON.parse(`"${found[1]}"`) as string) : '' }) };
}
