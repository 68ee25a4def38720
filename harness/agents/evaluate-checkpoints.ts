/**
 * Checkpoint curves from gtm-bench's own measurements: each checkpoint of a `checkpoints` series that has an
 * `evaluate` block is run as the policy of the agent suite it names (whose tasks are the validation set),
 * in mode real, so every tool call goes to the real tool. The agent loop (harness/agents/) writes the run
 * folder to the point's `summary` path; the curve is then read from those summaries like any other.
 */
import { extname } from 'node:path';
import { runAgent } from './run-agent.js';
import { portablePath } from '../records/manifest.js';
import type { CurvesSpec } from '../suite/report-sections.js';
import { UserError } from '../util/errors.js';

export interface CheckpointEvaluation {
  series: string;
  step: number;
  runDir: string;
  exitCode: number;
}

export async function evaluateCheckpoints(
  spec: CurvesSpec,
  opts: { env?: Record<string, string | undefined>; argv: string[]; onDone?: (e: CheckpointEvaluation) => void },
): Promise<CheckpointEvaluation[]> {
  const series = spec.checkpoints.filter((c) => c.evaluate);
  if (!series.length) throw new UserError('--evaluate: no checkpoints series of the curves section has an evaluate block (suite, steps, batch_size)');
  // Check every point before running any, so a typo in the last one does not waste the first evaluations.
  for (const c of series) {
    for (const p of c.points) {
      if (!p.base_url || !p.model) throw new UserError(`--evaluate: curve ${c.name}, step ${p.step}: needs base_url and model (the checkpoint to evaluate)`);
      if (extname(p.summary) === '.json')
        throw new UserError(
          `--evaluate: curve ${c.name}, step ${p.step}: summary ${portablePath(p.summary)} names a file; with evaluate it names the run folder to write`,
        );
    }
  }
  const done: CheckpointEvaluation[] = [];
  for (const c of series) {
    for (const p of c.points) {
      const r = await runAgent({
        suiteFile: c.evaluate!.suite,
        modes: ['real'],
        step: p.step,
        steps: c.evaluate!.steps,
        ...(c.evaluate!.batch_size ? { batchSize: c.evaluate!.batch_size } : {}),
        policyBaseUrl: p.base_url,
        policyModel: p.model,
        out: p.summary,
        argv: opts.argv,
        env: opts.env,
      });
      const e = { series: c.name, step: p.step, runDir: r.runDir, exitCode: r.exitCode };
      done.push(e);
      opts.onDone?.(e);
    }
  }
  return done;
}
