/**
 * Scale (`npm run bench -- scale`, minutes): the CLI end to end on 10k, 100k and 1M calls against the loopback
 * stand-in, each size in its own child process so its peak memory is its own. A run is the default suite's
 * 300 calls repeated (suite `repeats`), format + logic scoring, the gtm target at concurrency 64 with no
 * retries; then `gtm-bench report` recomputes the summary from the run folder. For each step: wall time, CPU
 * time (user + system, from the child's rusage) and peak resident memory (maxRSS). The issue's bounds: peak
 * memory under 300 MB through the run and the summary, and `report` under 15 s on the 1M-call run.
 *
 * The compiled CLI is used (a fresh build in its own folder, so a stale dist/ can neither be run nor skew it).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HARNESS_ROOT } from '../records/manifest.js';
import { callCountryTool } from '../tools/country-facts.js';
import { spawnStandIn } from './stand-in-process.js';

export interface ScaleStep {
  calls: number;
  step: 'run' | 'report';
  exit_code: number | null;
  wall_s: number;
  cpu_s: number;
  peak_rss_mb: number;
  records_mb?: number;
  note?: string;
}

/** Resident memory of the node process under /usr/bin/time (its only child), in MB; undefined before it starts. */
function childRssMb(timePid: number): number | undefined {
  try {
    const node = readFileSync(`/proc/${timePid}/task/${timePid}/children`, 'utf8').trim().split(/\s+/)[0];
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${node}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Samples the child's RSS (and the size of `watch`, the run's records file, which says how far the run is) every
 * half second into a TSV: where the peak falls (the calls, the summary) and how the GC sawtooth looks.
 */
function traceRss(timePid: number, file: string, watch: string): () => void {
  const t0 = Date.now();
  const lines = ['t_s\trss_mb\trecords_mb'];
  const sample = () => {
    const rss = childRssMb(timePid);
    if (rss === undefined) return;
    let size = 0;
    try {
      size = statSync(watch).size / 1e6;
    } catch {
      // not written yet
    }
    lines.push(`${((Date.now() - t0) / 1000).toFixed(1)}\t${rss.toFixed(0)}\t${size.toFixed(0)}`);
  };
  const timer = setInterval(sample, 500);
  return () => {
    clearInterval(timer);
    writeFileSync(file, lines.join('\n') + '\n');
  };
}

/** Runs `node args` and returns its exit code, wall time, CPU time and peak RSS (GNU time's %e %U %S %M). */
function timed(
  args: string[],
  env: Record<string, string>,
  trace?: { file: string; watch: string },
): Promise<{ code: number | null; wall: number; cpu: number; rssKb: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('/usr/bin/time', ['-f', '\n@@time %e %U %S %M', process.execPath, ...args], {
      cwd: HARNESS_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const stopTrace = trace ? traceRss(child.pid!, trace.file, trace.watch) : undefined;
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      stopTrace?.();
      const m = /@@time ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(stderr);
      const [wall, user, sys, rss] = m ? m.slice(1).map(Number) : [NaN, NaN, NaN, NaN];
      resolve({ code, wall, cpu: user + sys, rssKb: rss, stderr: stderr.replace(/\n@@time.*$/s, '') });
    });
  });
}

