/**
 * A `vllm serve` child process, in a process group of its own. vLLM starts helper processes (the engine
 * core, one worker per GPU under tensor parallelism); signalling the group reaches all of them, and a
 * group of its own means a Ctrl-C at the terminal reaches gtm-bench only, which then stops the server in
 * order: SIGTERM to the group, a grace period, SIGKILL. If gtm-bench exits any other way (an uncaught
 * error, a second Ctrl-C) a synchronous exit hook sends SIGKILL to every group still alive, so no server
 * outlives the run. Only `kill -9` of gtm-bench itself cannot be caught; the pid is in the manifest.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { redactText } from '../util/redact.js';
import { groupAlive, signalGroup } from '../util/process-group.js';
import type { ExitInfo, StopInfo } from '../records/manifest-serving.js';

export interface VllmLaunch {
  executable: string;
  checkpoint: string;
  host: string;
  port: number;
  served_model_name?: string;
  tensor_parallel_size?: number;
  extra_args: string[];
  /** The child's stdout and stderr are appended here. */
  log_file?: string;
  /** Also copy the child's output to this stream (the `serve` command shows vLLM's log). */
  echo?: NodeJS.WritableStream;
  env?: NodeJS.ProcessEnv;
}

export interface VllmProcess {
  readonly pid: number;
  readonly argv: string[];
  /** Resolves when the process exits, for whatever reason. */
  readonly exited: Promise<ExitInfo>;
  readonly exit: ExitInfo | undefined;
  /** The last lines the process wrote, for error messages. */
  tail(lines?: number): string;
  stop(graceMs: number): Promise<StopInfo>;
}

const liveGroups = new Set<number>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
  });
}

export function vllmArgv(l: VllmLaunch): string[] {
  return [
    'serve',
    l.checkpoint,
    '--host',
    l.host,
    '--port',
    String(l.port),
    ...(l.served_model_name ? ['--served-model-name', l.served_model_name] : []),
    ...(l.tensor_parallel_size ? ['--tensor-parallel-size', String(l.tensor_parallel_size)] : []),
    ...l.extra_args,
  ];
}

export function spawnVllm(l: VllmLaunch): VllmProcess {
  installExitHook();
  const argv = vllmArgv(l);
  const child: ChildProcess = spawn(l.executable, argv, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: l.env ?? process.env,
  });
  const log: WriteStream | undefined = l.log_file ? createWriteStream(l.log_file, { flags: 'a' }) : undefined;
  const recent: string[] = [];
  let partial = '';
  // A character split between two chunks is decoded whole (chunk.toString would make two U+FFFD of it).
  const decoder = new StringDecoder('utf8');
  const onData = (chunk: Buffer) => {
    l.echo?.write(chunk);
    const lines = (partial + decoder.write(chunk)).split('\n');
    partial = lines.pop() ?? '';
    // The log is a written file like any other: whole lines, through the redactor (util/redact.ts).
    if (lines.length) log?.write(lines.map((line) => redactText(line) + '\n').join(''));
    recent.push(...lines);
    if (recent.length > 200) recent.splice(0, recent.length - 200);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);

  let exit: ExitInfo | undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    // 'error' (ENOENT, EACCES) comes instead of a start. 'exit', not 'close': a helper that inherited the
    // pipes keeps them open after the leader is gone, and the leader's exit is what callers wait for.
    child.once('error', (err) => {
      recent.push(`cannot start ${l.executable}: ${(err as Error).message}`);
      exit ??= { code: 127, signal: null };
      resolve(exit);
    });
    child.once('exit', (code, signal) => {
      exit ??= { code, signal };
      resolve(exit);
    });
    child.once('close', () => log?.end(partial ? redactText(partial) : undefined));
  });
  const pid = child.pid ?? -1;
  // The leader exiting does not end its helpers: the group leaves the registry only once stop() saw it empty.
  if (pid > 0) liveGroups.add(pid);

  return {
    pid,
    argv: [l.executable, ...argv],
    exited,
    get exit() {
      return exit;
    },
    tail(lines = 20) {
      return [...recent, ...(partial ? [partial] : [])]
        .filter((x) => x.trim())
        .slice(-lines)
        .join('\n');
    },
    async stop(graceMs) {
      const t0 = performance.now();
      const after = () => Math.round(performance.now() - t0);
      if (pid <= 0) return { ...(await exited), how: 'already exited', after_ms: 0 };
      const leaderGone = exit !== undefined;
      if (!signalGroup(pid, 'SIGTERM') && leaderGone) {
        liveGroups.delete(pid);
        return { ...exit!, how: 'already exited', after_ms: 0 };
      }
      const done = await withinMs(exited, graceMs);
      // The leader may exit on SIGTERM while a helper ignores it: wait for the whole group, within the grace.
      const deadline = t0 + graceMs;
      while (done && groupAlive(pid) && performance.now() < deadline) await sleep(20);
      let how: StopInfo['how'] = leaderGone ? 'already exited' : 'SIGTERM';
      if (groupAlive(pid)) {
        signalGroup(pid, 'SIGKILL');
        how = 'SIGKILL';
        await exited;
        // SIGKILL cannot be refused; give the kernel a moment to reap the helpers.
        for (let i = 0; i < 100 && groupAlive(pid); i++) await sleep(10);
      }
      liveGroups.delete(pid);
      const info = await exited;
      return { ...info, how, after_ms: after() };
    },
  };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Whether `p` settles within `ms`; the timer is cleared either way, so it never holds the process open. */
export function withinMs(p: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    p.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
