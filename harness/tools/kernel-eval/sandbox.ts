/**
 * Runs untrusted programs (a compiler fed model-written source, a program built from it) so that nothing
 * they do can hang, crash or flood the harness, and, with a jail, nothing they do can reach it: each runs
 * in its own process group, with a wall-clock limit, a cap on the bytes it may print, rlimits (no core
 * dumps, file size, and where asked address space and processes), inside a temporary directory removed
 * afterwards. With a `jail` (containment.ts: bubblewrap) the program also gets new namespaces, no network,
 * a read-only view of only the paths named, a cleared environment and an unprivileged uid, and the pid
 * namespace takes every descendant with it when the program ends or is killed (setsid() cannot leave it).
 * Without a jail (tests of this module, trusted tools, --unsafe-no-sandbox) a program that calls setsid()
 * can outlive the group kill: that mode is not a boundary against a hostile program.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, rm, stat } from 'node:fs/promises';
import { constants as osConstants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BWRAP, bwrapBaseArgs, PRLIMIT, type Containment } from './containment.js';

export interface SandboxLimits {
  /** Wall-clock limit; past it the whole process group gets SIGKILL. */
  timeout_ms: number;
  /** Bytes of stdout + stderr kept; past it the group is killed and the run is classified `output_limit`. */
  max_output_bytes: number;
  /** Largest file the program may write (RLIMIT_FSIZE); writing past it raises SIGXFSZ. */
  max_file_bytes?: number;
  /** Address space of each process (RLIMIT_AS): a compile bomb fails its allocations here. */
  max_memory_bytes?: number;
  /** Processes of the sandbox's uid (RLIMIT_NPROC): a fork bomb's fork() fails past it. */
  max_processes?: number;
}

/** What a jailed program sees: the containment in force and the paths it may read, write and use. */
export interface Jail {
  containment: Containment;
  /** Bound read-only at the same path (the toolchain); missing paths are skipped. */
  ro: string[];
  /** Bound writable at the same path: the program's own temp dir(s) and nothing else. */
  rw: string[];
  /** Device nodes bound in (the GPU's /dev/nvidia*); missing ones are skipped. */
  devices?: string[];
}

/**
 * How the program ended: it exited by itself (with any code), or was killed by a signal of its own
 * making (segfault, abort, SIGXFSZ), or was killed by the sandbox for time or output, or never started.
 */
export type SandboxOutcome = 'exited' | 'signaled' | 'timeout' | 'output_limit' | 'aborted' | 'spawn_error';

export interface SandboxRun {
  outcome: SandboxOutcome;
  exit_code: number | null;
  signal: NodeJS.Signals | null;
  /** Kept output, at most max_output_bytes in total; decoded as UTF-8. */
  stdout: string;
  stderr: string;
  /** True when output past the cap was dropped. */
  output_truncated: boolean;
  wall_ms: number;
  /** Why the program could not be started (spawn_error), when that happened. */
  message?: string;
}

export interface SandboxCommand {
  command: string;
  args: string[];
  cwd: string;
  /** The full environment of the program (nothing is inherited implicitly). */
  env: Record<string, string | undefined>;
  /** Contain the program (containment.ts); without it only the group, limits and temp dir apply. */
  jail?: Jail;
  /** Written to the program's stdin, which is then closed. */
  stdin?: string;
  limits: SandboxLimits;
  signal?: AbortSignal;
}

/** After the leader exits, how long to wait for its pipes to close before giving up on them. */
const PIPE_DRAIN_MS = 500;
const DEFAULT_MAX_FILE_BYTES = 512 * 1024 * 1024;
const HAVE_PRLIMIT = existsSync(PRLIMIT);

/**
 * Limits that Node's spawn cannot set are set by util-linux's prlimit, which sets them on itself and then
 * exec()s the program, so the program keeps the pid (and process group) it was given.
 */
function prlimitArgs(limits: SandboxLimits): string[] {
  if (!HAVE_PRLIMIT) {
    // No util-linux (not Debian): POSIX sh sets what it can; ulimit -f counts 512-byte blocks.
    const blocks = Math.max(1, Math.ceil((limits.max_file_bytes ?? DEFAULT_MAX_FILE_BYTES) / 512));
    const mem = limits.max_memory_bytes ? `ulimit -v ${Math.ceil(limits.max_memory_bytes / 1024)}; ` : '';
    return ['/bin/sh', '-c', `ulimit -c 0; ulimit -f ${blocks}; ${mem}exec "$0" "$@"`];
  }
  const args = [PRLIMIT, '--core=0', `--fsize=${limits.max_file_bytes ?? DEFAULT_MAX_FILE_BYTES}`];
  if (limits.max_memory_bytes) args.push(`--as=${limits.max_memory_bytes}`);
  if (limits.max_processes) args.push(`--nproc=${limits.max_processes}`);
  return [...args, '--'];
}

/** The program's environment as bwrap --setenv pairs (bwrap itself is started with an empty environment). */
function setenvArgs(env: Record<string, string | undefined>): string[] {
  return Object.entries(env).flatMap(([k, v]) => (v === undefined ? [] : ['--setenv', k, v]));
}

function jailArgs(cmd: SandboxCommand, jail: Jail): string[] {
  const binds = [
    ...jail.ro.flatMap((p) => ['--ro-bind-try', p, p]),
    ...jail.rw.flatMap((p) => ['--bind', p, p]),
    ...(jail.devices ?? []).flatMap((p) => ['--dev-bind-try', p, p]),
    // The sandbox's own root (a tmpfs holding the mount points) read-only too: only the binds above are writable.
    '--remount-ro',
    '/',
  ];
  return [...bwrapBaseArgs(), ...binds, ...setenvArgs(cmd.env), '--chdir', cmd.cwd, '--', ...prlimitArgs(cmd.limits), cmd.command, ...cmd.args];
}

