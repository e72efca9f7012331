import type { AppendBlobClient } from '@azure/storage-blob';

/** Largest block an append blob takes. */
const maxBlockBytes = 4 * 1024 * 1024;
/** An append blob holds at most 50,000 blocks; keep one spare. */
const maxBlocks = 49_999;
/** Output waiting beyond this makes write() ask the writer to pause. */
const highWaterBytes = 8 * 1024 * 1024;
/** Azurite answers on this machine or not at all: a call that takes this long stops the log rather than the job. */
const storageCallTimeoutMs = 60_000;

export interface LogAppenderOptions {
  /** Most time between output arriving and it being in the blob; default 200 ms. */
  flushIntervalMs?: number;
  /** Told once when appending fails (the job goes on; its log stops there). */
  onError?: (error: unknown) => void;
}

/**
 * Streams a process's output into an append blob: chunks are batched and appended at most
 * every `flushIntervalMs`, so readers see new lines within a fraction of a second without one
 * block per write. Long chatty jobs slow down (1 s, then 10 s) to stay inside the block limit.
 */
export class BlobLogAppender {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private blocks = 0;
  private lastFlush = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private failed = false;
  private readonly intervalMs: number;

  constructor(private readonly blob: AppendBlobClient, private readonly options: LogAppenderOptions = {}) {
    this.intervalMs = options.flushIntervalMs ?? 200;
  }

  /** Creates the (empty) log blob; it exists from then on. */
  async create(): Promise<void> {
    await this.blob.create({ blobHTTPHeaders: { blobContentType: 'text/plain; charset=utf-8' }, abortSignal: AbortSignal.timeout(storageCallTimeoutMs) });
  }

  /** Queues output; false when so much waits that the writer should pause until drained(). */
  write(chunk: Buffer): boolean {
    if (this.failed || chunk.length === 0) return true;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    this.schedule();
    return this.pendingBytes < highWaterBytes;
  }

  /** Resolves once the waiting output is below the pause threshold again. */
  async drained(): Promise<void> {
    while (this.pendingBytes >= highWaterBytes && !this.failed) {
      await (this.flushing ?? new Promise((resolve) => setTimeout(resolve, this.intervalMs)));
    }
  }

  /** Appends everything written so far and stops. */
  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flushing;
    while (this.pendingBytes > 0 && !this.failed) await this.flush();
  }

  private currentInterval(): number {
    if (this.blocks < 10_000) return this.intervalMs;
    return this.blocks < 40_000 ? Math.max(this.intervalMs, 1000) : Math.max(this.intervalMs, 10_000);
  }

  private schedule(): void {
    if (this.timer || this.flushing) return;
    const wait = Math.max(0, this.lastFlush + this.currentInterval() - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flushing = this.flush().finally(() => {
        this.flushing = undefined;
        if (this.pendingBytes > 0) this.schedule();
      });
    }, wait);
  }

  /** Appends what is pending now; output written meanwhile waits for the next flush. */
  private async flush(): Promise<void> {
    this.lastFlush = Date.now();
    const data = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    for (let offset = 0; offset < data.length && !this.failed; offset += maxBlockBytes) {
      if (this.blocks >= maxBlocks) {
        this.fail(new Error('The log reached the most blocks an append blob can hold; later output is not kept.'));
        return;
      }
      const block = data.subarray(offset, offset + maxBlockBytes);
      try {
        await this.blob.appendBlock(block, block.length, { abortSignal: AbortSignal.timeout(storageCallTimeoutMs) });
        this.blocks++;
      } catch (error) {
        this.fail(error);
      }
    }
  }

  private fail(error: unknown): void {
    this.failed = true;
    this.pending = [];
    this.pendingBytes = 0;
    this.options.onError?.(error);
  }
}
