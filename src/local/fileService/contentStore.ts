import { createHash } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { errors } from './storageError';

/**
 * File content on disk, one sparse file per content id under `<dir>/<first two hex digits>/`.
 * Names never reach the disk, so any name the service accepts works on any local filesystem.
 * Invariant: a content file's length is the file's size.
 */
export class ContentStore {
  private constructor(private readonly dir: string) {}

  static async open(dir: string): Promise<ContentStore> {
    await fs.mkdir(dir, { recursive: true });
    const shards = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
    await Promise.all(shards.map((shard) => fs.mkdir(path.join(dir, shard), { recursive: true })));
    return new ContentStore(dir);
  }

  private pathOf(contentId: string): string {
    if (!/^[0-9a-f]{32}$/.test(contentId)) throw new Error('Invalid content id.');
    return path.join(this.dir, contentId.slice(0, 2), contentId);
  }

  async create(contentId: string, size: number): Promise<void> {
    const handle = await fs.open(this.pathOf(contentId), 'wx');
    try {
      if (size > 0) await handle.truncate(size);
    } finally {
      await handle.close();
    }
  }

  async resize(contentId: string, size: number): Promise<void> {
    await fs.truncate(this.pathOf(contentId), size);
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
    const target = createWriteStream(this.pathOf(contentId), { flags: 'r+', start: offset });
    await pipeline(body, counter, target);
    return hash.digest();
  }

  async writeBuffer(contentId: string, offset: number, data: Buffer): Promise<void> {
    const handle = await fs.open(this.pathOf(contentId), 'r+');
    try {
      await handle.write(data, 0, data.length, offset);
    } finally {
      await handle.close();
    }
  }

  /** Writes zeros over `[offset, offset + length)` (Put Range with `x-ms-write: clear`). */
  async clear(contentId: string, offset: number, length: number): Promise<void> {
    const handle = await fs.open(this.pathOf(contentId), 'r+');
    try {
      const zeros = Buffer.alloc(Math.min(length, 1024 * 1024));
      for (let done = 0; done < length; done += zeros.length) {
        await handle.write(zeros, 0, Math.min(zeros.length, length - done), offset + done);
      }
    } finally {
      await handle.close();
    }
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
