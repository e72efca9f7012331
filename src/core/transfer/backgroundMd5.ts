import * as l10n from '@vscode/l10n';
import { Worker } from 'node:worker_threads';

// Plain CommonJS, evaluated in the worker: the extension, the CLI and the bundles need no file for it.
const workerSource = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const hashes = new Map();
parentPort.on('message', (m) => {
  try {
    if (m.kind === 'update') {
      let hash = hashes.get(m.stream);
      if (!hash) hashes.set(m.stream, hash = createHash('md5'));
      hash.update(new Uint8Array(m.buffer, m.offset, m.length));
      parentPort.postMessage({ id: m.id });
    } else {
      const hash = hashes.get(m.stream) || createHash('md5');
      hashes.delete(m.stream);
      parentPort.postMessage({ id: m.id, digest: hash.digest() });
    }
  } catch (error) {
    parentPort.postMessage({ id: m.id, error: String(error && error.message || error) });
  }
});
`;

interface Pending {
  resolve: (digest: Uint8Array | undefined) => void;
  reject: (error: Error) => void;
}

/** The MD5 of one file, computed by the background hasher; parts must be given in order. */
export interface FileHash {
  /** Resolves once `data` is hashed: until then its buffer must not change. */
  update(data: Buffer): Promise<void>;
  digest(): Promise<Buffer>;
}

/**
 * MD5 of large files off the event loop: hashing 1 GiB costs the main thread well over a second,
 * time the requests in flight then wait for. Buffers backed by a SharedArrayBuffer (BufferPool's)
 * are hashed in place, others are copied. One worker thread for a transfer, started on first use;
 * it never keeps the process alive.
 */
export class BackgroundMd5 {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private nextStream = 0;
  private failure: Error | undefined;

  file(): FileHash {
    const stream = this.nextStream++;
    return {
      update: async (data) => {
        if (data.buffer instanceof SharedArrayBuffer) {
          await this.send({ kind: 'update', stream, buffer: data.buffer, offset: data.byteOffset, length: data.length });
        } else {
          const copy = data.buffer.slice(data.byteOffset, data.byteOffset + data.length);
          await this.send({ kind: 'update', stream, buffer: copy, offset: 0, length: data.length }, [copy]);
        }
      },
      digest: async () => Buffer.from((await this.send({ kind: 'digest', stream }))!),
    };
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private send(message: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<Uint8Array | undefined> {
    if (this.failure) return Promise.reject(this.failure);
    const worker = this.worker ??= this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...message, id }, transfer);
    });
  }

  private start(): Worker {
    const worker = new Worker(workerSource, { eval: true });
    worker.unref();
    worker.on('message', (m: { id: number; digest?: Uint8Array; error?: string }) => {
      const waiting = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.error !== undefined) waiting?.reject(new Error(m.error));
      else waiting?.resolve(m.digest);
    });
    const fail = (error: Error): void => {
      this.failure = error;
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', () => {
      if (this.worker === worker) fail(new Error(l10n.t('the thread computing the file\'s MD5 stopped')));
    });
    return worker;
  }
}
