/**
 * One 'abort' listener per shared signal, however many attempts wait on it. A run's signal (Ctrl-C, a dead
 * model server) is shared by every call in flight; adding a listener per attempt put 32 on it at the default
 * concurrency and made Node print "MaxListenersExceededWarning: Possible EventTarget memory leak" on every
 * model run. Here the signal gets a single listener that calls the registered callbacks; an attempt
 * registers and unregisters a callback in a Set, which costs nothing on the signal.
 */
const waiting = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `callback` once when `signal` aborts (at once when it already has). Returns the function that
 * unregisters it; call it when the attempt ends, so finished attempts are not kept alive by the signal.
 */
export function onAbort(signal: AbortSignal | undefined, callback: () => void): () => void {
  if (!signal) return () => {};
  if (signal.aborted) {
    callback();
    return () => {};
  }
  let callbacks = waiting.get(signal);
  if (!callbacks) {
    const set = new Set<() => void>();
    callbacks = set;
    waiting.set(signal, set);
    signal.addEventListener(
      'abort',
      () => {
        waiting.delete(signal);
        for (const cb of [...set]) cb();
      },
      { once: true },
    );
  }
  const set = callbacks;
  const once = () => {
    set.delete(once);
    callback();
  };
  set.add(once);
  return () => void set.delete(once);
}
