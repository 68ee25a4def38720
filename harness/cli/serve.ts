/**
 * `gtm-bench serve CHECKPOINT [-- extra vllm args]`: starts `vllm serve` for a checkpoint, waits until it
 * answers, prints where it is and what it is (vLLM version, checkpoint hashes), and keeps it running until
 * Ctrl-C or SIGTERM, then stops it in order (SIGTERM, grace, SIGKILL). Exit 0 after a stop that was asked
 * for, 3 when the server did not start or died on its own.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { DEFAULT_SERVE_HOST, DEFAULT_STARTUP_TIMEOUT_S, DEFAULT_STOP_TIMEOUT_S, type ServeSpec } from '../serve/serve-spec.js';
import { describeExit, resolveVllmExecutable, ServeError, startServedModel } from '../serve/served-model.js';
import { checkpointInfo } from '../serve/checkpoint-info.js';
import { resolve } from 'node:path';
import { redactFileText } from '../util/redact.js';

export interface ServeFlags {
  port?: number;
  host?: string;
  tensorParallelSize?: number;
  servedModelName?: string;
  vllm?: string;
  startupTimeout?: number;
  stopTimeout?: number;
  info?: string;
  log?: string;
}

export async function serveCommand(checkpoint: string, extra: string[], flags: ServeFlags): Promise<void> {
  const local = resolve(checkpoint);
  const spec: ServeSpec = {
    checkpoint: existsSync(local) ? local : checkpoint,
    ...(flags.servedModelName ? { served_model_name: flags.servedModelName } : {}),
    host: flags.host ?? DEFAULT_SERVE_HOST,
    // --port 0: a free port, picked now (the URL printed says which).
    ...(flags.port === 0 ? {} : { port: flags.port ?? 8000 }),
    ...(flags.tensorParallelSize ? { tensor_parallel_size: flags.tensorParallelSize } : {}),
    args: extra,
    startup_timeout_s: flags.startupTimeout ?? DEFAULT_STARTUP_TIMEOUT_S,
    stop_timeout_s: flags.stopTimeout ?? DEFAULT_STOP_TIMEOUT_S,
  };
  const executable = resolveVllmExecutable(flags.vllm, process.env);
  const stopRequested = new AbortController();
  const onSignal = (name: string) => () => {
    if (stopRequested.signal.aborted) return;
    process.stderr.write(`\n${name}: stopping the server (SIGTERM, then SIGKILL after ${spec.stop_timeout_s} s)\n`);
    stopRequested.abort();
  };
  const onInt = onSignal('interrupted');
  const onTerm = onSignal('terminated');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    process.stderr.write(`starting ${executable} serve ${spec.checkpoint} on ${spec.host}:${spec.port ?? 'a free port'} ...\n`);
    let served;
    try {
      served = await startServedModel(spec, { executable, targets: [], echo: process.stderr, log_file: flags.log, signal: stopRequested.signal });
    } catch (err) {
      if (err instanceof ServeError && stopRequested.signal.aborted) {
        process.stderr.write('stopped before the server was ready\n');
        return;
      }
      throw err;
    }
    const e = served.entry;
    const info = { ...e, checkpoint: e.checkpoint ?? checkpointInfo(spec.checkpoint) };
    if (flags.info) writeFileSync(flags.info, redactFileText(flags.info, JSON.stringify(info, null, 2) + '\n'));
    process.stdout.write(
      [
        `ready in ${((e.ready_after_ms ?? 0) / 1000).toFixed(1)} s: ${e.vllm_version ? `vllm --version ${e.vllm_version}` : `vllm version unknown (${e.version_error})`}, pid ${e.pid}`,
        `checkpoint ${e.checkpoint?.path}${e.checkpoint?.fingerprint ? ` (fingerprint ${e.checkpoint.fingerprint.slice(0, 16)}…)` : ` (${e.checkpoint?.note})`}`,
        `GTM_BASE_URL=${e.base_url}`,
        `GTM_MODEL=${e.model}`,
        'Ctrl-C stops the server.',
        '',
      ].join('\n'),
    );
    const how = await Promise.race([
      served.process.exited.then(() => 'died' as const),
      new Promise<'asked'>((r) => stopRequested.signal.addEventListener('abort', () => r('asked'), { once: true })),
    ]);
    const exit = served.process.exit;
    const stopped = await served.stop();
    if (how === 'died' && !stopRequested.signal.aborted) {
      throw new ServeError(
        `the vLLM server exited on its own with ${exit ? describeExit(exit) : 'an unknown status'}; its last output:\n${served.process.tail(10)}`,
      );
    }
    process.stderr.write(`server stopped (${stopped.how}, ${stopped.after_ms} ms)\n`);
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}
