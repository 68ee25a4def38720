/**
 * The per-stage breakdown of the harness's client CPU (profile-stages.ts) for one harness pass against the
 * loopback stand-in. `npm run bench` prints it; run alone:
 *   node --import tsx harness/bench/stages.ts [calls=20000] [concurrency=64] [metrics=format,logic]
 */
import '../builtin.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HARNESS_ROOT } from '../records/manifest.js';
import { loadSuite } from '../suite/load.js';
import { isOpenAITarget, type LoadedSuite, type MetricFamilyName } from '../suite/types.js';
import { createOpenAITarget } from '../targets/openai.js';
import { callCountryTool } from '../tools/country-facts.js';
import { cycledCalls, timedHarnessPass } from './harness-pass.js';
import { profiled, stagesOf, type StageRow } from './profile-stages.js';
import { spawnStandIn } from './stand-in-process.js';

export interface StageBreakdown {
  metrics: MetricFamilyName[];
  calls: number;
  concurrency: number;
  /** process.cpuUsage per call over the profiled pass (all threads). */
  cpu_us_per_call: number;
  /** The profiler's non-idle sample time per call (wall time: inflated when the machine is shared). */
  sampled_us_per_call: number;
  stages: StageRow[];
  other_top: string[];
}

export async function stageBreakdown(suite: LoadedSuite, metrics: MetricFamilyName[], calls: number, concurrency: number): Promise<StageBreakdown> {
  const spec = suite.targets.find(isOpenAITarget)!;
  const target = await createOpenAITarget({ ...spec, concurrency, retries: 0 });
  const tmp = mkdtempSync(join(tmpdir(), 'gtm-stages-'));
  const pass = (n: number, tag: string) =>
    timedHarnessPass({
      suite,
      calls: cycledCalls(suite, n, tag),
      metrics,
      target,
      targetName: spec.name,
      identity: { bench: tag },
      concurrency,
      recordsPath: join(tmp, `records-${tag}.jsonl`),
    });
  try {
    await pass(Math.min(calls, 3000), 'warm');
    const { result, profile } = await profiled(() => pass(calls, 'profiled'));
    const s = stagesOf(profile, calls, result.cpuUsPerCall);
    return {
      metrics,
      calls,
      concurrency,
      cpu_us_per_call: result.cpuUsPerCall,
      sampled_us_per_call: s.sampledUsPerCall,
      stages: s.rows,
      other_top: s.otherTop,
    };
  } finally {
    await target.close?.();
    rmSync(tmp, { recursive: true, force: true });
  }
}

export function printBreakdown(b: StageBreakdown): void {
  console.log(
    `\nper-stage client CPU, ${b.calls} calls at c=${b.concurrency}, metrics ${b.metrics.join('+') || 'none'}: ` +
      `${b.cpu_us_per_call} µs/call (process.cpuUsage, all threads; stages are their share of the main thread's samples)`,
  );
  for (const r of b.stages) console.log(`  ${r.stage.padEnd(28)} ${String(r.us_per_call).padStart(7)} µs  ${String(r.share).padStart(5)}%`);
  if (b.other_top.length) console.log(`  "other", top functions:\n    ${b.other_top.join('\n    ')}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (k: string, d: string) => process.argv.find((a) => a.startsWith(`${k}=`))?.slice(k.length + 1) ?? d;
  const calls = Number(arg('calls', '20000'));
  const conc = Number(arg('concurrency', '64'));
  const metrics = arg('metrics', 'format,logic').split(',').filter(Boolean) as MetricFamilyName[];
  const text = JSON.stringify(callCountryTool('country_info', { code: 'FR' }));
  const server = await spawnStandIn({ model: 'bench', text });
  try {
    const suite = await loadSuite(join(HARNESS_ROOT, 'suites', 'default.yaml'), { env: { GTM_BASE_URL: `${server.url}/v1`, GTM_MODEL: 'bench' } });
    printBreakdown(await stageBreakdown(suite, metrics, calls, conc));
  } finally {
    server.stop();
  }
}
