/**
 * Shared shape of the search targets that call a service over HTTP (real:retrieve-http, real:web-search):
 * the `search` tool's arguments are checked here exactly as the embedded tool checks them (same refusal
 * object), a valid call goes to the service, and transport failures become the Observation's error class
 * (timeout, http_5xx, ...) rather than a tool failure: the service did not answer, which is not the tool's answer.
 */
import type { SearchHit } from '../tools/search/bm25-index.js';
import { checkSearchArgs, formatSearchResults, type AnswerBox } from '../tools/search/search-tool.js';
import type { CallContext, CallError, Observation, Target } from './types.js';

export interface RemoteSearchOutcome {
  ok: boolean;
  hits?: SearchHit[];
  /** A web engine's direct answer, passed through to the tool's answer. */
  answer_box?: AnswerBox;
  error?: CallError;
  latency_ms: number;
  retries: number;
}

export interface RemoteSearchTargetOptions {
  name: string;
  kind: string;
  backend: string;
  describe: Record<string, unknown>;
  defaultTopK: number;
  unavailable?: string;
  search(query: string, k: number, signal?: AbortSignal): Promise<RemoteSearchOutcome>;
  close(): Promise<void>;
}

export function createRemoteSearchTarget(opts: RemoteSearchTargetOptions): Target {
  return {
    name: opts.name,
    kind: opts.kind,
    backend: opts.backend,
    ...(opts.unavailable ? { unavailable: opts.unavailable } : {}),
    describe: () => ({ name: opts.name, kind: opts.kind, backend: opts.backend, ...opts.describe }),
    async call(ctx: CallContext): Promise<Observation> {
      const request = { tool: ctx.tool.name, arguments: ctx.call.arguments };
      if (ctx.tool.name !== 'search') {
        return {
          raw: null,
          request,
          latency_ms: 0,
          retries: 0,
          error: { class: 'tool_failure', message: `${opts.kind} implements the search tool, not ${ctx.tool.name}` },
        };
      }
      const start = performance.now();
      const args = checkSearchArgs(ctx.call.arguments, opts.defaultTopK);
      if ('error' in args) return { raw: JSON.stringify(args), request, latency_ms: performance.now() - start, retries: 0, error: null };
      const r = await opts.search(args.query, args.top_k, ctx.signal);
      if (!r.ok || !r.hits)
        return { raw: null, request, latency_ms: r.latency_ms, retries: r.retries, error: r.error ?? { class: 'bad_response', message: 'no results' } };
      return { raw: JSON.stringify(formatSearchResults(r.hits, args.top_k, r.answer_box)), request, latency_ms: r.latency_ms, retries: r.retries, error: null };
    },
    close: opts.close,
  };
}
