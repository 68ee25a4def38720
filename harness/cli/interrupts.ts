/**
 * How the long-running commands (run, agent) answer SIGINT and SIGTERM; one rule for both, so a scheduler or
 * a person gets the same behaviour whichever command it stops:
 * - the first signal of either kind stops taking new work: calls or episodes in flight finish, a served model
 *   server is stopped, and the run folder is completed with status `interrupted` (`--resume` continues it);
 * - a second signal of either kind leaves at once with exit 130. Every finished record is already on disk
 *   (records are appended per call), and a served model server is still taken down with the process group.
 * SIGTERM counts like Ctrl-C because job schedulers (Slurm, Kubernetes) send it first and SIGKILL after a
 * grace period: the first one is the chance to finish the folder, a second one means "now".
 */
export interface Interrupts {
  /** Aborted by the first SIGINT or SIGTERM. */
  signal: AbortSignal;
  /** Removes the handlers (call in `finally`). */
  dispose(): void;
}

/** Installs the handlers; `what` names the work in flight for the message ("calls", "episodes"). */
export function handleInterrupts(what: string): Interrupts {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(130);
    const word = name === 'SIGTERM' ? 'terminated' : 'interrupted';
    process.stderr.write(`\n${word}: finishing the ${what} in flight and writing the run folder (Ctrl-C again to quit now)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      // Once interrupted, the handlers stay until the process exits: a second signal arriving while the folder
      // is being finished, or just after, still means exit 130, never death by signal with no exit code.
      if (controller.signal.aborted) return;
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
