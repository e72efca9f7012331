import * as l10n from '@vscode/l10n';
import { abortError } from '../../azure/errors';
import { onAbort } from './abortSignals';

/** Limits for requests in flight at once. */
export interface SchedulerLimits {
  /** Requests running at the same time. */
  maxConcurrency: number;
  /** Bytes of request bodies held in memory at the same time. */
  maxInFlightBytes: number;
  /** A limit that moves (ConcurrencyLimit); then maxConcurrency is only its ceiling. */
  adaptive?: { readonly limit: number; onChange(listener: () => void): () => void };
}

interface Waiter {
  bytes: number;
  grant: () => void;
  reject: (error: unknown) => void;
  unsubscribe: () => void;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? abortError();
}

/**
 * Hands out request slots and a memory budget, first come first served: many small files run
 * side by side, a large file's blocks take turns with them, and the bytes held for bodies never
 * exceed the budget. A request larger than the whole budget runs alone.
 */
export class TransferScheduler {
  private running = 0;
  private bytesInFlight = 0;
  private readonly queue: Waiter[] = [];

  constructor(readonly limits: SchedulerLimits) {
    if (limits.maxConcurrency < 1 || limits.maxInFlightBytes < 1) throw new RangeError(l10n.t('Scheduler limits must be positive.'));
    limits.adaptive?.onChange(() => this.pump());
  }

  /** Requests allowed in flight now. */
  get concurrency(): number {
    return Math.max(1, Math.min(this.limits.maxConcurrency, this.limits.adaptive?.limit ?? Infinity));
  }

  get active(): number {
    return this.running;
  }

  get inFlightBytes(): number {
    return this.bytesInFlight;
  }

  /** Runs `task` once a slot and `bytes` of budget are free; frees them when it settles. */
  async run<T>(bytes: number, task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const release = await this.acquire(bytes, signal);
    try {
      return await task();
    } finally {
      release();
    }
  }

  /** Waits for a slot and `bytes` of budget; call the answer exactly once to give them back. */
  acquire(bytes: number, signal?: AbortSignal): Promise<() => void> {
    const wanted = Math.min(Math.max(0, bytes), this.limits.maxInFlightBytes);
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise<() => void>((resolve, reject) => {
      const waiter: Waiter = {
        bytes: wanted,
        unsubscribe: () => undefined,
        grant: () => {
          waiter.unsubscribe();
          let released = false;
          resolve(() => {
            if (released) return;
            released = true;
            this.running--;
            this.bytesInFlight -= wanted;
            this.pump();
          });
        },
        reject,
      };
      this.queue.push(waiter);
      if (signal) {
        waiter.unsubscribe = onAbort(signal, () => {
          const index = this.queue.indexOf(waiter);
          if (index >= 0) this.queue.splice(index, 1);
          reject(abortReason(signal));
          this.pump();
        });
      }
      this.pump();
    });
  }

  private fits(bytes: number): boolean {
    if (this.running >= this.concurrency) return false;
    return this.running === 0 || this.bytesInFlight + bytes <= this.limits.maxInFlightBytes;
  }

  private pump(): void {
    // Strictly in order: a large request at the head is not overtaken by small ones forever.
    while (this.queue.length > 0 && this.fits(this.queue[0]!.bytes)) {
      const waiter = this.queue.shift()!;
      this.running++;
      this.bytesInFlight += waiter.bytes;
      waiter.grant();
    }
  }
}

/**
 * Starts async jobs with at most `limit` of them unfinished. `add` waits for room; `drain` waits
 * for all. Jobs must handle their own errors (a rejection here is a bug and is rethrown by drain).
 */
export class JobPool {
  private running = 0;
  // Waiters are woken one per finished job (not with Promise.race over all running jobs, which
  // leaves a reaction on every running promise per call: quadratic work for thousands of files).
  private readonly waiting: Array<() => void> = [];
  private idle: (() => void) | undefined;
  private failure: { error: unknown } | undefined;

  constructor(private readonly limit: number) {}

  async add(job: () => Promise<void>): Promise<void> {
    while (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    void job().catch((error: unknown) => {
      this.failure ??= { error };
    }).finally(() => {
      this.running--;
      this.waiting.shift()?.();
      if (this.running === 0) this.idle?.();
    });
  }

  async drain(): Promise<void> {
    while (this.running > 0) await new Promise<void>((resolve) => (this.idle = resolve));
    if (this.failure) throw this.failure.error;
  }
}
