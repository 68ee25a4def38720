/**
 * Versioned prompt templates for model targets. A template is a YAML file; its id, version and the
 * sha256 of its bytes go into the manifest, so a score is always tied to the exact prompt behind it.
 * Placeholders are `{{name}}` from a fixed list, substituted in one pass (a value that itself contains
 * `{{...}}` is left alone); an unknown placeholder fails at load, not in the middle of a run.
 */
import { readFileSync } from 'node:fs';
import { parseUserYaml } from '../util/foreign-file.js';
import { DEFAULT_ERROR_SCHEMA, type ToolSpec } from '../suite/types.js';
import { UserError } from '../util/errors.js';
import { sha256 } from '../util/hash.js';
import { PLACEHOLDER } from '../util/placeholder.js';
import type { SessionTurn } from './history.js';
import { renderHistory } from './history.js';
import { jsonByteSize } from '../util/json-size.js';
import { markSharedTexts, type SharedPiece } from '../util/shared-text.js';

/** One chat message as a template renders it and the OpenAI chat API takes it (targets/openai-client.ts sends it). */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export type RenderedPrompt = { messages: ChatMessage[] } | { prompt: string };

export interface PromptTemplate {
  id: string;
  version: string;
  api: 'chat' | 'completions';
  file: string;
  /** sha256 of the file's bytes. */
  sha256: string;
  /** Bound on the rendered {{history}} (see history.ts); undefined: the whole history. */
  history_max_tokens?: number;
  /** Whether the template shows the session so far ({{history}}). */
  uses_history: boolean;
  render(tool: ToolSpec, args: Record<string, unknown>, history?: HistoryInput): RenderedPrompt;
  /**
   * render() and, with it, `json`: exactly JSON.stringify of the messages (chat) or of the prompt string
   * (completions), made from the tool's literal pieces escaped once per tool, so a call escapes only its own
   * arguments and history, not the 3 KB of schemas around them (the request body and the record splice it in).
   */
  renderWithJson(tool: ToolSpec, args: Record<string, unknown>, history?: HistoryInput): { rendered: RenderedPrompt; json: string };
  /**
   * UTF-8 bytes of the texts render() would produce for this call, computed without rendering (util/json-size.ts),
   * so an oversized prompt is refused before it exists; past `budget`, some number above it. {{history}} counts
   * as empty: it exists only during a run, and history_max_tokens bounds it.
   */
  measure(tool: ToolSpec, args: Record<string, unknown>, budget: number): number;
}

const pretty = (v: unknown) => JSON.stringify(v, null, 2);

/** A session's earlier calls for {{history}}, and the tokens-per-character ratio to truncate it with. */
export interface HistoryInput {
  turns: readonly SessionTurn[];
  tokensPerChar?: number;
}

const PLACEHOLDERS: Record<string, (tool: ToolSpec, args: Record<string, unknown>, history: string) => string> = {
  'tool.name': (t) => t.name,
  'tool.description': (t) => t.description,
  'tool.parameters': (t) => pretty(t.parameters),
  'tool.response_schema': (t) => pretty(t.response_schema),
  'tool.error_schema': (t) => pretty(t.error_schema ?? DEFAULT_ERROR_SCHEMA),
  arguments: (_t, a) => JSON.stringify(a),
  history: (_t, _a, h) => h,
};

/** Placeholders whose value depends on the call, not only on the tool. */
const PER_CALL = new Set(['arguments', 'history']);

/**
 * A text with every tool placeholder already filled for one tool: the literal pieces between the per-call
 * placeholders, so rendering a call only stringifies its arguments (the pretty-printed schemas are the
 * bulk of the prompt and are the same for every call of a tool). Same result as `fill`: one pass over the
 * template text, so a substituted value is never scanned again.
 */
interface FilledText {
  /** `literals.length === calls.length + 1`; the text is literals[0] + calls[0](args) + literals[1] + ... */
  literals: string[];
  calls: string[];
  /** Each literal as it appears inside a JSON string (JSON.stringify without the quotes). */
  escaped: string[];
  /**
   * Whether escaping piece by piece gives the whole text's escape: true unless a literal starts or ends with half
   * of a surrogate pair (JSON.stringify writes a lone half as \uXXXX but a joined pair as is).
   */
  piecewise: boolean;
}

const isSurrogate = (code: number) => code >= 0xd800 && code <= 0xdfff;
const endsSafely = (s: string) => s.length === 0 || (!isSurrogate(s.charCodeAt(0)) && !isSurrogate(s.charCodeAt(s.length - 1)));
/** A text as it appears inside a JSON string. */
const escapeJson = (s: string) => JSON.stringify(s).slice(1, -1);

