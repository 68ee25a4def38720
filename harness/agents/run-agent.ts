/**
 * `gtm-bench agent`: suite -> dialect + tasks -> policy client + tool backends by mode -> steps -> episodes.jsonl
 * and steps.jsonl -> summary.json (`agent` section) and report.md. This file wires the stages and owns the run
 * folder; each stage lives in its own module.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { harnessInfo, portablePath, runtimeInfo } from '../records/manifest.js';
import { createRunFolder } from '../run/run-folder.js';
import type { RunLock } from '../run/run-lock.js';
import { compactTime } from '../util/time.js';
import { loadSuite } from '../suite/load.js';
import { isOpenAITarget, type LoadedSuite, type TargetSpec } from '../suite/types.js';
import { createTarget, targetKindsForSuite } from '../targets/registry.js';
import '../builtin.js';
import type { Target } from '../targets/types.js';
import { UserError } from '../util/errors.js';
import { sha256 } from '../util/hash.js';
import { writeAgentManifest, type AgentManifest } from './agent-manifest.js';
import { writeAgentReports, type AgentSummaryFile } from './agent-files.js';
import { dialectRegistration } from './dialects.js';
import { openJsonlSink } from '../records/jsonl.js';
import { backendsNeeded } from './modes.js';
import { createPolicyClient } from './policy.js';
import { overrideEndpoint, type ModelEndpoint } from '../endpoint/model-endpoint.js';
import { endpointCheck, preflight, type EndpointCheck } from '../endpoint/preflight.js';
import { runSteps } from './run-steps.js';
import type { AgentMode, EpisodeRecord, StepRecord, ToolBackendName } from './types.js';

export interface RunAgentOptions {
  suiteFile: string;
  /** Modes to run (default: the suite's agent.modes). */
  modes?: AgentMode[];
  /** The training step to start at (default: the suite's start_step). */
  step?: number;
  /** How many steps per mode (default: the suite's steps). */
  steps?: number;
  batchSize?: number;
  policyBaseUrl?: string;
  policyModel?: string;
  /** false: skip the pre-flight GET /v1/models of the policy and model backends (--no-preflight). */
  preflight?: boolean;
  out?: string;
  argv: string[];
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
  /** Called after every step (progress lines). */
  onStep?: (record: StepRecord) => void;
}

export interface RunAgentResult {
  runDir: string;
  manifest: AgentManifest;
  summary: AgentSummaryFile;
  exitCode: number;
  /** Set when every episode ended on a policy error: the first such error. */
  policyFailure?: string;
}

