/**
 * Agent rollouts: the types shared by the episode loop, the modes, the step-time accounting and every task.
 *
 * How a rollout runs (episode.ts, run-steps.ts):
 *   - A training step = `batch_size` episodes run concurrently. The run is told which step it is at; the
 *     mode picks the tool backend for that step (modes.ts): `real` -> the real tool target, `gtm` -> the
 *     simulator target (an `openai` target with the GTM prompt template, exactly what the fidelity suites
 *     measure), `hybrid` -> gtm while step < switch_step, real from then on.
 *   - An episode: dialect.initialMessages(task) -> [policy turn -> dialect.parseAction(reply) -> tool calls
 *     on the backend -> dialect.observationMessages(...)]* until an answer, an invalid action budget, or
 *     max_turns -> dialect.reward(task, end). Policy time and tool time are measured around each call.
 *   - Files: episodes.jsonl (EpisodeRecord per line) and steps.jsonl (StepRecord per line), appended and
 *     written per line; summary.json's `agent` section (agent-summary.ts) is a pure reduction over them.
 *
 * What a new task (e.g. kernels) supplies, and nothing else:
 *   1. a Dialect<YourTask> (a folder per task, e.g. harness/agents/kernel/kernel-v1.ts): first messages, action parser, observation
 *      formatter, reward (and `rewardNames`);
 *   2. a loader of its tasks into AgentTask values (id + payload), registered with the dialect;
 *   3. one `registerDialect(...)` line in harness/agents/dialects-builtin.ts.
 * The tool itself is an ordinary Target from harness/targets/registry.ts (e.g. `real:kernel-eval`), named in
 * the suite's `agent.backends`, plus a ToolSpec in the suite's `tools` that the GTM side is prompted with.
 */
import type { MetricKind } from '../scoring/metric-family.js';
import type { LoadedSuite, ToolSpec } from '../suite/types.js';
import type { CallError } from '../net/call-error.js';
import type { TokenUsage } from '../records/types.js';

/** How the tool behind the agent is chosen for a step. */
export type AgentMode = 'real' | 'gtm' | 'hybrid';
export const AGENT_MODES: readonly AgentMode[] = ['real', 'gtm', 'hybrid'];

/** The backend that actually answered a tool call. */
export type ToolBackendName = 'real' | 'gtm';

/** Which paper experiment a dialect reproduces. */
export type AgentTaskKind = 'search' | 'kernel' | 'session';

/** One task an episode starts from. `payload` is whatever the task's loader produced (question + golden
 *  answers for search; a reference implementation for kernels); only the task's own dialect reads it. */
export interface AgentTask<P = Record<string, unknown>> {
  id: string;
  payload: P;
  /** Where the task came from (file and 1-based line), for messages. */
  source?: { file: string; line: number };
}

/** A tool call as an OpenAI-compatible server returns it (function calling). */
export interface PolicyToolCall {
  id: string;
  name: string;
  /** The arguments as the model wrote them: JSON text, not yet parsed (it may be invalid). */
  arguments: string;
}

/** The conversation sent to the policy, in the OpenAI chat shape (tool messages for function calling). */
export type AgentMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: { id: string; type: 'function'; function: { name: string; arguments: string } }[] }
  | { role: 'tool'; content: string; tool_call_id: string };

/** What the policy answered for one turn. */
export interface PolicyReply {
  text: string;
  tool_calls: PolicyToolCall[];
  finish_reason?: string;
}

/** A function definition offered to the policy in the request's `tools` (OpenAI function calling). */
export interface PolicyToolDefinition {
  type: 'function';
  function: { name: string; description: string; parameters: unknown };
}

/** One tool invocation the policy asked for; `tool` is a ToolSpec name from the suite. */
export interface ToolInvocation {
  tool: string;
  arguments: Record<string, unknown>;
  /** The function-calling id, echoed back in the tool message. */
  call_id?: string;
}

/** The policy's action in one turn, as the dialect read it. */
export type AgentAction = { kind: 'tool'; calls: ToolInvocation[] } | { kind: 'answer'; answer: string } | { kind: 'invalid'; reason: string };

/** What a tool backend gave back for one invocation, parsed (a simulator's text goes through parse/json-from-text). */
export interface ToolOutcome {
  invocation: ToolInvocation;
  backend: ToolBackendName;
  /** The parsed value when the call answered with JSON; undefined otherwise. */
  value?: unknown;
  /** The raw text the backend returned (null on transport errors). */
  raw: string | null;
  /** Transport or tool failure (timeout, connection, tool threw), or a response with no JSON in it. */
  error: CallError | null;
  latency_ms: number;
}

/** How an episode ended. */
export type EpisodeEndReason = 'answer' | 'max_turns' | 'policy_error' | 'context_limit';

export interface EpisodeEnd {
  reason: EpisodeEndReason;
  /** The final answer when the policy gave one. */
  answer: string | null;
  /** Every tool outcome of the episode, in order (a kernel reward reads the evaluator's last verdict here). */
  outcomes: ToolOutcome[];
}

/**
 * What differs between tasks. A dialect is stateless: the loop owns the conversation.
 * Everything except `reward` must be pure and fast (it runs inside the timed loop, between timed calls).
 */
