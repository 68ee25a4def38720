/**
 * A checkpoint served by vLLM for the length of a run (or of `gtm-bench serve`): start `vllm serve`, wait
 * until /health answers and /v1/models lists the model (bounded polling, failing at once when the process
 * exits), and describe it for the manifest: vLLM's version, the command, the checkpoint's hashes.
 * A failure to start is a ServeError (exit code 3) carrying the last lines vLLM wrote.
 */
import { checkpointInfo } from './checkpoint-info.js';
import type { ExitInfo, ManifestServe, StopInfo } from '../records/manifest-serving.js';
import { freePort } from './free-port.js';
import { httpGet } from '../net/http-get.js';
import { listedModels } from '../endpoint/models-list.js';
import type { ServeSpec } from './serve-spec.js';
import { spawnVllm, withinMs, type VllmProcess } from './vllm-process.js';
import { vllmVersion } from './vllm-version.js';
import { UserError } from '../util/errors.js';

/** Exit code of a run whose model server did not start or died during the run. */
export const SERVE_EXIT_CODE = 3;

export class ServeError extends UserError {
  constructor(message: string) {
    super(message, [], SERVE_EXIT_CODE);
    this.name = 'ServeError';
  }
}

export interface ServedModel {
  readonly base_url: string;
  readonly model: string;
  readonly entry: ManifestServe;
  readonly process: VllmProcess;
  stop(): Promise<StopInfo>;
}

/** --vllm, then $GTM_BENCH_VLLM, then the suite's serve.executable, then `vllm` on PATH. */
export function resolveVllmExecutable(flag: string | undefined, env: Record<string, string | undefined>, spec?: ServeSpec): string {
  return flag || env.GTM_BENCH_VLLM || spec?.executable || 'vllm';
}

/** The host a client on this machine uses for a server listening on `host` (0.0.0.0 is every interface). */
export function clientHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

export function describeExit(e: ExitInfo): string {
  return e.signal ? `signal ${e.signal}` : `code ${e.code}`;
}

export interface StartOptions {
  executable: string;
  /** Names of the targets the server fills (for the manifest). */
  targets: string[];
  /** Overrides spec.port (the serve command's --port). */
  port?: number;
  log_file?: string;
  /** Name of the log file as the manifest shows it (relative to the run folder). */
  log_name?: string;
  echo?: NodeJS.WritableStream;
  /** Aborting gives up waiting and stops the process (Ctrl-C during a long start). */
  signal?: AbortSignal;
}

export async function startServedModel(spec: ServeSpec, opts: StartOptions): Promise<ServedModel> {
  const checkpoint = checkpointInfo(spec.checkpoint);
  const port = opts.port ?? spec.port ?? (await freePort(spec.host));
  const model = spec.served_model_name ?? spec.checkpoint;
  const origin = `http://${clientHost(spec.host)}:${port}`;
  const version = vllmVersion(opts.executable);
  const proc = spawnVllm({
    executable: opts.executable,
    checkpoint: spec.checkpoint,
    host: spec.host,
    port,
    served_model_name: spec.served_model_name,
    tensor_parallel_size: spec.tensor_parallel_size,
    extra_args: spec.args,
    log_file: opts.log_file,
    echo: opts.echo,
  });
  const entry: ManifestServe = {
    status: 'ran',
    executable: opts.executable,
    vllm_version: null,
    command: proc.argv,
    checkpoint,
    base_url: `${origin}/v1`,
    model,
    targets: opts.targets,
    pid: proc.pid,
    log: opts.log_name ?? null,
    ready_after_ms: null,
  };
  const served: ServedModel = {
    base_url: `${origin}/v1`,
    model,
    entry,
    process: proc,
    async stop() {
      const info = await proc.stop(spec.stop_timeout_s * 1000);
      entry.stopped = info;
      return info;
    },
  };
  try {
    entry.ready_after_ms = await waitReady(origin, model, spec.startup_timeout_s * 1000, proc, opts.signal);
  } catch (err) {
    entry.status = 'failed';
    entry.reason = (err as Error).message;
    await served.stop();
    // The version is a nicety here: a failed start is reported without waiting long for it.
    if (await withinMs(version, 2000)) {
      const v = await version;
      entry.vllm_version = v.version;
      if (v.error) entry.version_error = v.error;
    }
    throw err;
  }
  const v = await version;
  entry.vllm_version = v.version;
  if (v.error) entry.version_error = v.error;
  return served;
}

/** Milliseconds until ready; throws a ServeError naming what was last seen. */
async function waitReady(origin: string, model: string, timeoutMs: number, proc: VllmProcess, signal?: AbortSignal): Promise<number> {
  const t0 = performance.now();
  const failure = (why: string) => {
    const tail = proc.tail(15);
    return new ServeError(`vLLM (${proc.argv.slice(0, 3).join(' ')} ...) ${why}${tail ? `; its last output:\n${indent(tail)}` : ''}`);
  };
  let last = 'no answer yet';
  for (;;) {
    if (proc.exit) throw failure(`exited with ${describeExit(proc.exit)} before it was ready`);
    if (signal?.aborted) throw failure('start interrupted');
    const elapsed = performance.now() - t0;
    if (elapsed > timeoutMs) throw failure(`did not become ready within ${timeoutMs / 1000} s (last check: ${last})`);
    try {
      const health = await httpGet(`${origin}/health`, 2000);
      if (health.status === 200) {
        const models = await httpGet(`${origin}/v1/models`, 5000);
        if (models.status !== 200) last = `/v1/models answered ${models.status}`;
        else {
          const ids = listedModels(models.body) ?? [];
          if (ids.includes(model)) return Math.round(performance.now() - t0);
          // A server that is up and serves something else will not change its mind: fail now.
          throw failure(`is up but does not serve model ${JSON.stringify(model)}; /v1/models lists ${JSON.stringify(ids)}`);
        }
      } else last = `/health answered ${health.status}`;
    } catch (err) {
      if (err instanceof ServeError) throw err;
      last = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    }
    await withinMs(proc.exited, 250);
  }
}

const indent = (text: string) =>
  text
    .split('\n')
    .map((l) => `  | ${l}`)
    .join('\n');