export async function runAgent(opts: RunAgentOptions): Promise<RunAgentResult> {
  const env = opts.env ?? process.env;
  const suite = await loadSuite(opts.suiteFile, { env, ...targetKindsForSuite() });
  const spec = suite.agent;
  if (!spec) throw new UserError(`suite ${portablePath(suite.file)} has no agent: section; see suites/search-agent.yaml`);
  const modes = opts.modes ?? spec.modes;
  for (const m of modes) {
    const needs: ToolBackendName[] = m === 'hybrid' ? ['gtm', 'real'] : [m];
    const missing = needs.filter((b) => !spec.backends[b]);
    if (missing.length) throw new UserError(`--mode ${m} needs agent.backends.${missing.join(' and ')} in ${portablePath(suite.file)}`);
    if (m === 'hybrid' && spec.switch_step === undefined) throw new UserError(`--mode hybrid needs agent.switch_step in ${portablePath(suite.file)}`);
  }
  const start = opts.step ?? spec.start_step;
  const count = opts.steps ?? spec.steps;
  const batchSize = opts.batchSize ?? spec.batch_size;
  // The policy's concurrency is the batch size: a step's episodes all run at once.
  const policySpec = overrideEndpoint(
    spec.policy,
    { baseUrl: opts.policyBaseUrl, model: opts.policyModel, concurrency: batchSize },
    { baseUrl: '--policy-base-url', model: '--policy-model' },
  );
  if (policySpec.not_configured) {
    throw new UserError(
      `agent policy not configured: ${policySpec.not_configured} (agent.policy in ${portablePath(suite.file)}; or pass --policy-base-url and --policy-model)`,
    );
  }
  const steps = Array.from({ length: count }, (_, i) => start + i);

  // Before the tasks, the backends and the run folder: a policy server that cannot answer stops the run in seconds.
  if (opts.preflight !== false) await preflight(agentEndpoints(suite, policySpec, backendsNeeded(modes, steps, spec.switch_step)), env);

  const reg = dialectRegistration(spec.dialect)!;
  const dialect = reg.create(spec.options);
  const loaded = reg.loadTasks({ suite, file: spec.tasks, on_bad_row: spec.on_bad_row });
  for (const s of loaded.skipped) process.stderr.write(`warning: task row skipped: ${s}\n`);
  const tools = suite.tools.filter((t) => spec.tools.includes(t.name));

  const backends: Partial<Record<ToolBackendName, Target>> = {};
  const policy = createPolicyClient(policySpec, { stop: dialect.stop, env });
  let lock: RunLock | undefined;
  try {
    for (const b of backendsNeeded(modes, steps, spec.switch_step)) backends[b] = await createBackend(suite, spec.backends[b]!, b, env);

    const startedAt = new Date().toISOString();
    // Milliseconds kept: two agent runs started in the same second must not share a folder.
    const runId = `${suite.name}-agent-${compactTime(startedAt, { millis: true })}`;
    const created = createRunFolder(opts.out, runId);
    lock = created.lock;
    const runDir = created.runDir;
    const manifest: AgentManifest = {
      manifest_version: 1,
      kind: 'agent',
      run_id: runId,
      harness: harnessInfo(),
      runtime: runtimeInfo(),
      suite: { file: portablePath(suite.file), name: suite.name, version: suite.version, sha256: suite.hash, included_files: suite.included_files ?? {} },
      tasks: {
        file: portablePath(spec.tasks),
        sha256: sha256(readFileSync(spec.tasks)),
        count: loaded.tasks.length,
        skipped_rows: loaded.skipped,
        ids: loaded.tasks.map((t) => t.id),
      },
      agent: {
        task: spec.task,
        dialect: dialect.name,
        options: spec.options,
        modes,
        steps,
        ...(spec.switch_step !== undefined ? { switch_step: spec.switch_step } : {}),
        batch_size: batchSize,
        max_turns: spec.max_turns,
        tools: tools.map((t) => t.name),
        seed: suite.seed,
        reward: [...dialect.rewardNames],
      },
      backends: { policy: policy.backend, ...(backends.real ? { real: backends.real.backend } : {}), ...(backends.gtm ? { gtm: backends.gtm.backend } : {}) },
      config: {
        policy: policy.describe(),
        ...(backends.real ? { real: backends.real.describe() } : {}),
        ...(backends.gtm ? { gtm: backends.gtm.describe() } : {}),
      },
      argv: opts.argv,
      started_at: startedAt,
      ended_at: null,
      status: 'running',
      exit_code: null,
    };
    writeAgentManifest(runDir, manifest);

    const episodesSink = openJsonlSink<EpisodeRecord>(join(runDir, 'episodes.jsonl'));
    const stepsSink = openJsonlSink<StepRecord>(join(runDir, 'steps.jsonl'));
    let runError: unknown;
    let policyErrors = 0;
    let episodes = 0;
    let firstPolicyError: string | undefined;
    try {
      await runSteps({
        dialect,
        policy,
        tools,
        backends,
        tasks: loaded.tasks,
        modes,
        steps,
        batch_size: batchSize,
        switch_step: spec.switch_step,
        max_turns: spec.max_turns,
        seed: suite.seed,
        signal: opts.signal,
        onEpisode: (e) => {
          episodesSink.write(e);
          episodes++;
          if (e.end === 'policy_error') {
            policyErrors++;
            firstPolicyError ??= e.turns[e.turns.length - 1]?.policy_error?.message;
          }
        },
        onStep: (s) => {
          stepsSink.write(s);
          opts.onStep?.(s);
        },
      });
    } catch (err) {
      runError = err;
    } finally {
      episodesSink.close();
      stepsSink.close();
    }
    const interrupted = opts.signal?.aborted === true;
    const allFailed = episodes > 0 && policyErrors === episodes;
    manifest.ended_at = new Date().toISOString();
    manifest.status = runError ? 'failed' : interrupted ? 'interrupted' : 'completed';
    manifest.exit_code = runError ? 70 : interrupted ? 130 : allFailed ? 1 : 0;
    writeAgentManifest(runDir, manifest);
    const summary = writeAgentReports(runDir, manifest);
    if (runError) throw runError;
    return { runDir, manifest, summary, exitCode: manifest.exit_code, ...(allFailed ? { policyFailure: firstPolicyError } : {}) };
  } finally {
    await policy.close();
    await Promise.all(Object.values(backends).map((t) => t?.close?.()));
    lock?.release();
  }
}

async function createBackend(suite: LoadedSuite, name: string, backend: ToolBackendName, env: Record<string, string | undefined>): Promise<Target> {
  const spec = suite.targets.find((t) => t.name === name) as TargetSpec;
  if (spec.not_configured) {
    throw new UserError(`the ${backend} tool backend, target ${name}, is not configured here: ${spec.not_configured}; set it up or run other --mode values`);
  }
  const target = await createTarget(spec, { suite, env });
  if (target.unavailable) {
    await target.close?.();
    throw new UserError(`the ${backend} tool backend, target ${name}, cannot run here: ${target.unavailable}`);
  }
  return target;
}

/** The model endpoints an agent run calls: the policy, and each tool backend it needs that is a configured openai target. */
function agentEndpoints(suite: LoadedSuite, policy: ModelEndpoint, needed: Iterable<ToolBackendName>): EndpointCheck[] {
  const out = [endpointCheck('agent policy', policy, { url: 'agent.policy.base_url (or --policy-base-url)', model: 'agent.policy.model (or --policy-model)' })];
  for (const b of needed) {
    const t = suite.targets.find((x) => x.name === suite.agent!.backends[b]);
    if (t && isOpenAITarget(t) && !t.not_configured) {
      out.push(endpointCheck(`the ${b} tool backend, target ${t.name}`, t, { url: `base_url of target ${t.name}`, model: `model of target ${t.name}` }));
    }
  }
  return out;
}
