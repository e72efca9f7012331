interface Waiter {
  kind: 'range' | 'resize';
  start(): void;
}

interface LockState {
  ranges: number;
  resizing: boolean;
  /** In arrival order; a waiting resize holds back every range that comes after it. */
  queue: Waiter[];
}

/**
 * Orders writes into a file's content against resizes of it, per content id, as a storage service
 * does: ranges run together; a resize waits for the ranges under way and holds back new ones until
 * it is done. A range that checks the file's size under its lock can then never write past an end
 * a concurrent shrink has just set.
 */
export class ContentLocks {
  private readonly states = new Map<string, LockState>();

  /** Runs `work` (writing bytes inside the current size) alongside other ranges of the content. */
  forRange<T>(contentId: string, work: () => Promise<T>): Promise<T> {
    return this.run(contentId, 'range', work);
  }

  /** Runs `work` (changing the size) alone: no range of the content is under way meanwhile. */
  forResize<T>(contentId: string, work: () => Promise<T>): Promise<T> {
    return this.run(contentId, 'resize', work);
  }

  private async run<T>(contentId: string, kind: Waiter['kind'], work: () => Promise<T>): Promise<T> {
    let state = this.states.get(contentId);
    if (!state) {
      state = { ranges: 0, resizing: false, queue: [] };
      this.states.set(contentId, state);
    }
    const held = state;
    await new Promise<void>((start) => {
      held.queue.push({ kind, start });
      this.grant(contentId, held);
    });
    try {
      return await work();
    } finally {
      if (kind === 'range') held.ranges--;
      else held.resizing = false;
      this.grant(contentId, held);
    }
  }

  /** Starts waiters from the front of the queue for as long as they may run. */
  private grant(contentId: string, state: LockState): void {
    for (let next = state.queue[0]; next; next = state.queue[0]) {
      if (state.resizing) break;
      if (next.kind === 'resize' && state.ranges > 0) break;
      state.queue.shift();
      if (next.kind === 'range') {
        state.ranges++;
        next.start();
      } else {
        state.resizing = true;
        next.start();
        break;
      }
    }
    if (state.ranges === 0 && !state.resizing && state.queue.length === 0) this.states.delete(contentId);
  }
}