export interface Dialect<P = Record<string, unknown>> {
  /** e.g. 'search-r1-tags', 'openai-tools', 'kernel-v1'; written into summary.json `agent.dialect`. */
  readonly name: string;
  readonly task: AgentTaskKind;
  /** Reward components, in the order reports list them (e.g. ['em', 'f1']). Every reward() returns all of them. */
  readonly rewardNames: readonly string[];
  /** Stop sequences the dialect needs on every policy request (added to the suite's `stop`). */
  readonly stop?: readonly string[];
  /** Function definitions for the request's `tools` (function-calling dialects); undefined for text dialects. */
  policyTools?(tools: readonly ToolSpec[]): PolicyToolDefinition[];
  /** The conversation an episode starts from. */
  initialMessages(task: AgentTask<P>, tools: readonly ToolSpec[]): AgentMessage[];
  /** Reads the policy's action from its reply. Never throws: a reply it cannot read is `invalid`. */
  parseAction(reply: PolicyReply, tools: readonly ToolSpec[], task?: AgentTask<P>): AgentAction;
  /** The assistant turn as it enters the conversation (e.g. a stop sequence the server cut off put back). */
  assistantMessage(reply: PolicyReply, action: AgentAction): AgentMessage;
  /** What the policy sees next: the tool outcomes of a `tool` action, or a correction after an `invalid` one. */
  observationMessages(action: AgentAction, outcomes: readonly ToolOutcome[]): AgentMessage[];
  /** The episode's reward by component. May be async (a kernel reward may run the real evaluator). */
  reward(task: AgentTask<P>, end: EpisodeEnd): Record<string, number> | Promise<Record<string, number>>;
}

/** Sends one policy turn. Implemented over harness/targets/openai-client.ts (policy.ts); a test may pass its own. */
export interface PolicyClient {
  readonly backend: string;
  turn(messages: readonly AgentMessage[], tools: PolicyToolDefinition[] | undefined, signal?: AbortSignal): Promise<PolicyTurnResult>;
  describe(): Record<string, unknown>;
  close(): Promise<void>;
}

export interface PolicyTurnResult {
  reply: PolicyReply | null;
  error: CallError | null;
  latency_ms: number;
  usage?: TokenUsage;
  retries: number;
}

/** One turn of an episode, as written into episodes.jsonl. */
export interface TurnRecord {
  policy_ms: number;
  /** Time from the first tool call of the turn to the last answer (calls of one turn run concurrently); 0 without tools. */
  tool_ms: number;
  action: AgentAction;
  /** Which backend answered this turn's tool calls; null when the turn called no tool. */
  backend: ToolBackendName | null;
  tool_calls: number;
  /** Latency of each tool call of the turn (ms), as the backend measured it: one tool call, not the step. */
  tool_latency_ms: number[];
  /** Tool failures of the turn (timeouts, unparseable simulator text), by class. */
  tool_errors?: string[];
  /** The policy's text for this turn, as the server returned it. */
  reply?: string;
  finish_reason?: string;
  usage?: TokenUsage;
  policy_error?: CallError;
}

/** One line of episodes.jsonl. */
export interface EpisodeRecord {
  step: number;
  mode: AgentMode;
  /** One entry per turn: the backend that answered that turn's tool calls, null for a turn without tools. */
  tool_backend_per_turn: (ToolBackendName | null)[];
  task_id: string;
  /** Position of the episode in its step's batch. */
  index: number;
  turns: TurnRecord[];
  end: EpisodeEndReason;
  answer: string | null;
  reward: Record<string, number>;
  wall_ms: number;
}

/** One line of steps.jsonl. policy_ms and tool_ms are summed over the step's episodes (they overlap in time,
 *  so either may exceed wall_ms); wall_ms is the step's elapsed time from its first request to its last answer. */
export interface StepRecord {
  mode: AgentMode;
  step: number;
  batch_size: number;
  /** The backend the step's tool calls went to (hybrid switches between steps, never inside one). */
  tool_backend: ToolBackendName;
  wall_ms: number;
  policy_ms: number;
  tool_ms: number;
  tool_calls: number;
  reward_mean: Record<string, number>;
}

/** Everything a dialect's task loader gets. */
export interface TaskLoadContext {
  suite: LoadedSuite;
  /** Absolute path of the task file named in the suite's `agent.tasks`. */
  file: string;
  /** Malformed lines: fail (default) or skip with a message each. */
  on_bad_row: 'fail' | 'skip';
}

export interface TaskLoadResult<P = Record<string, unknown>> {
  tasks: AgentTask<P>[];
  /** Messages for skipped rows ("file:line: ..."). */
  skipped: string[];
}

/** What a dialect registers: how to make the dialect from the suite's `agent.options`, and how to load its tasks. */
export interface DialectRegistration<P = Record<string, unknown>> {
  task: AgentTaskKind;
  /** One line for listings and for the unknown-dialect message. */
  description: string;
  /** Options the dialect accepts in `agent.options` (checked by the suite loader), with one line each. */
  options: Record<string, string>;
  /** Builds the dialect; throws a UserError naming the option when an option is bad. */
  create(options: Record<string, unknown>): Dialect<P>;
  /** The kind of each reward (binary, bounded in [0, 1], unbounded >= 0): fixes its interval in the summary. */
  rewardKinds?: Record<string, MetricKind>;
  loadTasks(ctx: TaskLoadContext): TaskLoadResult<P>;
}