/** The process to spawn for a command: bwrap around prlimit around the program, or prlimit alone. */
function launchPlan(cmd: SandboxCommand): { file: string; args: string[]; env: Record<string, string | undefined>; uid?: number } {
  const jail = cmd.jail;
  if (jail?.containment.kind === 'bubblewrap') {
    const asRoot = process.getuid?.() === 0;
    return { file: BWRAP, args: jailArgs(cmd, jail), env: {}, ...(asRoot ? { uid: jail.containment.uid } : {}) };
  }
  const [file, ...rest] = prlimitArgs(cmd.limits);
  return { file, args: [...rest, cmd.command, ...cmd.args], env: cmd.env };
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is already gone.
  }
}

/**
 * bwrap exits with its program's status, and with 128 + N when the program was killed by signal N: turned
 * back into the signal, so a crash inside the sandbox reads as a crash (a program that itself exits with
 * 129..192 reads as killed by a signal too; no compiler or harness does).
 */
function unwrapBwrapStatus(code: number | null, signal: NodeJS.Signals | null): { code: number | null; signal: NodeJS.Signals | null } {
  if (signal || code === null || code <= 128 || code > 128 + 64) return { code, signal };
  const name = Object.entries(osConstants.signals).find(([, n]) => n === code - 128)?.[0] as NodeJS.Signals | undefined;
  return name ? { code: null, signal: name } : { code, signal };
}

/** Runs one command under the limits and classifies how it ended. Never rejects. */
export function runSandboxed(cmd: SandboxCommand): Promise<SandboxRun> {
  const start = performance.now();
  const plan = launchPlan(cmd);
  return new Promise((resolve) => {
    const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
    let kept = 0;
    let truncated = false;
    let killedFor: 'timeout' | 'output_limit' | 'aborted' | null = null;
    let settled = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;

    // detached: the child calls setsid(), so it leads a new process group whose id is its pid.
    const ids = plan.uid === undefined ? {} : { uid: plan.uid, gid: plan.uid };
    const child = spawn(plan.file, plan.args, { cwd: cmd.cwd, env: plan.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'], ...ids });

    const stop = (why: 'timeout' | 'output_limit' | 'aborted') => {
      if (killedFor || exit) return;
      killedFor = why;
      killGroup(child.pid);
    };
    const timer = setTimeout(() => stop('timeout'), cmd.limits.timeout_ms);
    const onAbort = () => stop('aborted');
    cmd.signal?.addEventListener('abort', onAbort, { once: true });
    if (cmd.signal?.aborted) stop('aborted');

    const collect = (which: 'stdout' | 'stderr') => (data: Buffer) => {
      const room = cmd.limits.max_output_bytes - kept;
      if (data.length > room) {
        if (room > 0) chunks[which].push(data.subarray(0, room));
        kept = cmd.limits.max_output_bytes;
        truncated = true;
        stop('output_limit');
        return;
      }
      chunks[which].push(data);
      kept += data.length;
    };
    child.stdout.on('data', collect('stdout'));
    child.stderr.on('data', collect('stderr'));
    // A program that exits without reading its stdin makes the write fail with EPIPE: not our error.
    child.stdin.on('error', () => {});
    child.stdin.end(cmd.stdin ?? '');

    const finish = (run: Omit<SandboxRun, 'stdout' | 'stderr' | 'output_truncated' | 'wall_ms'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      cmd.signal?.removeEventListener('abort', onAbort);
      resolve({
        ...run,
        stdout: Buffer.concat(chunks.stdout).toString('utf8'),
        stderr: Buffer.concat(chunks.stderr).toString('utf8'),
        output_truncated: truncated,
        wall_ms: performance.now() - start,
      });
    };

    child.on('error', (err) => finish({ outcome: 'spawn_error', exit_code: null, signal: null, message: err.message }));
    child.on('exit', (rawCode, rawSignal) => {
      const { code, signal } = plan.file === BWRAP ? unwrapBwrapStatus(rawCode, rawSignal) : { code: rawCode, signal: rawSignal };
      exit = { code, signal };
      // The leader is gone; whatever it left running in its group (a background child holding the pipes)
      // goes too, so the harness never waits on an orphan.
      killGroup(child.pid);
      const drain = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        done();
      }, PIPE_DRAIN_MS);
      const done = () => {
        clearTimeout(drain);
        const outcome: SandboxOutcome = killedFor ?? (signal ? 'signaled' : 'exited');
        finish({ outcome, exit_code: code, signal });
      };
      child.once('close', done);
    });
  });
}

/**
 * Gives `fn` a fresh private directory under the system temp dir and removes it afterwards, whether `fn`
 * returns or throws.
 */
export async function withTempDir<T>(prefix: string, fn: (dir: string) => Promise<T>, owner?: number): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  try {
    // A jailed program runs as an unprivileged uid: its own dir must be writable by it (and only it).
    if (owner !== undefined && process.getuid?.() === 0) {
      // bwrap runs as `owner` and must reach the dir through its parents.
      if (((await stat(tmpdir())).mode & 0o001) === 0)
        throw new Error(`the temp dir ${tmpdir()} is not searchable by the sandbox's uid ${owner}: chmod o+x it, or set TMPDIR to one that is`);
      await chown(dir, owner, owner);
    }
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  }
}
