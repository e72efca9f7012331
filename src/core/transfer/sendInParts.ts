import type { promises as fs } from 'node:fs';
import { onAbort } from './abortSignals';
import type { FileHash } from './backgroundMd5';
import { readExactly, type BufferPool } from './localFiles';
import type { TransferScheduler } from './scheduler';

export interface PartsToSend {
  file: fs.FileHandle;
  size: number;
  partSize: number;
  scheduler: TransferScheduler;
  buffers: BufferPool;
  /** Updated with every part in order (off the event loop), unless the file's MD5 is known already. */
  hash: FileHash | undefined;
  /** Sends one part; parts go out in parallel, in any order. */
  send(index: number, offset: number, data: Buffer, signal: AbortSignal): Promise<void>;
  /** A part arrived. */
  sent(bytes: number): void;
  /** The transfer's signal (cancel, or an error that stops everything). */
  signal: AbortSignal;
  /** Awaited before each part is read; a throw stops this file's parts (as a failed part does). */
  beforePart?(bytes: number): Promise<void>;
}

/**
 * Reads a file once, in order, a part at a time (each part waits for its share of the memory
 * budget before it is read, so memory stays flat), hashing as it goes, while the parts already
 * read are sent in parallel. One part failing stops this file's other parts, not the transfer.
 * Resolves when every part was sent; rejects with the first failure after all parts settled.
 */
export async function sendInParts(parts: PartsToSend): Promise<void> {
  const fileAbort = new AbortController();
  const unsubscribe = onAbort(parts.signal, () => fileAbort.abort(parts.signal.reason));
  const sends: Array<Promise<void>> = [];
  let failure: { error: unknown } | undefined;
  const fail = (error: unknown): void => {
    failure ??= { error };
    fileAbort.abort(error);
  };
  try {
    for (let index = 0, offset = 0; offset < parts.size && !failure; index++, offset += parts.partSize) {
      const length = Math.min(parts.partSize, parts.size - offset);
      await parts.beforePart?.(length);
      const release = await parts.scheduler.acquire(length, fileAbort.signal);
      const buffer = parts.buffers.take(length);
      const done = (): void => {
        release();
        parts.buffers.give(buffer);
      };
      try {
        await readExactly(parts.file, buffer, length, offset);
      } catch (error) {
        done();
        throw error;
      }
      const data = buffer.subarray(0, length);
      // The buffer goes back to the pool once it is both sent and hashed.
      const hashed = parts.hash?.update(data).catch(fail);
      const sent = parts.send(index, offset, data, fileAbort.signal).then(() => parts.sent(length), fail);
      sends.push(Promise.all([sent, hashed]).then(done));
    }
  } catch (error) {
    fail(error);
  } finally {
    // Every part settles (sent or aborted) before the file is completed or abandoned.
    await Promise.all(sends);
    unsubscribe();
  }
  if (failure) throw failure.error;
}
