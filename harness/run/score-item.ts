/**
 * Builds the engine's scoring step for a suite: parse the response text, then run the metric families the
 * suite names (scoring/metric-registry.ts), in registry order. Tools are compiled once here (schemas,
 * invariant expressions) and the families looked up once, not per call.
 */
import { parseToolOutput } from '../parse/json-from-text.js';
import type { ScoreItem, Scored } from '../engine/run-items.js';
import { compileTool } from '../scoring/compile.js';
import type { ScoreContext } from '../scoring/metric-family.js';
import { responseFamilies } from '../scoring/metric-registry.js';
import type { CompiledTool, Score } from '../scoring/types.js';
import type { LoadedSuite, Suite } from '../suite/types.js';
import { errorBoilerplate } from '../scoring/error-boilerplate.js';
import type { JudgeStage } from '../judge/judge-stage.js';
import { DEFAULT_LIMITS } from '../suite/limits.js';

/** Each tool's error boilerplate (error-boilerplate.ts), learnt from the suite's dataset calls. */
export function boilerplateByTool(suite: ScorerSuite): Map<string, ReadonlySet<string> | undefined> {
  const calls = suite.calls ?? [];
  return new Map(suite.tools.map((t) => [t.name, errorBoilerplate(t.name, calls)]));
}

/**
 * `judge` is given only when the suite asks for judge metrics and its judge endpoint is configured.
 * `boilerplate`: learnt already (a score worker gets it from the main thread instead of the dataset).
 */
/** What scoring reads of a suite (plain data: a score worker gets it by structured clone). */
export type ScorerSuite = Pick<Suite, 'tools' | 'metrics'> & { limits?: Suite['limits']; calls?: LoadedSuite['calls'] };

export function createScorer(
  suite: ScorerSuite,
  judge?: JudgeStage,
  opts: { signal?: AbortSignal; boilerplate?: Map<string, ReadonlySet<string> | undefined> } = {},
): ScoreItem {
  const limits = suite.limits ?? DEFAULT_LIMITS;
  const learnt = opts.boilerplate ?? boilerplateByTool(suite);
  const tools = new Map<string, CompiledTool>(
    suite.tools.map((t) => {
      const tool = compileTool(t, { invariantTimeoutMs: limits.invariant_timeout_ms });
      const boilerplate = learnt.get(t.name);
      return [t.name, boilerplate ? { ...tool, errorBoilerplate: boilerplate } : tool];
    }),
  );
  // The loader has already rejected unknown names. A family that needs a judge runs only with one.
  const families = responseFamilies(suite.metrics).filter((f) => !f.needs.judge || judge);
  const ctx: ScoreContext = { ...(judge ? { judge } : {}), ...(opts.signal ? { signal: opts.signal } : {}) };
  return (item, obs, earlier) => {
    // No answer, no fidelity score: transport failures are counted in the error rate instead, so a flaky
    // server shows up as errors rather than as a simulator that writes bad JSON.
    if (obs.error || obs.raw === null) return { parsed: undefined, scores: [] };
    const tool = tools.get(item.call.tool)!;
    const parsed = parseToolOutput(obs.raw, { maxDepth: limits.json_depth });
    const input = { tool, call: item.call, parsed, reference: item.call.reference, raw: obs.raw, ...(earlier ? { earlier } : {}) };
    const scores: Score[] = [];
    // Synchronous while every family is (format, logic, semantic); from the first that waits (a judge, an
    // invariant past its synchronous slice), the rest in order after it.
    for (let i = 0; i < families.length; i++) {
      const out = families[i].score(input, ctx);
      if (out instanceof Promise) return scoreRest(out, i);
      scores.push(...out);
    }
    return { parsed, scores };

    async function scoreRest(pending: Promise<Score[]>, at: number): Promise<Scored> {
      scores.push(...(await pending));
      for (let i = at + 1; i < families.length; i++) {
        const out = families[i].score(input, ctx);
        scores.push(...(out instanceof Promise ? await out : out));
      }
      return { parsed, scores };
    }
  };
}
