import * as l10n from '@vscode/l10n';
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, promises as fs, readFileSync, readSync } from 'node:fs';
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
 * Whether a local file of `localSize` bytes holds the remote file, as "skip unchanged" decides
 * it: the same size, and a Content-MD5 equal to the local file's MD5 (without one, it differs).
 */
export async function sameAsRemoteFile(localPath: string, localSize: number, remote: { size: number; md5?: string | undefined }, signal?: AbortSignal): Promise<boolean> {
  if (remote.size !== localSize || remote.md5 === undefined) return false;
  return (await md5OfFile(localPath, signal)).toString('base64') === remote.md5;
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

/**
 * Buffers for whole files that fit in one request, by power-of-two size, reused: thousands of
 * files each read into a buffer of its own left those buffers to the garbage collector, and
 * peak memory grew with its lag rather than with what was in flight. At most `keepBytes` wait
 * free; only buffers this pool made come back into it.
 */
export class WholeFileBuffers {
  private readonly free = new Map<number, ArrayBuffer[]>();
  private readonly ours = new WeakSet<ArrayBuffer>();
  private freeBytes = 0;

  constructor(private readonly keepBytes: number, private readonly smallestSize = 128 * 1024) {}

  /** A buffer of exactly `length` bytes (a view of a pooled one). */
  take(length: number): Buffer {
    let size = this.smallestSize;
    while (size < length) size *= 2;
    const backing = this.free.get(size)?.pop();
    if (backing) {
      this.freeBytes -= size;
      return Buffer.from(backing, 0, length);
    }
    const made = Buffer.allocUnsafeSlow(size).buffer as ArrayBuffer;
    this.ours.add(made);
    return Buffer.from(made, 0, length);
  }

  /** Gives back a buffer of `take` once nothing uses it any more. */
  give(buffer: Buffer): void {
    const backing = buffer.buffer as ArrayBuffer;
    if (!this.ours.has(backing) || this.freeBytes + backing.byteLength > this.keepBytes) return;
    const list = this.free.get(backing.byteLength) ?? [];
    if (list.includes(backing)) return;
    list.push(backing);
    this.free.set(backing.byteLength, list);
    this.freeBytes += backing.byteLength;
  }
}

const growthProbe = Buffer.alloc(1);

/** The reads readWholeFile needs, synchronous or not. */
interface OpenFile {
  read(buffer: Buffer, offset: number, length: number, position: number): number | Promise<number>;
  close(): void | Promise<void>;
}

function openSynchronously(file: string): OpenFile {
  const fd = openSync(file, 'r');
  return { read: (buffer, offset, length, position) => readSync(fd, buffer, offset, length, position), close: () => closeSync(fd) };
}

async function openAsynchronously(file: string): Promise<OpenFile> {
  const handle = await fs.open(file, 'r');
  return { read: async (buffer, offset, length, position) => (await handle.read(buffer, offset, length, position)).bytesRead, close: () => handle.close() };
}

/**
 * The whole content of a file that fits in one request, `size` bytes when it was found, read into
 * a buffer of `buffers` (synchronously up to syncReadLimit). A file that has grown since is read
 * as it is now, into a buffer of its own; one that shrank, as far as it goes.
 */
export async function readWholeFile(file: string, size: number, buffers: WholeFileBuffers, signal?: AbortSignal): Promise<Buffer> {
  const synchronously = size <= syncReadLimit;
  const data = buffers.take(size);
  let grown = false;
  let length = 0;
  try {
    const open = synchronously ? openSynchronously(file) : await openAsynchronously(file);
    try {
      for (let read = -1; read !== 0 && length < size; length += read) {
        signal?.throwIfAborted();
        read = await open.read(data, length, size - length, length);
      }
      grown = length === size && (await open.read(growthProbe, 0, 1, size)) > 0;
    } finally {
      await open.close();
    }
  } catch (error) {
    buffers.give(data);
    throw error;
  }
  if (!grown) return data.subarray(0, length);
  buffers.give(data);
  return synchronously ? readFileSync(file) : fs.readFile(file, signal ? { signal } : {});
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
