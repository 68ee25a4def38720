/**
 * Rows of the StableToolBench / MirrorAPI evaluation format `{prompt, predict, label}` as a gtm-bench dataset
 * plus predictions. The call is inside `prompt`, as a StableToolBench simulated-API prompt writes it: the last
 * `API doc:` (a Python dict: tool_name, api_name, api_description, ...) and the last `Request:` (a Python
 * dict whose `tool_input` is the arguments as JSON text). `label` is the real response, the envelope
 * `{"error": ..., "response": ...}`, given as an object or as its JSON text; `predict` is the simulator's
 * answer text, kept as is (`raw`) so it is scored through the same parser as a live answer.
 * Rows whose prompt does not hold the arguments, or whose label is no JSON object, are reported by line and
 * left out, never guessed. Pure: text in, rows out.
 */
import { parseToolOutput } from '../../parse/json-from-text.js';
import { decodeStructured } from '../../scoring/structured-string.js';
import type { DatasetCall } from '../../suite/types.js';

/** A dataset row as written to calls.jsonl (the loader adds `source`). */
export type ImportedCall = Required<Pick<DatasetCall, 'id' | 'tool' | 'arguments' | 'reference' | 'expect_error' | 'tags'>>;

export interface ImportedTool {
  name: string;
  description: string;
}

export interface StableToolBenchImport {
  calls: ImportedCall[];
  predictions: { id: string; raw: string }[];
  tools: ImportedTool[];
  /** `line N: why`, for every row left out. */
  skipped: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

export function importStableToolBench(text: string, split = 'stabletoolbench'): StableToolBenchImport {
  const out: StableToolBenchImport = { calls: [], predictions: [], tools: [], skipped: [] };
  const tools = new Map<string, ImportedTool>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const skip = (why: string) => out.skipped.push(`line ${i + 1}: ${why}`);
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (err) {
      skip(`not JSON (${(err as Error).message})`);
      continue;
    }
    if (!isObj(row) || typeof row.prompt !== 'string' || typeof row.predict !== 'string' || row.label === undefined) {
      skip('expected {prompt, predict, label} with prompt and predict as text');
      continue;
    }
    const doc = lastDict(row.prompt, 'API doc:');
    const request = lastDict(row.prompt, 'Request:');
    if (!request) {
      skip('the prompt has no "Request:" dict, so the call\'s arguments are unknown');
      continue;
    }
    const args = argumentsOf(request.tool_input);
    if (!args) {
      skip(`the request's tool_input is not a JSON object (${JSON.stringify(String(request.tool_input ?? 'missing')).slice(0, 60)})`);
      continue;
    }
    const label = typeof row.label === 'string' ? parseToolOutput(row.label).value : row.label;
    if (!isObj(label) || !('error' in label) || !('response' in label)) {
      skip('the label is not an {error, response} object');
      continue;
    }
    const toolName = safeName(`${String(request.tool_name ?? doc?.tool_name ?? 'tool')}.${String(request.api_name ?? doc?.api_name ?? 'api')}`);
    if (!tools.has(toolName)) {
      const d = [doc?.api_description, doc?.tool_description].filter((x) => typeof x === 'string' && x.trim() !== '').join(' ');
      tools.set(toolName, { name: toolName, description: d || `${request.tool_name} ${request.api_name}` });
    }
    const id = `${split}-${String(i + 1).padStart(5, '0')}`;
    const error = label.error;
    out.calls.push({ id, tool: toolName, arguments: args, reference: label, expect_error: typeof error === 'string' && error.trim() !== '', tags: [split] });
    out.predictions.push({ id, raw: row.predict });
  }
  out.tools = [...tools.values()];
  return out;
}

/** The Python dict after the last `marker` in the prompt, decoded (jsonrepair reads the repr). */
function lastDict(prompt: string, marker: string): Obj | undefined {
  const at = prompt.lastIndexOf(marker);
  if (at < 0) return undefined;
  const start = prompt.indexOf('{', at);
  if (start < 0) return undefined;
  const end = matchingBrace(prompt, start);
  if (end < 0) return undefined;
  const d = decodeStructured(prompt.slice(start, end + 1));
  return d && isObj(d.value) ? d.value : undefined;
}

/** The index of the brace closing the one at `start`, skipping quoted strings ('...' and "..."). */
function matchingBrace(s: string, start: number): number {
  let depth = 0;
  let quote = '';
  for (let i = start; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

function argumentsOf(input: unknown): Obj | undefined {
  if (isObj(input)) return input;
  if (typeof input !== 'string') return undefined;
  const t = input.trim();
  if (t === '') return {};
  try {
    const v = JSON.parse(t);
    return isObj(v) ? v : undefined;
  } catch {
    const d = decodeStructured(t);
    return d && isObj(d.value) ? d.value : undefined;
  }
}

/** A suite tool name: letters, digits, '_', '.', '-', starting with a letter or '_'. */
function safeName(s: string): string {
  const n = s.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/_+/g, '_');
  return /^[A-Za-z_]/.test(n) ? n : `_${n}`;
}
