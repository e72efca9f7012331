import type { Datastore } from '../../azure/domain';
import { toAzureMlError, type AzureMlError } from '../../azure/errors';
import { freemem } from 'node:os';
import { observeAttempts } from '../../azure/transport';
import { withChildSignal } from './abortSignals';
import { ConcurrencyLimit } from './concurrencyLimit';
import { transferStoppingError, type StorageAccess } from './accessErrors';
import { localErrorReason } from './localFiles';
import { ProgressTracker } from './progressTracker';
import { defaultTuning, type TransferTuning } from './tuning';
import type { TransferDirection, TransferProgress, TransferResult } from './types';

export interface TransferOptions {
  /** Cancels the transfer: requests under way are aborted, the result says what was done. */
  signal?: AbortSignal;
  /** Called on every change; throttle it where it is shown (throttleProgress). */
  onProgress?: (progress: TransferProgress) => void;
  tuning?: Partial<TransferTuning>;
}

/** A short reason for a failed file, for the summary. */
export function failureReason(error: unknown): string {
  return localErrorReason(error) ?? toAzureMlError(error).message.split('\n')[0]!;
}

/**
 * The state of one upload or download: its result as it grows, its progress, and the abort
 * signal that a cancel or a transfer-stopping error (a missing permission) trips.
 */
export class TransferRun {
  readonly result: TransferResult;
  readonly tracker: ProgressTracker;
  readonly tuning: TransferTuning;
  /** Requests in flight, adapted to the link; undefined when tuned to a fixed number. */
  readonly concurrency: ConcurrencyLimit | undefined;
  private requestsInFlight = 0;
  private readonly controller = new AbortController();
  private readonly started = performance.now();
  private readonly unlink: () => void;

  constructor(
    direction: TransferDirection,
    private readonly datastore: Datastore,
    remotePath: string,
    localRoot: string,
    private readonly options: TransferOptions,
  ) {
    this.tuning = { ...defaultTuning, ...options.tuning };
    const { maxConcurrency, initialConcurrency, latencyFloorConcurrency, lowMemoryBytes } = this.tuning;
    this.concurrency = this.tuning.adaptiveConcurrency
      ? new ConcurrencyLimit({
        initial: Math.min(initialConcurrency, maxConcurrency), max: maxConcurrency,
        latencyFloor: Math.min(latencyFloorConcurrency, maxConcurrency), lowMemoryBytes, freeMemory: freemem,
      })
      : undefined;
    this.result = {
      direction, datastoreName: datastore.name, remotePath, localRoot,
      transferred: { files: 0, bytes: 0 },
      skipped: { existing: 0, unchanged: 0, bytes: 0 },
      ignored: { files: 0, folders: 0 },
      emptyFolders: 0, failed: [], notTransferred: [], canceled: false, elapsedMs: 0, filesFound: 0, foundAll: false,
    };
    this.tracker = new ProgressTracker(direction, options.onProgress);
    const cancel = (): void => this.controller.abort(options.signal?.reason);
    if (options.signal?.aborted) cancel();
    options.signal?.addEventListener('abort', cancel, { once: true });
    this.unlink = () => options.signal?.removeEventListener('abort', cancel);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Canceled by the caller or stopped by an error every file would meet. */
  get stopped(): boolean {
    return this.controller.signal.aborted;
  }

  /**
   * A storage call, given a signal of its own that aborts with `signal` (the transfer's by
   * default); an error that every file would meet stops the whole transfer.
   */
  storage<T>(access: StorageAccess, call: (signal: AbortSignal) => Promise<T>, signal: AbortSignal = this.signal): Promise<T> {
    return withChildSignal(signal, (own) => this.observed(access, own, call)).catch((error: unknown) => {
      if (!this.stopped) {
        const stopping = transferStoppingError(error, this.datastore, access);
        if (stopping) this.stop(stopping);
      }
      throw error;
    });
  }

  /**
   * Tells the concurrency limit what a request saw: every 429/503 attempt (the SDK's retries
   * included), and the latency of reads and writes that succeeded (a listing page is not a
   * request of the transfer's kind), marked when a throttled attempt was retried.
   */
  private async observed<T>(access: StorageAccess, own: AbortSignal, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const limit = this.concurrency;
    if (!limit) return call(own);
    let retried = false;
    observeAttempts(own, (status) => {
      if (status !== 429 && status !== 503) return;
      retried = true;
      limit.throttled();
    });
    const inFlight = ++this.requestsInFlight;
    const started = performance.now();
    try {
      const answer = await call(own);
      if (access !== 'list') limit.sample({ latencyMs: performance.now() - started, inFlight, retried });
      return answer;
    } finally {
      this.requestsInFlight--;
    }
  }

  stop(error: AzureMlError): void {
    if (!this.result.fatal) {
      this.result.fatal = { message: error.message, code: error.code, ...(error.status !== undefined ? { status: error.status } : {}) };
    }
    this.controller.abort(error);
  }

  found(bytes: number): void {
    this.result.filesFound++;
    this.tracker.found(bytes);
  }

  /** Every file to transfer has been found. */
  allFound(): void {
    this.result.foundAll = true;
    this.tracker.allFound();
  }

  transferredFile(bytes: number): void {
    this.result.transferred.files++;
    this.result.transferred.bytes += bytes;
    this.tracker.fileDone();
  }

  skippedFile(kind: 'existing' | 'unchanged', bytes: number): void {
    this.result.skipped[kind]++;
    this.result.skipped.bytes += bytes;
    this.tracker.fileDone(bytes);
  }

  /** A file found, then refused for good (a resume would refuse it again): not transferred, with the reason. */
  refusedFile(path: string, reason: string, bytes: number): void {
    this.result.notTransferred.push({ path, reason });
    this.tracker.fileDone(bytes);
  }

  /** A file failed. Failures caused by a cancel or a stopping error are not listed: those files were simply not reached. */
  failedFile(path: string, error: unknown, bytesNotMoved: number): void {
    if (this.stopped) return;
    this.result.failed.push({ path, reason: failureReason(error) });
    this.tracker.fileDone(bytesNotMoved);
  }

  finish(): TransferResult {
    this.unlink();
    this.result.elapsedMs = performance.now() - this.started;
    this.result.canceled = this.options.signal?.aborted === true && !this.result.fatal;
    return this.result;
  }
}
