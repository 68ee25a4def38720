/**
 * Start-up: `gtm-bench run` of a one-call suite (the default suite, --limit 1, the reference target: no
 * network), `validate` and `targets`, from a fresh compiled build (bin/build.js into its own folder, so a
 * stale dist/ is never measured) and from the sources through tsx. Median of `n` runs; wall and CPU time
 * (user + system of the child). The bound: the one-call run under 0.5 s of wall time, compiled.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HARNESS_ROOT } from '../records/manifest.js';

export interface StartupRow {
  command: string;
  how: 'compiled' | 'tsx';
  wall_median_s: number;
  cpu_median_s: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timeOnce(args: string[], env: Record<string, string>): { wall: number; cpu: number; code: number | null } {
  const r = spawnSync('/usr/bin/time', ['-f', '@@time %e %U %S', process.execPath, ...args], {
    cwd: HARNESS_ROOT,
    env: { ...process.env, CI: 'true', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  const m = /@@time ([\d.]+) ([\d.]+) ([\d.]+)/.exec(r.stderr ?? '');
  if (!m) throw new Error(`could not time ${args.join(' ')}: ${r.stderr}`);
  return { wall: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), code: r.status };
}

/** Builds into `.build-bench-PID`, times each command both ways, removes the build. */
export function startupBench(n = 5): StartupRow[] {
  const tree = `.build-bench-${process.pid}`;
  const build = spawnSync(process.execPath, ['bin/build.js', '--out', tree], { cwd: HARNESS_ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`bin/build.js failed: ${build.stderr}`);
  const tmp = mkdtempSync(join(tmpdir(), 'gtm-startup-'));
  const rows: StartupRow[] = [];
  try {
    const commands: [string, (i: number) => string[]][] = [
      [
        'run (one call)',
        (i) => ['run', 'suites/default.yaml', '--target', 'reference', '--limit', '1', '--quiet', '--out', join(tmp, `run-${i}-${Math.random()}`)],
      ],
      ['validate', () => ['validate', 'suites/default.yaml']],
      ['targets', () => ['targets']],
      ['--version', () => ['--version']],
    ];
    console.log(`\nstart-up (median of ${n}; wall and CPU seconds)`);
    for (const [name, args] of commands) {
      for (const how of ['compiled', 'tsx'] as const) {
        const entry = how === 'compiled' ? [join(tree, 'cli', 'main.js')] : ['bin/gtm-bench.js'];
        const env: Record<string, string> = how === 'tsx' ? { GTM_BENCH_FROM_SOURCE: '1' } : {};
        const times = Array.from({ length: n }, (_, i) => timeOnce([...entry, ...args(i)], env));
        const bad = times.find((t) => t.code !== 0);
        if (bad) throw new Error(`${name} (${how}) exited ${bad.code}`);
        const row = {
          command: name,
          how,
          wall_median_s: median(times.map((t) => t.wall)),
          cpu_median_s: Math.round(median(times.map((t) => t.cpu)) * 100) / 100,
        };
        rows.push(row);
        console.log(`  ${name.padEnd(16)} ${how.padEnd(8)} wall ${row.wall_median_s.toFixed(2)} s   CPU ${row.cpu_median_s.toFixed(2)} s`);
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    rmSync(join(HARNESS_ROOT, tree), { recursive: true, force: true });
  }
  return rows;
}

/**
 * Standalone, without the rest of `npm run bench`: `node --import tsx harness/bench/startup.ts n=7` (default 5
 * runs per command and way of starting). Load average printed before and after: the figures are wall times.
 */
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const n = Number(process.argv.find((a) => a.startsWith('n='))?.slice(2) ?? 5);
  console.log(
    `load average before: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  startupBench(n);
  console.log(
    `load average after: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
}
