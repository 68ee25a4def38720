/**
 * `node --import tsx harness/bench/kernel-sandbox.ts [N]`: what the kernel evaluator's sandbox costs per
 * process, next to a plain spawn of the same program: a process group, the sh prologue that sets the core
 * and file-size limits, output capture, and (third row) a fresh temp dir created and removed. Medians of N
 * runs of `true` (default 50), so the figures are the overhead alone, not the program's work.
 */
import { spawn } from 'node:child_process';
import { runSandboxed, withTempDir } from '../tools/kernel-eval/sandbox.js';
import { median } from '../scoring/stats.js';

const n = Number(process.argv[2] ?? 50);
const env = { PATH: process.env.PATH };
const limits = { timeout_ms: 10_000, max_output_bytes: 1 << 20 };

function plainSpawn(): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = spawn('true', [], { stdio: ['ignore', 'pipe', 'pipe'] });
    c.on('error', reject);
    c.on('close', () => resolve());
  });
}

async function medianMs(fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 3; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times)!;
}

const plain = await medianMs(plainSpawn);
const sandboxed = await withTempDir('gtm-bench-sbx-', (dir) => medianMs(() => runSandboxed({ command: 'true', args: [], cwd: dir, env, limits })));
const withDir = await medianMs(() => withTempDir('gtm-bench-sbx-', (dir) => runSandboxed({ command: 'true', args: [], cwd: dir, env, limits })));
console.log(`median of ${n} runs of \`true\`:`);
console.log(`  plain spawn                       ${plain.toFixed(2)} ms`);
console.log(`  sandboxed (group + limits)        ${sandboxed.toFixed(2)} ms  (+${(sandboxed - plain).toFixed(2)} ms)`);
console.log(`  sandboxed + temp dir made/removed ${withDir.toFixed(2)} ms  (+${(withDir - plain).toFixed(2)} ms)`);
