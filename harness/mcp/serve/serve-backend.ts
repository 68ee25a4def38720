/**
 * The call path of `serve-mcp`: which target answers (gtm, real, or hybrid switching at a call count or a
 * time, as the agent modes do), with the MCP session's history kept per session for the simulator and a
 * session key for stateful real tools, and every call scored and written as a run record that
 * `gtm-bench report` reads.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ScoreItem } from '../../engine/run-items.js';
import type { WorkItem } from '../../plan/types.js';
import { buildRecord } from '../../engine/build-record.js';
import type { RecordSink } from '../../records/writer.js';
import type { SessionTurn } from '../../prompts/history.js';
import type { SessionContext } from '../../targets/types.js';
import type { ToolSpec } from '../../suite/types.js';
import type { Observation, Target } from '../../targets/types.js';
import { hashId } from '../../util/hash.js';
import type { ValidateFunction } from 'ajv';
import { compileToolSchema } from '../../suite/schema-ajv.js';

export type Backend = 'gtm' | 'real' | 'hybrid';

export interface Switch {
  /** Hybrid: calls (over the whole server) answered by gtm before real takes over. */
  afterCalls?: number;
  /** Hybrid: seconds after start-up at which real takes over. */
  afterSeconds?: number;
}

export interface ServeBackendOptions {
  backend: Backend;
  gtm?: Target;
  real?: Target;
  switch: Switch;
  scoreItem: ScoreItem;
  sink: RecordSink;
  seed: number;
  now?: () => number;
}

/** Length 0: open-ended (a served session ends when the client closes it, not at a known step). */
const OPEN_ENDED = 0;

export class ServeBackend {
  readonly #o: ServeBackendOptions;
  readonly #started: number;
  #calls = 0;
  readonly #sessions = new Map<string, { history: SessionTurn[]; steps: number; targets: Set<Target> }>();
  readonly #validators = new Map<string, ValidateFunction>();
  /** Calls per target, for the end-of-serve line. */
  readonly counts: Record<string, number> = {};

  constructor(o: ServeBackendOptions) {
    this.#o = o;
    this.#started = o.now ? o.now() : performance.now();
  }

  #validator(tool: ToolSpec): ValidateFunction {
    let v = this.#validators.get(tool.name);
    if (!v) this.#validators.set(tool.name, (v = compileToolSchema(tool.parameters)));
    return v;
  }

  /** The target for the next call (hybrid: gtm until the switch, real after it). */
  #pick(): Target {
    const { backend, gtm, real, switch: sw } = this.#o;
    if (backend === 'gtm') return gtm!;
    if (backend === 'real') return real!;
    const elapsed = ((this.#o.now ? this.#o.now() : performance.now()) - this.#started) / 1000;
    const switched = (sw.afterCalls !== undefined && this.#calls >= sw.afterCalls) || (sw.afterSeconds !== undefined && elapsed >= sw.afterSeconds);
    return switched ? real! : gtm!;
  }

  async call(sessionId: string, tool: ToolSpec, args: Record<string, unknown>): Promise<CallToolResult> {
    const target = this.#pick();
    this.#calls++;
    let s = this.#sessions.get(sessionId);
    if (!s) {
      s = { history: [], steps: 0, targets: new Set() };
      this.#sessions.set(sessionId, s);
    }
    const step = s.steps++;
    s.targets.add(target);
    const key = `${target.name}\u0000${sessionId}`;
    const session: SessionContext = { key, step, length: OPEN_ENDED, history: [...s.history] };
    const callId = `${sessionId}#${step}`;
    // A live call has no dataset row to say whether it is valid: arguments outside the tool's parameters are
    // what a faithful tool refuses, so such a call is scored as expect_error (and its refusal as correct).
    const invalid = !this.#validator(tool)(args);
    const call = {
      id: callId,
      tool: tool.name,
      arguments: args,
      source: { dataset: 'serve-mcp', line: 0 },
      ...(invalid ? { expect_error: true } : {}),
      session: { id: sessionId, step, length: OPEN_ENDED, history: 'own' as const },
    };
    const seed = parseInt(hashId({ seed: this.#o.seed, call: callId }).slice(0, 8), 16);
    const item: WorkItem = { id: hashId({ serve: callId, target: target.name }), call, target: target.name, repeat: 0, seed };
    const startedAt = new Date().toISOString();
    let obs: Observation;
    try {
      obs = await target.call({ tool, call, repeat: 0, seed, session });
    } catch (err) {
      obs = {
        raw: null,
        request: { tool: tool.name, arguments: args },
        latency_ms: 0,
        retries: 0,
        error: { class: 'tool_failure', message: `target threw: ${(err as Error)?.message ?? err}` },
      };
    }
    const { parsed, scores } = await this.#o.scoreItem(item, obs);
    this.#o.sink.write(buildRecord(item, target.backend, startedAt, obs, parsed, scores));
    this.counts[target.name] = (this.counts[target.name] ?? 0) + 1;
    s.history.push({ tool: tool.name, arguments: args, response: obs.raw });
    if (obs.error || obs.raw === null)
      return { content: [{ type: 'text', text: `${target.name}: ${obs.error?.class ?? 'no answer'}: ${obs.error?.message ?? ''}` }], isError: true };
    const value = parsed?.value;
    const isError = !!value && typeof value === 'object' && !Array.isArray(value) && 'error' in value;
    return { content: [{ type: 'text', text: obs.raw }], ...(isError ? { isError: true } : {}) };
  }

  /** The MCP session ended: stateful targets drop what they kept for it. */
  async endSession(sessionId: string): Promise<void> {
    const s = this.#sessions.get(sessionId);
    this.#sessions.delete(sessionId);
    for (const t of s?.targets ?? []) await t.endSession?.(`${t.name}\u0000${sessionId}`);
  }

  async close(): Promise<void> {
    await Promise.all([...this.#sessions.keys()].map((id) => this.endSession(id)));
  }
}
