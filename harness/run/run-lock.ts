/**
 * One writer per run folder. Two `--resume` of one folder at once duplicated records and lost others, so a
 * writer (run, resume, replay, agent, merge's output) holds an exclusive lock on `run.lock` in the folder for as
 * long as it writes; readers (report, compare, merge's inputs) never take it.
 *
 * The lock is an OS lock on an open file: SQLite's (POSIX fcntl) exclusive lock on `run.lock`, taken with
 * better-sqlite3, which gtm-bench already ships for the response cache. The kernel drops it when the holder's
 * process ends, however it ends (kill -9 included), so a dead holder never leaves the folder stuck, and no
 * liveness guess (pid reuse, another host's pid namespace) is involved. Who holds it is written beside it in
 * `run.lock.json` (pid, host, command, since), only to name the holder in the refusal. The lock file is kept
 * after the run: deleting it could let two writers lock two different files of the same name.
 * Like the response cache, this relies on the file system honouring fcntl locks (local disks, NFSv4).
 */
import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { redactJsonText } from '../util/redact.js';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../util/errors.js';

export const LOCK_FILE = 'run.lock';
export const LOCK_HOLDER_FILE = 'run.lock.json';

export interface LockHolder {
  pid: number;
  host: string;
  since: string;
  argv: string[];
}

export interface RunLock {
  readonly dir: string;
  release(): void;
}

function describeHolder(dir: string): string {
  try {
    const h = JSON.parse(readFileSync(join(dir, LOCK_HOLDER_FILE), 'utf8')) as LockHolder;
    return `pid ${h.pid} on host ${h.host}${h.host === hostname() ? '' : ' (another machine)'}, since ${h.since} (gtm-bench ${h.argv.join(' ')})`;
  } catch {
    return 'another process (it has not yet said which)';
  }
}

/** Takes the folder's writer lock, or throws a UserError (exit 2) naming the process that holds it. */
export function lockRunFolder(dir: string, argv: string[] = process.argv.slice(2)): RunLock {
  let db: Database.Database;
  try {
    db = new Database(join(dir, LOCK_FILE), { timeout: 0 });
    // One connection holds its lock from the first write until it is closed.
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    // @ts-expect-error db is unset when the constructor itself threw
    db?.close?.();
    const code = (err as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      throw new UserError(
        `run folder ${dir} is being written by ${describeHolder(dir)}; wait for it to end, or stop it (its records are kept; --resume continues)`,
      );
    }
    throw new UserError(`run folder ${dir}: cannot take its lock ${join(dir, LOCK_FILE)}: ${(err as Error).message}`);
  }
  const holder: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString(), argv };
  writeFileSync(join(dir, LOCK_HOLDER_FILE), redactJsonText(JSON.stringify(holder)) + '\n');
  let held = true;
  return {
    dir,
    release() {
      if (!held) return;
      held = false;
      try {
        db.exec('ROLLBACK');
      } catch {
        // nothing was written in the transaction; closing releases the lock either way
      }
      db.close();
    },
  };
}
