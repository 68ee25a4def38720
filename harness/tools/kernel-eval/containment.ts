/**
 * Which containment the kernel evaluator runs candidates under, probed once per process. Candidates are
 * written by a model under training, whose reward this evaluator computes: treated as hostile.
 *
 * Chosen by measurement (issue 16; figures in `npm run bench` and the closing note): bubblewrap (Debian's
 * `bubblewrap`, the sandbox Flatpak uses) starts a process in new user, pid, network, ipc, uts, mount and
 * cgroup namespaces in about 2-3 ms, needs no daemon and no root, and with --die-with-parent plus a pid
 * namespace it takes every descendant with it (setsid() does not leave a pid namespace). firejail and nsjail
 * were not needed: bubblewrap is packaged in Debian and does everything asked; `unshare` alone would need
 * the mount view assembled by hand.
 *
 * Inside: a read-only view of the toolchain only (/usr, the CUDA root) and the one writable temp dir; no
 * /etc (so no /etc/shadow, /etc/passwd), no /home, /root or the harness's checkout; no network (a private
 * network namespace with only its own loopback); a cleared environment; an unprivileged uid (65534 when the
 * harness runs as root; the caller's own uid otherwise, which the user namespace strips of every
 * capability); rlimits from util-linux's prlimit for memory (address space), processes, file size and core
 * dumps. No cgroup is created: the per-process rlimits bound what one program can take, the process limit
 * bounds how many there are (named honestly in `describeContainment`).
 */
import { execFile } from 'node:child_process';

/** The uid/gid sandboxed programs run as when the harness is root (Debian's `nobody`). */
export const SANDBOX_UID = 65534;

export type Containment =
  | {
      kind: 'bubblewrap';
      /** `bwrap --version`, e.g. "bubblewrap 0.8.0". */
      version: string;
      /** The uid outside the namespaces: SANDBOX_UID when the harness is root, else the harness's own. */
      uid: number;
      prlimit: string;
    }
  | { kind: 'none'; reason: string };

function exec(file: string, args: string[], opts: { uid?: number; gid?: number; cwd?: string } = {}): Promise<{ ok: boolean; out: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 15000, encoding: 'utf8', env: { PATH: '/usr/bin:/bin' }, ...opts }, (err, stdout, stderr) => {
      resolve({ ok: !err, out: (err ? stderr || err.message : stdout).trim() });
    });
  });
}

/** The bwrap and prlimit binaries, looked up on a fixed system PATH (never the harness user's PATH). */
export const BWRAP = '/usr/bin/bwrap';
export const PRLIMIT = '/usr/bin/prlimit';

export function unprivilegedUid(): number {
  return process.getuid?.() === 0 ? SANDBOX_UID : (process.getuid?.() ?? SANDBOX_UID);
}

/**
 * Whether bubblewrap can actually start a contained process here (it may be installed but refused by the
 * kernel: user namespaces disabled, or a container without the permission to create them).
 */
async function probeBubblewrap(): Promise<Containment> {
  const version = await exec(BWRAP, ['--version']);
  if (!version.ok)
    return { kind: 'none', reason: `bubblewrap is not installed (${BWRAP}: ${version.out.split('\n')[0]}); on Debian: apt-get install bubblewrap` };
  const prlimit = await exec(PRLIMIT, ['--version']);
  if (!prlimit.ok) return { kind: 'none', reason: `prlimit (util-linux) is missing at ${PRLIMIT}: ${prlimit.out.split('\n')[0]}` };
  const uid = unprivilegedUid();
  const asRoot = process.getuid?.() === 0;
  const trial = await exec(BWRAP, [...bwrapBaseArgs(), '--', '/bin/true'], asRoot ? { uid, gid: uid, cwd: '/' } : { cwd: '/' });
  if (!trial.ok) return { kind: 'none', reason: `bubblewrap is installed but cannot create namespaces here: ${trial.out.split('\n')[0]}` };
  return { kind: 'bubblewrap', version: version.out.split('\n')[0], uid, prlimit: prlimit.out.split('\n')[0] };
}

/**
 * The namespace and view flags every sandboxed program gets: new namespaces of every kind (network
 * included), killed when the harness dies, a new session (no TIOCSTI into the harness's terminal), no
 * capabilities, a cleared environment, and a root with nothing but /usr and the usual merged-/usr links.
 */
export function bwrapBaseArgs(): string[] {
  return [
    '--unshare-all',
    '--die-with-parent',
    '--new-session',
    '--cap-drop',
    'ALL',
    '--clearenv',
    '--ro-bind',
    '/usr',
    '/usr',
    '--symlink',
    'usr/bin',
    '/bin',
    '--symlink',
    'usr/lib',
    '/lib',
    '--symlink',
    'usr/lib64',
    '/lib64',
    '--symlink',
    'usr/sbin',
    '/sbin',
    '--ro-bind-try',
    '/etc/ld.so.cache',
    '/etc/ld.so.cache',
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--tmpfs',
    '/tmp',
  ];
}

let cached: Promise<Containment> | undefined;

/** Probed once per process. */
export function probeContainment(): Promise<Containment> {
  cached ??= probeBubblewrap();
  return cached;
}

/** One line for records, reports and the manifest: which containment was in force. */
export function describeContainment(c: Containment): string {
  if (c.kind === 'none') return `NO SANDBOX (--unsafe-no-sandbox): candidates ran as the harness user with only a process group and rlimits; ${c.reason}`;
  return `${c.version}: new user/pid/net/ipc/uts/mount namespaces, no network, read-only toolchain view + own temp dir, cleared environment, uid ${c.uid}, rlimits (address space, processes, file size) via prlimit`;
}

/** Why the evaluator will not run candidates, or null when it may. */
export function refusal(c: Containment, allowUnsafe: boolean): string | null {
  if (c.kind === 'bubblewrap' || allowUnsafe) return null;
  return `no sandbox for candidate kernels: ${c.reason}. The kernel evaluator runs model-written code and refuses to do so uncontained; pass --unsafe-no-sandbox (gtm-bench run, npm run record:kernels; or GTM_BENCH_UNSAFE_NO_SANDBOX=1, or the target option unsafe_no_sandbox: true) to run it anyway`;
}
