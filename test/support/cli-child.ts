/**
 * The real gtm-bench binary in a child process, awaited without blocking this process's event loop, so a
 * loopback stand-in served by the test itself can answer the child's requests (spawnSync would freeze it).
 * A child still running after `timeoutMs` is killed, so a hang fails its test instead of the suite.
 */
import { spawn } from 'node:child_process';

const BIN = new URL('../../bin/gtm-bench.js', import.meta.url).pathname;
export const ROOT = new URL('../..', import.meta.url).pathname;

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface ChildOptions {
  env?: Record<string, string>;
  cwd?: string;
  timeoutMs?: number;
  /** Called with the child once it is spawned (to send it a signal, say). */
  onSpawn?: (child: import('node:child_process').ChildProcess, output: { stdout: () => string; stderr: () => string }) => void;
}

export function runCli(args: string[], opts: ChildOptions = {}): Promise<ChildResult> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: { PATH: process.env.PATH ?? '', CI: 'true', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  opts.onSpawn?.(child, { stdout: () => stdout, stderr: () => stderr });
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
