/**
 * One episode: the conversation between the policy and the tool backend of its step, from the dialect's first
 * messages to an answer, a policy failure or max_turns, then the dialect's reward. Policy time and tool time are
 * measured around each call (performance.now), so the step's accounting can tell them apart.
 */
import type { ToolSpec } from '../suite/types.js';
import { hashId } from '../util/hash.js';
import { callTool, EpisodeSession, type ToolBackend } from './tool-call.js';
import type { AgentMode, AgentTask, Dialect, EpisodeEndReason, EpisodeRecord, PolicyClient, ToolOutcome, TurnRecord } from './types.js';

export interface EpisodeContext {
  dialect: Dialect<any>;
  policy: PolicyClient;
  /** The tools the agent may call, in suite order. */
  tools: readonly ToolSpec[];
  backend: ToolBackend;
  max_turns: number;
  seed: number;
  signal?: AbortSignal;
}

export interface EpisodeMeta {
  step: number;
  mode: AgentMode;
  index: number;
}

/** A 400 from the policy server that says the conversation no longer fits the model's context. */
const CONTEXT_LIMIT = /context length|maximum context|max_model_len|too many tokens|prompt is too long/i;

export async function runEpisode(task: AgentTask<any>, ctx: EpisodeContext, meta: EpisodeMeta): Promise<EpisodeRecord> {
  const start = performance.now();
  const { dialect, policy, tools } = ctx;
  const toolMap = new Map(tools.map((t) => [t.name, t]));
  const policyTools = dialect.policyTools?.(tools);
  const messages = dialect.initialMessages(task, tools);
  const turns: TurnRecord[] = [];
  const outcomes: ToolOutcome[] = [];
  let end: EpisodeEndReason = 'max_turns';
  let answer: string | null = null;
  const session = new EpisodeSession(`${task.id}/step${meta.step}/${meta.mode}/ep${meta.index}`, ctx.backend);
  try {
    for (let turn = 0; turn < ctx.max_turns; turn++) {
      const t0 = performance.now();
      const r = await policy.turn(messages, policyTools, ctx.signal);
      const policy_ms = performance.now() - t0;
      if (!r.reply) {
        const error = r.error ?? { class: 'bad_response' as const, message: 'no reply' };
        turns.push({
          policy_ms,
          tool_ms: 0,
          action: { kind: 'invalid', reason: `policy failed: ${error.message}` },
          backend: null,
          tool_calls: 0,
          tool_latency_ms: [],
          policy_error: error,
        });
        end = error.class === 'http_4xx' && CONTEXT_LIMIT.test(error.message) ? 'context_limit' : 'policy_error';
        break;
      }
      const reply = r.reply;
      // The task goes along for dialects whose tool arguments name it (the kernel evaluator's problem_id).
      const action = dialect.parseAction(reply, tools, task);
      messages.push(dialect.assistantMessage(reply, action));
      const record: TurnRecord = {
        policy_ms,
        tool_ms: 0,
        action,
        backend: null,
        tool_calls: 0,
        tool_latency_ms: [],
        reply: reply.text,
        ...(reply.finish_reason ? { finish_reason: reply.finish_reason } : {}),
        ...(r.usage ? { usage: r.usage } : {}),
      };
      turns.push(record);
      if (action.kind === 'answer') {
        end = 'answer';
        answer = action.answer;
        break;
      }
      let turnOutcomes: ToolOutcome[] = [];
      if (action.kind === 'tool') {
        const t1 = performance.now();
        turnOutcomes = await Promise.all(
          action.calls.map((inv, i) => {
            const call_id = `${task.id}/step${meta.step}/${meta.mode}/ep${meta.index}/turn${turn}/call${i}`;
            return callTool(ctx.backend, toolMap, inv, { call_id, seed: seedOf(ctx.seed, call_id) }, ctx.signal, session.next());
          }),
        );
        session.record(turnOutcomes);
        record.tool_ms = performance.now() - t1;
        record.backend = ctx.backend.name;
        record.tool_calls = turnOutcomes.length;
        record.tool_latency_ms = turnOutcomes.map((o) => o.latency_ms);
        const errors = turnOutcomes.filter((o) => o.error).map((o) => o.error!.class);
        if (errors.length) record.tool_errors = errors;
        outcomes.push(...turnOutcomes);
      }
      messages.push(...dialect.observationMessages(action, turnOutcomes));
      if (ctx.signal?.aborted) break;
    }
  } finally {
    await session.end();
  }
  const reward = await dialect.reward(task, { reason: end, answer, outcomes });
  return {
    step: meta.step,
    mode: meta.mode,
    tool_backend_per_turn: turns.map((t) => t.backend),
    task_id: task.id,
    index: meta.index,
    turns,
    end,
    answer,
    reward,
    wall_ms: performance.now() - start,
  };
}

/** A per-call sampling seed for a simulator: the same run asks the same call with the same seed. */
function seedOf(seed: number, callId: string): number {
  return parseInt(hashId({ seed, callId }).slice(0, 8), 16);
}
