/**
 * A transfer has one signal (cancel, or an error that stops everything) and hundreds of waits
 * and requests under way at once. Each adding its own listener to that one signal is what Node
 * reports as a possible leak past ten (MaxListenersExceededWarning). Here any number of
 * subscribers share one listener per signal, and each request gets a signal of its own.
 */

const subscribers = new WeakMap<AbortSignal, Set<() => void>>();

/** Calls `listener` once when `signal` aborts (at once if it has); answers the function that unsubscribes it. */
export function onAbort(signal: AbortSignal, listener: () => void): () => void {
  if (signal.aborted) {
    listener();
    return () => undefined;
  }
  let listeners = subscribers.get(signal);
  if (!listeners) {
    const all = new Set<() => void>();
    listeners = all;
    subscribers.set(signal, all);
    signal.addEventListener('abort', () => {
      const called = [...all];
      all.clear();
      for (const call of called) call();
    }, { once: true });
  }
  const own = (): void => listener();
  listeners.add(own);
  return () => {
    listeners.delete(own);
  };
}

/** A signal of its own for one request, aborted with `parent` (with its reason) until released. */
export function childSignal(parent: AbortSignal): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  if (parent.aborted) {
    controller.abort(parent.reason);
    return { signal: controller.signal, release: () => undefined };
  }
  const release = onAbort(parent, () => controller.abort(parent.reason));
  return { signal: controller.signal, release };
}

/** Runs `work` with a signal of its own, aborted with `parent` while it runs. */
export async function withChildSignal<T>(parent: AbortSignal, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const child = childSignal(parent);
  try {
    return await work(child.signal);
  } finally {
    child.release();
  }
}
