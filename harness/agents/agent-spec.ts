/**
 * The optional `agent:` section of a suite: an agent rollout (Search-R1-style search, kernels) whose tool is
 * chosen by mode. Its shape is checked by suite.schema.json; here: the policy endpoint (endpoint/build-endpoint.ts,
 * as for a target or the judge: an unset variable marks it not configured), defaults, and the checks the
 * schema cannot express: the dialect is registered for the task, backends name targets of the suite, every
 * mode has the backends it needs, the tools exist, the task file exists, options are the dialect's.
 */
import { dirname, resolve } from 'node:path';
import type { Problem } from '../util/errors.js';
import { missingFile } from '../suite/checks.js';
import { didYouMean, showValue } from '../suite/describe.js';
import { problemAt, type SourceFile } from '../suite/source.js';
import { buildEndpoint } from '../endpoint/build-endpoint.js';
import { ENDPOINT_DEFAULTS } from '../endpoint/model-endpoint.js';
import { dialectRegistration, knownDialects } from './dialects.js';
import type { PolicySpec } from './policy.js';
import type { AgentMode, AgentTaskKind, ToolBackendName } from './types.js';
import { defineSection } from '../suite/sections.js';

export interface AgentSpec {
  task: AgentTaskKind;
  dialect: string;
  /** Absolute path of the task file (QA JSONL for search). */
  tasks: string;
  on_bad_row: 'fail' | 'skip';
  /** Suite tools the agent may call (default: all of them). */
  tools: string[];
  /** Target names of the suite behind each backend. */
  backends: Partial<Record<ToolBackendName, string>>;
  policy: PolicySpec;
  /** Modes run when the command line names none. */
  modes: AgentMode[];
  /** hybrid: gtm for steps < switch_step, real from then on. */
  switch_step?: number;
  /** How many steps a run makes, from start_step. */
  steps: number;
  start_step: number;
  batch_size: number;
  max_turns: number;
  /** Dialect options (e.g. top_k). */
  options: Record<string, unknown>;
}

/** Search-R1's defaults: batch 512 in its paper; a local default has to be smaller. 4 turns as in its training script. */
export const AGENT_DEFAULTS = { steps: 1, start_step: 0, batch_size: 8, max_turns: 4, policy_timeout_ms: ENDPOINT_DEFAULTS.timeout_ms } as const;

type Raw = Record<string, any>;

export function buildAgentSpec(
  src: SourceFile,
  raw: Raw,
  suite: { targets: string[]; tools: string[] },
  env: Record<string, string | undefined>,
): { agent: AgentSpec; problems: Problem[] } {
  const problems: Problem[] = [];
  const at = (pointer: string, message: string, where: 'key' | 'value' = 'value') => problems.push(problemAt(src, `/agent${pointer}`, message, where));

  const reg = dialectRegistration(raw.dialect);
  if (!reg) {
    const guess = didYouMean(raw.dialect, knownDialects());
    at('/dialect', `unknown dialect ${showValue(raw.dialect)}${guess ? ` (did you mean ${guess}?)` : ''}; known dialects: ${knownDialects().join(', ')}`);
  } else if (reg.task !== raw.task) {
    at('/dialect', `dialect ${raw.dialect} is for the ${reg.task} task, but agent.task is ${raw.task}`);
  }
  for (const key of Object.keys(raw.options ?? {})) {
    if (reg && !(key in reg.options))
      at(`/options/${key}`, `dialect ${raw.dialect} takes no option ${key}; its options: ${Object.keys(reg.options).join(', ') || 'none'}`, 'key');
  }
  const why = missingFile(src, raw.tasks);
  if (why) at('/tasks', `task file not found (${why})`);

  const tools: string[] = raw.tools ?? suite.tools;
  tools.forEach((t, i) => {
    if (!suite.tools.includes(t)) at(`/tools/${i}`, `expected a tool of this suite, found ${showValue(t)}; its tools are ${suite.tools.join(', ')}`);
  });
  const backends: Partial<Record<ToolBackendName, string>> = raw.backends ?? {};
  for (const [b, name] of Object.entries(backends)) {
    if (!suite.targets.includes(name!))
      at(`/backends/${b}`, `expected the name of a target of this suite, found ${showValue(name)}; its targets are ${suite.targets.join(', ')}`);
  }
  const modes: AgentMode[] = raw.modes ?? (['real', 'gtm'] as AgentMode[]).filter((m) => backends[m as ToolBackendName]);
  modes.forEach((mode, i) => {
    const needs: ToolBackendName[] = mode === 'hybrid' ? ['gtm', 'real'] : [mode];
    for (const b of needs)
      if (!backends[b])
        at(
          raw.modes ? `/modes/${i}` : '/backends',
          `mode ${mode} needs backends.${b} (the target that answers tool calls ${b === 'gtm' ? 'in simulation' : 'for real'})`,
        );
    if (mode === 'hybrid' && raw.switch_step === undefined)
      at(raw.modes ? `/modes/${i}` : '', 'mode hybrid needs switch_step (the first step answered by the real tool)');
  });

  // The policy is a model endpoint like a target or the judge; its concurrency is the batch size (a step's
  // episodes all run at once), which --batch-size overrides at run time.
  const batchSize = raw.batch_size ?? AGENT_DEFAULTS.batch_size;
  const built = buildEndpoint(src, '/agent/policy', raw.policy as Raw, env, { timeout_ms: AGENT_DEFAULTS.policy_timeout_ms, concurrency: batchSize });
  problems.push(...built.problems);
  const policy: PolicySpec = built.endpoint;
  const agent: AgentSpec = {
    task: raw.task,
    dialect: raw.dialect,
    tasks: resolve(dirname(src.path), raw.tasks),
    on_bad_row: raw.on_bad_row ?? 'fail',
    tools,
    backends,
    policy,
    modes,
    ...(raw.switch_step !== undefined ? { switch_step: raw.switch_step } : {}),
    steps: raw.steps ?? AGENT_DEFAULTS.steps,
    start_step: raw.start_step ?? AGENT_DEFAULTS.start_step,
    batch_size: batchSize,
    max_turns: raw.max_turns ?? AGENT_DEFAULTS.max_turns,
    options: raw.options ?? {},
  };
  return { agent, problems };
}

declare module '../suite/types.js' {
  interface SuiteSections {
    /** An agent rollout whose tool is chosen by mode (real, gtm, hybrid). */
    agent: AgentSpec;
  }
}

/** The `agent:` section: rollouts of a policy against the suite's tools in real, gtm and hybrid modes. */
export const agentSection = defineSection({
  key: 'agent',
  schemaDef: 'agent',
  build: (raw, ctx) => {
    const { agent, problems } = buildAgentSpec(ctx.src, raw, { targets: ctx.targets.map((t) => t.name), tools: ctx.tools }, ctx.env);
    return { value: agent, problems };
  },
});
