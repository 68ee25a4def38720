/**
 * Shared plumbing for targets that answer in-process (baselines, real tools implemented in the harness):
 * they compute a value, and this turns it into an Observation with the latency measured around the
 * computation and any throw classified as a tool failure.
 */
import type { CallContext, Observation, Target } from './types.js';

export interface LocalTargetOptions {
  name: string;
  kind: string;
  backend: string;
  describe: Record<string, unknown>;
  /** Computes the tool's output value for a call; throws (with a message for the record) when it cannot. */
  answer(ctx: CallContext): unknown | Promise<unknown>;
}

export function createLocalTarget(opts: LocalTargetOptions): Target {
  return {
    name: opts.name,
    kind: opts.kind,
    backend: opts.backend,
    describe: () => ({ name: opts.name, kind: opts.kind, backend: opts.backend, ...opts.describe }),
    async call(ctx: CallContext): Promise<Observation> {
      const request = { tool: ctx.tool.name, arguments: ctx.call.arguments };
      const start = performance.now();
      try {
        let value = opts.answer(ctx);
        // A synchronous answer is timed before any await: awaiting first would add whatever other workers'
        // microtasks (scoring, writing) run in between, and report the harness's load as the tool's latency.
        let latency_ms = performance.now() - start;
        if (value instanceof Promise) {
          value = await value;
          latency_ms = performance.now() - start;
        }
        return { raw: JSON.stringify(value), request, latency_ms, retries: 0, error: null };
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        return {
          raw: null,
          request,
          latency_ms: performance.now() - start,
          retries: 0,
          error: { class: 'tool_failure', message },
        };
      }
    },
  };
}
