/**
 * The loopback vLLM stand-in (a scripted server, not a model; dev/stand-ins/) in a child process, so the
 * server's work does not share the measured client's event loop, and the calls-per-second loop both bench
 * scripts use. Run as `node --import tsx stand-in-process.ts --serve '{"model":..,"text":..}'` it is the
 * child: it prints the server's URL on stdout and serves until killed.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);

export interface StandInProcess {
  url: string;
  stop(): void;
}

export interface StandInProcessOptions {
  model: string;
  text: string;
  /** Latency per completion and completions served at once (see StandInOptions); default: at once, unlimited. */
  latencyMs?: number;
  maxConcurrent?: number;
}

/** Starts the stand-in in a child process; every completion answers `text`. */
export async function spawnStandIn(opts: StandInProcessOptions): Promise<StandInProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', SELF, '--serve', JSON.stringify(opts)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((res) => child.stdout!.once('data', (d) => res(String(d).trim())));
  return { url, stop: () => void child.kill() };
}

/** `n` calls of `one` spread over `conc` workers; calls per second. */
export async function callsPerSecond(n: number, conc: number, one: () => Promise<unknown>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: conc }, async () => {
      while (next++ < n) await one();
    }),
  );
  return n / ((performance.now() - t0) / 1000);
}

if (process.argv[1] === SELF && process.argv[2] === '--serve') {
  const { model, text, latencyMs, maxConcurrent } = JSON.parse(process.argv[3]) as StandInProcessOptions;
  const { startStandIn } = await import('../../dev/stand-ins/vllm-stand-in.js');
  const server = await startStandIn({ models: [model], latencyMs, maxConcurrent, respond: () => ({ text }) });
  process.stdout.write(server.url + '\n');
}
