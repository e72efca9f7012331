import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { makeDirectory, syncDirectory } from '../durability';
import { ContentLocks } from './contentLocks';
import { errors } from './storageError';

/**
 * File content on disk, one sparse file per content id under `<dir>/<first two hex digits>/`.
 * Names never reach the disk, so any name the service accepts works on any local filesystem.
 * Invariant: a content file's length is the file's size.
 *
 * Every change is on disk when its promise resolves (fdatasync, and for a new content file an
 * fsync of its folder), so a request answered after it has its data even after a power cut.
 */
export class ContentStore {
  /** Orders Put Ranges and resizes of one content; the operations take them, this class does not. */
  readonly locks = new ContentLocks();

  private constructor(private readonly dir: string) {}

  static async open(dir: string): Promise<ContentStore> {
    await makeDirectory(dir);
    const shards = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
    await Promise.all(shards.map((shard) => fs.mkdir(path.join(dir, shard), { recursive: true })));
    await syncDirectory(dir);
    return new ContentStore(dir);
  }

  private pathOf(contentId: string): string {
    if (!/^[0-9a-f]{32}$/.test(contentId)) throw new Error('Invalid content id.');
    return path.join(this.dir, contentId.slice(0, 2), contentId);
  }

  async create(contentId: string, size: number): Promise<void> {
    const file = this.pathOf(contentId);
    await this.change(file, 'wx', async (handle) => {
      if (size > 0) await handle.truncate(size);
    });
    await syncDirectory(path.dirname(file));
  }

  async resize(contentId: string, size: number): Promise<void> {
    await this.change(this.pathOf(contentId), 'r+', (handle) => handle.truncate(size));
  }

  /** Runs `write` on the opened file, then fdatasyncs it: resolved, the change is on disk. */
  private async change(file: string, flags: 'wx' | 'r+', write: (handle: fs.FileHandle) => Promise<unknown>): Promise<void> {
    const handle = await fs.open(file, flags);
    try {
      await write(handle);
      await handle.datasync();
    } finally {
      await handle.close();
    }
  }

  /**
   * Streams exactly `length` bytes from `body` into the content at `offset`, without holding them
   * in memory. Returns the MD5 of what was written.
   */
  async writeStream(contentId: string, offset: number, length: number, body: Readable): Promise<Buffer> {
    const hash = createHash('md5');
    let received = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        if (received > length) {
          callback(errors.invalidHeaderValue('Content-Length (the body is longer)'));
          return;
        }
        hash.update(chunk);
        callback(null, chunk);
      },
      flush(callback) {
        callback(received === length ? null : errors.invalidHeaderValue('Content-Length (the body is shorter)'));
      },
    });
    // Written chunk by chunk to the open handle (not a file stream, which would close it) so that
    // `change` can sync it once the whole body is in.
    await this.change(this.pathOf(contentId), 'r+', (handle) => pipeline(body, counter, async (chunks: AsyncIterable<Buffer>) => {
      let position = offset;
      for await (const chunk of chunks) {
        for (let done = 0; done < chunk.length;) {
          const { bytesWritten } = await handle.write(chunk, done, chunk.length - done, position);
          done += bytesWritten;
          position += bytesWritten;
        }
      }
    }));
    return hash.digest();
  }

  async writeBuffer(contentId: string, offset: number, data: Buffer): Promise<void> {
    await this.change(this.pathOf(contentId), 'r+', (handle) => handle.write(data, 0, data.length, offset));
  }

  /** Writes zeros over `[offset, offset + length)` (Put Range with `x-ms-write: clear`). */
  async clear(contentId: string, offset: number, length: number): Promise<void> {
    await this.change(this.pathOf(contentId), 'r+', async (handle) => {
      const zeros = Buffer.alloc(Math.min(length, 1024 * 1024));
      for (let done = 0; done < length; done += zeros.length) {
        await handle.write(zeros, 0, Math.min(zeros.length, length - done), offset + done);
      }
    });
  }

  /**
   * Bytes `[start, endInclusive]` as a stream read from disk as it is consumed. The file is opened
   * before this resolves, so a response can start only once its content is sure to be readable.
   */
  async openRead(contentId: string, start: number, endInclusive: number): Promise<Readable> {
    const handle = await fs.open(this.pathOf(contentId), 'r');
    return handle.createReadStream({ start, end: endInclusive, autoClose: true });
  }

  async readBuffer(contentId: string, start: number, length: number): Promise<Buffer> {
    const handle = await fs.open(this.pathOf(contentId), 'r');
    try {
      const buffer = Buffer.alloc(length);
      let filled = 0;
      while (filled < length) {
        const { bytesRead } = await handle.read(buffer, filled, length - filled, start + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return buffer;
    } finally {
      await handle.close();
    }
  }

  async remove(contentId: string): Promise<void> {
    await fs.rm(this.pathOf(contentId), { force: true });
  }

  /** Deletes content files no entry refers to (left by a stop between writing content and metadata). */
  async removeUnreferenced(referenced: Set<string>): Promise<number> {
    let removed = 0;
    for (const shard of await fs.readdir(this.dir)) {
      if (!/^[0-9a-f]{2}$/.test(shard)) continue;
      for (const name of await fs.readdir(path.join(this.dir, shard))) {
        if (referenced.has(name)) continue;
        await fs.rm(path.join(this.dir, shard, name), { force: true });
        removed++;
      }
    }
    return removed;
  }
}
