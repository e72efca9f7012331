import * as l10n from '@vscode/l10n';
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, promises as fs, readSync } from 'node:fs';
import { withChildSignal } from './abortSignals';

/** The MD5 of a local file, read as a stream (memory does not grow with the file). */
export async function md5OfFile(file: string, signal?: AbortSignal): Promise<Buffer> {
  const hash = createHash('md5');
  const read = async (own?: AbortSignal): Promise<Buffer> => {
    for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024, ...(own ? { signal: own } : {}) })) {
      hash.update(chunk as Buffer);
    }
    return hash.digest();
  };
  return signal ? withChildSignal(signal, read) : read();
}

/**
 * Files up to this size are read synchronously: one system call sequence instead of four
 * thread-pool round trips, which for thousands of small files costs more than the read.
 */
export const syncReadLimit = 64 * 1024;

const smallFileScratch = Buffer.allocUnsafe(syncReadLimit + 1);

/**
 * Base64 MD5 of a small file (up to syncReadLimit) expected to be `size` bytes, read into a
 * buffer kept for the purpose; undefined when it cannot be read or is not that size (any more).
 */
export function md5OfSmallFile(file: string, size: number): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const length = readSync(fd, smallFileScratch, 0, smallFileScratch.length, 0);
    return length === size ? createHash('md5').update(smallFileScratch.subarray(0, length)).digest('base64') : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The whole content of a file that fits in one request (but not in syncReadLimit). */
export function readWholeFile(file: string, signal?: AbortSignal): Promise<Buffer> {
  return fs.readFile(file, signal ? { signal } : {});
}

/** Reads exactly `length` bytes at `position` into `buffer`; fewer means the file got shorter since it was measured. */
export async function readExactly(file: fs.FileHandle, buffer: Buffer, length: number, position: number): Promise<void> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await file.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) throw Object.assign(new Error(l10n.t('the file got shorter while it was uploaded')), { code: 'FileChanged' });
    done += bytesRead;
  }
}

/**
 * Block buffers, reused so a large file's upload keeps memory flat instead of leaving it to the GC.
 * Shared (SharedArrayBuffer), so the MD5 worker hashes them in place (BackgroundMd5).
 */
export class BufferPool {
  private readonly free: Buffer[] = [];

  constructor(readonly size: number, private readonly keep: number) {}

  take(length: number): Buffer {
    if (length > this.size) return Buffer.allocUnsafe(length);
    return this.free.pop() ?? Buffer.from(new SharedArrayBuffer(this.size));
  }

  give(buffer: Buffer): void {
    if (buffer.length === this.size && this.free.length < this.keep) this.free.push(buffer);
  }
}

/** A short reason for a local file system error, for the summary. */
export function localErrorReason(error: unknown): string | undefined {
  const e = error as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOENT': return l10n.t('the file disappeared before it was transferred');
    case 'EACCES':
    case 'EPERM': return l10n.t('permission denied ({0})', e.code);
    case 'EISDIR': return l10n.t('a folder has that name');
    case 'ENOTDIR': return l10n.t('a file has the name of one of its folders');
    case 'ENOSPC': return l10n.t('the disk is full');
    case 'FileChanged': return l10n.t('the file changed while it was transferred');
    case 'EMFILE':
    case 'ENFILE': return l10n.t('too many open files');
    default: return e.code && /^E[A-Z]+$/.test(e.code) ? `${e.message}` : undefined;
  }
}