function fillForTool(text: string, tool: ToolSpec): FilledText {
  const literals: string[] = [];
  const calls: string[] = [];
  let current = '';
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    current += text.slice(last, m.index);
    last = m.index! + m[0].length;
    const name = m[1];
    if (PER_CALL.has(name)) {
      literals.push(current);
      calls.push(name);
      current = '';
    } else current += PLACEHOLDERS[name](tool, {}, '');
  }
  literals.push(current + text.slice(last));
  return { literals, calls, escaped: literals.map(escapeJson), piecewise: literals.every(endsSafely) };
}

/** Bytes of a template text with `tool`'s placeholders filled, per-call placeholders left out; past `budget`, above it. */
function toolTextBytes(text: string, tool: ToolSpec, budget: number): number {
  let size = 0;
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    size += Buffer.byteLength(text.slice(last, m.index));
    last = m.index! + m[0].length;
    if (!PER_CALL.has(m[1])) size += placeholderBytes(m[1], tool, budget - size);
    if (size > budget) return size;
  }
  return size + Buffer.byteLength(text.slice(last));
}

function placeholderBytes(name: string, tool: ToolSpec, budget: number): number {
  switch (name) {
    case 'tool.parameters':
      return jsonByteSize(tool.parameters, 2, budget);
    case 'tool.response_schema':
      return jsonByteSize(tool.response_schema, 2, budget);
    case 'tool.error_schema':
      return jsonByteSize(tool.error_schema ?? DEFAULT_ERROR_SCHEMA, 2, budget);
    default:
      return Buffer.byteLength(PLACEHOLDERS[name](tool, {}, ''));
  }
}

/** How many times `arguments` appears in a text (each copy is the call's compact JSON). */
function argumentSlots(text: string): number {
  return [...text.matchAll(PLACEHOLDER)].filter((m) => m[1] === 'arguments').length;
}

/**
 * Literal pieces at least this long are marked as shared texts (util/shared-text.ts): a record stores them once
 * per run (records/text-store.ts). Shorter ones ("\n\nResponse:") cost less inline than as a reference.
 */
export const MIN_SHARED_CHARS = 256;

/** Where the shared texts of one rendered text go: the list, and the text's JSON Pointer in the rendered prompt. */
interface SharedOut {
  pieces: SharedPiece[];
  path: string;
}

/** Adds literal `i` of `f` to `shared` when it is long enough, found at `at` in the text. */
function noteShared(shared: SharedOut, f: FilledText, i: number, at: number): void {
  if (f.literals[i].length >= MIN_SHARED_CHARS) shared.pieces.push({ path: shared.path, at, text: f.literals[i] });
}

/** Names `text` as the string the pieces noted since `first` are in (SharedPiece.in). */
function sharedIn(shared: SharedOut, first: number, text: string): string {
  for (let k = first; k < shared.pieces.length; k++) shared.pieces[k].in = text;
  return text;
}

/**
 * A filled text for one call: the literals with the per-call values between them, and its JSON string literal
 * (quotes included) made from the pre-escaped literals. Shared pieces are noted where they fall.
 */
function renderFilledJson(f: FilledText, tool: ToolSpec, args: Record<string, unknown>, history: string, shared: SharedOut): { text: string; json: string } {
  const first = shared.pieces.length;
  noteShared(shared, f, 0, 0);
  let text = f.literals[0];
  let json = f.escaped[0];
  let piecewise = f.piecewise;
  for (let i = 0; i < f.calls.length; i++) {
    const value = PLACEHOLDERS[f.calls[i]](tool, args, history);
    piecewise &&= endsSafely(value);
    text += value;
    noteShared(shared, f, i + 1, text.length);
    text += f.literals[i + 1];
    json += escapeJson(value) + f.escaped[i + 1];
  }
  return { text: sharedIn(shared, first, text), json: piecewise ? `"${json}"` : JSON.stringify(text) };
}

