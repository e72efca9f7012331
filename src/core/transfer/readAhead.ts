/**
 * Pulls items from `source` ahead of the consumer, up to `capacity` waiting items. Used so the
 * folder walk (fast) finishes early and the totals for progress are known, while memory stays
 * bounded for folders of any size. `onItem` sees each item as it is read.
 */
export function readAhead<T>(source: AsyncIterator<T>, capacity: number, onItem: (item: T) => void, onEnd: () => void): AsyncIterableIterator<T> {
  const buffer: T[] = [];
  let ended = false;
  let failure: { error: unknown } | undefined;
  let stopped = false;
  let wakeConsumer: (() => void) | undefined;
  let wakeProducer: (() => void) | undefined;

  const pump = async (): Promise<void> => {
    try {
      while (!stopped) {
        while (buffer.length >= capacity && !stopped) await new Promise<void>((resolve) => (wakeProducer = resolve));
        if (stopped) break;
        const next = await source.next();
        if (next.done) break;
        buffer.push(next.value);
        onItem(next.value);
        wakeConsumer?.();
      }
    } catch (error) {
      failure = { error };
    } finally {
      ended = true;
      if (!failure && !stopped) onEnd();
      wakeConsumer?.();
    }
  };
  void pump();

  const iterator: AsyncIterableIterator<T> = {
    async next(): Promise<IteratorResult<T>> {
      for (;;) {
        if (buffer.length > 0) {
          const value = buffer.shift()!;
          wakeProducer?.();
          return { done: false, value };
        }
        if (failure) throw failure.error;
        if (ended) return { done: true, value: undefined };
        await new Promise<void>((resolve) => (wakeConsumer = resolve));
      }
    },
    async return(): Promise<IteratorResult<T>> {
      stopped = true;
      buffer.length = 0;
      wakeProducer?.();
      await source.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
