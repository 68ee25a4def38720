/**
 * Signalling and inspecting a process group (Linux and macOS; gtm-bench starts vLLM in a group of its own).
 * "Alive" ignores zombies: a helper whose parent died is re-parented to PID 1, and in a container PID 1 is
 * often not an init that reaps; such a zombie holds no GPU memory and no port, so it does not count.
 */
import { readdirSync, readFileSync } from 'node:fs';

export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: no process left in the group
  }
}

/** Pids of the group's live (non-zombie) processes; from /proc where there is one. */
export function groupMembers(pgid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return signalGroup(pgid, 0) ? [pgid] : [];
  }
  const members: number[] = [];
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the command (which may hold spaces and parentheses): state ppid pgrp ...
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(rest[2]) === pgid && rest[0] !== 'Z') members.push(Number(name));
    } catch {
      // the process ended while we looked
    }
  }
  return members;
}

export const groupAlive = (pgid: number) => groupMembers(pgid).length > 0;

/** True when the process exists and is not a zombie. */
export function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    // No /proc/PID: gone, or a system without /proc, where kill(pid, 0) is the only question there is.
    try {
      readdirSync('/proc');
      return false;
    } catch {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    }
  }
}