export function loadPromptTemplate(file: string): PromptTemplate {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new UserError(`prompt template ${file}: cannot read it (${(err as Error).message})`);
  }
  const fail = (message: string): never => {
    throw new UserError(`prompt template ${file}: ${message}`);
  };
  let doc: any;
  try {
    doc = parseUserYaml(bytes);
  } catch (err) {
    fail((err as Error).message);
  }
  if (!doc || typeof doc !== 'object') fail('expected a mapping with id, version, api and the prompt text');
  const id = doc.id,
    version = doc.version === undefined ? undefined : String(doc.version),
    api = doc.api;
  if (typeof id !== 'string' || !id) fail('`id` must be a non-empty string');
  if (!version) fail('`version` is required');
  if (api !== 'chat' && api !== 'completions') fail('`api` must be chat or completions');
  const texts: Record<string, unknown> = api === 'chat' ? { system: doc.system, user: doc.user } : { prompt: doc.prompt };
  if (api === 'chat' && typeof doc.user !== 'string') fail('`user` (the user message) is required for api: chat');
  if (api === 'chat' && doc.system !== undefined && typeof doc.system !== 'string') fail('`system` must be a string');
  if (api === 'completions' && typeof doc.prompt !== 'string') fail('`prompt` is required for api: completions');
  if (api === 'completions' && (doc.system !== undefined || doc.user !== undefined)) {
    fail('`system` and `user` are for api: chat; a completions template has only `prompt`');
  }
  for (const [field, text] of Object.entries(texts)) {
    if (typeof text !== 'string') continue;
    for (const m of text.matchAll(PLACEHOLDER)) {
      if (!(m[1] in PLACEHOLDERS)) {
        fail(
          `unknown placeholder {{${m[1]}}} in \`${field}\`; known: ${Object.keys(PLACEHOLDERS)
            .map((k) => `{{${k}}}`)
            .join(', ')}`,
        );
      }
    }
  }

  const system: string | undefined = doc.system,
    user: string = doc.user,
    prompt: string = doc.prompt;
  const historyMax: number | undefined = doc.history_max_tokens;
  if (historyMax !== undefined && !(Number.isInteger(historyMax) && historyMax > 0)) fail('`history_max_tokens` must be a positive integer');
  const usesHistory = Object.values(texts).some((t) => typeof t === 'string' && [...t.matchAll(PLACEHOLDER)].some((m) => m[1] === 'history'));
  // Per tool object: the template with that tool's placeholders filled. A suite's ToolSpecs are not
  // mutated after loading; a WeakMap lets a dropped tool be collected.
  const perTool = new WeakMap<ToolSpec, { system?: FilledText; main: FilledText }>();
  const filled = (tool: ToolSpec) => {
    let f = perTool.get(tool);
    if (!f) {
      f =
        api === 'completions'
          ? { main: fillForTool(prompt, tool) }
          : { ...(system !== undefined ? { system: fillForTool(system, tool) } : {}), main: fillForTool(user, tool) };
      perTool.set(tool, f);
    }
    return f;
  };
  const texts_ = (api === 'completions' ? [prompt] : [system, user]).filter((t): t is string => typeof t === 'string');
  const slots = texts_.reduce((n, t) => n + argumentSlots(t), 0);
  // Per tool object, as for `filled`: the tool's part of the prompt size is the same for every call.
  const toolBytes = new WeakMap<ToolSpec, number>();
  // Rendered only for a template that shows it: single-call templates pay nothing for sessions.
  const historyText = (history: HistoryInput | undefined) =>
    usesHistory ? renderHistory(history?.turns ?? [], { maxTokens: historyMax, tokensPerChar: history?.tokensPerChar }) : '';
  const renderWithJson: PromptTemplate['renderWithJson'] = (tool, args, history) => {
    const f = filled(tool);
    const h = historyText(history);
    // The tool's parts of the prompt are marked as shared texts, at their place in the rendered prompt.
    const pieces: SharedPiece[] = [];
    if (api === 'completions') {
      const main = renderFilledJson(f.main, tool, args, h, { pieces, path: '/prompt' });
      return { rendered: markSharedTexts({ prompt: main.text }, pieces), json: main.json };
    }
    // The same key order as the objects below, so the text is JSON.stringify(messages) byte for byte.
    const messages: ChatMessage[] = [];
    let json = '[';
    if (f.system) {
      const system = renderFilledJson(f.system, tool, args, h, { pieces, path: '/messages/0/content' });
      messages.push({ role: 'system', content: system.text });
      json += `{"role":"system","content":${system.json}},`;
    }
    const main = renderFilledJson(f.main, tool, args, h, { pieces, path: `/messages/${messages.length}/content` });
    messages.push({ role: 'user', content: main.text });
    json += `{"role":"user","content":${main.json}}]`;
    return { rendered: markSharedTexts({ messages }, pieces), json };
  };
  return {
    id,
    version: version!,
    api,
    file,
    sha256: sha256(bytes),
    ...(historyMax !== undefined ? { history_max_tokens: historyMax } : {}),
    uses_history: usesHistory,
    // One rendering: a caller that has no use for the JSON pays only for escaping the call's own values.
    render: (tool, args, history) => renderWithJson(tool, args, history).rendered,
    renderWithJson,
    measure(tool, args, budget) {
      let fixed = toolBytes.get(tool);
      if (fixed === undefined) {
        fixed = texts_.reduce((n, t) => n + toolTextBytes(t, tool, budget - n), 0);
        toolBytes.set(tool, fixed);
      }
      if (fixed > budget || slots === 0) return fixed;
      return fixed + slots * jsonByteSize(args, 0, budget - fixed);
    },
  };
}