/** A copy of the default suite with absolute paths, `repeats` copies of its calls and format + logic only. */
function scaleSuite(dir: string, repeats: number): string {
  const root = HARNESS_ROOT;
  const text = readFileSync(join(root, 'suites', 'default.yaml'), 'utf8')
    .replace(/^\$schema:.*$/m, '')
    .replace(/file: tools\//g, `file: ${join(root, 'suites', 'tools')}/`)
    // every other path in the suite is relative to suites/ and starts with ../ (datasets, templates, the judge's rubric)
    .replace(/: \.\.\//g, `: ${root}/`)
    .replace(/^repeats: \d+$/m, `repeats: ${repeats}`)
    .replace(/^metrics: .*$/m, 'metrics: [format, logic]')
    .replace(/concurrency: 32/, 'concurrency: 64')
    .replace(/retries: 3/, 'retries: 0');
  const file = join(dir, `scale-${repeats}.yaml`);
  writeFileSync(file, text);
  return file;
}

/** `traceDir`: write an RSS trace per step there (rss-CALLS-run.tsv, rss-CALLS-report.tsv). */
export async function scaleBench(cli: string, standInUrl: string, sizes: number[], opts: { traceDir?: string } = {}): Promise<ScaleStep[]> {
  const steps: ScaleStep[] = [];
  if (opts.traceDir) mkdirSync(opts.traceDir, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), 'gtm-scale-'));
  const env = { GTM_BASE_URL: `${standInUrl}/v1`, GTM_MODEL: 'bench', CI: 'true' };
  console.log('\nscale: the CLI (compiled) end to end, gtm target at c=64 on the loopback stand-in, format+logic scoring');
  console.log('   calls | step   | exit |   wall s |    CPU s | peak RSS MB | records MB');
  try {
    for (const size of sizes) {
      const repeats = Math.ceil(size / 300);
      const calls = repeats * 300;
      const out = join(tmp, `run-${calls}`);
      const suite = scaleSuite(tmp, repeats);
      const records = join(out, 'records.jsonl');
      const traced = (step: string) => (opts.traceDir ? { file: join(opts.traceDir, `rss-${calls}-${step}.tsv`), watch: records } : undefined);
      const run = await timed([cli, 'run', suite, '--target', 'gtm', '--out', out, '--quiet', '--no-preflight'], env, traced('run'));
      let recordsMb: number | undefined;
      try {
        recordsMb = Math.round(statSync(records).size / 1e6);
      } catch {
        recordsMb = undefined;
      }
      const row = (step: 'run' | 'report', r: typeof run): ScaleStep => ({
        calls,
        step,
        exit_code: r.code,
        wall_s: Math.round(r.wall * 10) / 10,
        cpu_s: Math.round(r.cpu * 10) / 10,
        peak_rss_mb: Math.round(r.rssKb / 1024),
        ...(step === 'run' && recordsMb !== undefined ? { records_mb: recordsMb } : {}),
        ...(r.code !== 0 && r.code !== 1 ? { note: r.stderr.trim().split('\n').slice(-3).join(' / ').slice(0, 300) } : {}),
      });
      steps.push(row('run', run));
      const report = await timed([cli, 'report', out], env, traced('report'));
      steps.push(row('report', report));
      for (const s of steps.slice(-2)) {
        console.log(
          `${String(s.calls).padStart(8)} | ${s.step.padEnd(6)} | ${String(s.exit_code).padStart(4)} | ${String(s.wall_s).padStart(8)} | ${String(s.cpu_s).padStart(8)} | ${String(s.peak_rss_mb).padStart(11)} | ${String(s.records_mb ?? '').padStart(10)}${s.note ? `  (${s.note})` : ''}`,
        );
      }
      rmSync(out, { recursive: true, force: true });
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return steps;
}

/**
 * Standalone, without the rest of `npm run bench`: `node --import tsx harness/bench/scale.ts sizes=10000,100000`
 * (default 10k, 100k and 1M). Builds its own tree like the bench does, and serves the same France answer.
 * `trace=DIR` writes an RSS trace per step (every 0.5 s) into DIR; `cli=PATH` runs that compiled CLI (e.g. another
 * checkout's build, for an A/B) instead of building this one.
 */
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
  const sizes = (arg('sizes') ?? '10000,100000,1000000').split(',').map(Number);
  const given = arg('cli');
  const tree = `.build-scale-${process.pid}`;
  if (!given) {
    const built = spawnSync(process.execPath, ['bin/build.js', '--out', tree], { cwd: HARNESS_ROOT, encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`bin/build.js failed: ${built.stderr}`);
  }
  const server = await spawnStandIn({ model: 'bench', text: JSON.stringify(callCountryTool('country_info', { code: 'FR' })) });
  try {
    await scaleBench(given ?? join(HARNESS_ROOT, tree, 'cli', 'main.js'), server.url, sizes, { traceDir: arg('trace') });
  } finally {
    server.stop();
    if (!given) rmSync(join(HARNESS_ROOT, tree), { recursive: true, force: true });
  }
}
