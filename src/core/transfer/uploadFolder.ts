import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { DatastoreStorage } from '../../azure/datastoreStorage';
import { loadIgnoreRules } from './ignoreRules';
import { BufferPool, md5OfFile, readExactly, readWholeFile } from './localFiles';
import { walkLocal, type LocalEntry } from './localWalk';
import { readAhead } from './readAhead';
import type { RemoteStore } from './remoteStore';
import { joinRemote, normalizeRemoteFolder, remoteParent } from './remotePaths';
import { JobPool, TransferScheduler } from './scheduler';
import { TransferRun, type TransferOptions } from './transferRun';
import { partSizeFor, remoteStoreFor } from './tuning';
import type { ExistingFilePolicy, TransferResult } from './types';

export interface UploadRequest {
  storage: DatastoreStorage;
  /** The local folder relative paths start from; its `.amlignore` (else `.gitignore`) applies. */
  localRoot: string;
  /** Files and folders inside `localRoot` to upload instead of all of it (a selection, or a retry). */
  entries?: readonly string[];
  /** Folder inside the datastore (`''` is its root). */
  targetPath: string;
  policy: ExistingFilePolicy;
}

type FileEntry = Extract<LocalEntry, { kind: 'file' }>;
interface Existing { size: number; md5?: string }

/**
 * Uploads a local folder (or some of its entries) to a datastore. Never throws for a file: each
 * failure is in the result; an error every file would meet (a missing permission) stops the
 * transfer and is the result's `fatal`. Cancel with `options.signal`.
 */
export async function uploadToDatastore(request: UploadRequest, options: TransferOptions = {}): Promise<TransferResult> {
  const localRoot = path.resolve(request.localRoot);
  const target = normalizeRemoteFolder(request.targetPath);
  const run = new TransferRun('upload', request.storage.datastore, target, localRoot, options);
  const upload = new FolderUpload(run, remoteStoreFor(request.storage, run.tuning), target, request.policy);
  try {
    await upload.transfer(localRoot, request.entries);
  } catch (error) {
    if (!run.stopped) throw error;
  }
  return run.finish();
}

class FolderUpload {
  private readonly scheduler: TransferScheduler;
  private readonly buffers: BufferPool;
  private existing: Map<string, Existing> | undefined;

  constructor(private readonly run: TransferRun, private readonly store: RemoteStore, private readonly target: string,
    private readonly policy: ExistingFilePolicy) {
    const { maxConcurrency, maxInFlightBytes } = run.tuning;
    this.scheduler = new TransferScheduler({ maxConcurrency, maxInFlightBytes });
    this.buffers = new BufferPool(store.partSize, Math.ceil(maxInFlightBytes / store.partSize) + 1);
  }

  async transfer(localRoot: string, entries: readonly string[] | undefined): Promise<void> {
    const { run } = this;
    const rules = await loadIgnoreRules(localRoot);
    if (rules.rulesFile) run.result.ignored.rulesFile = rules.rulesFile;
    if (this.policy !== 'overwrite') this.existing = await this.listExisting();

    const found = readAhead(
      walkLocal({ root: localRoot, rules, signal: run.signal, ...(entries ? { entries } : {}) })[Symbol.asyncIterator](),
      run.tuning.readAheadEntries,
      (entry) => {
        if (entry.kind === 'file') run.found(entry.size);
      },
      () => run.tracker.allFound(),
    );
    // More files open than requests in flight, so reading and hashing overlap the requests.
    const jobs = new JobPool(run.tuning.maxConcurrency * 2);
    for await (const entry of found) {
      if (run.stopped) break;
      switch (entry.kind) {
        case 'file':
          await jobs.add(() => this.uploadFile(entry));
          break;
        case 'emptyFolder':
          await jobs.add(() => this.createEmptyFolder(entry.relativePath));
          break;
        case 'ignored':
          run.result.ignored[entry.isDirectory ? 'folders' : 'files']++;
          break;
        case 'notUploaded':
          run.result.notTransferred.push({ path: entry.relativePath, reason: entry.reason });
          break;
        case 'unreadable':
          run.result.failed.push({ path: entry.relativePath, reason: entry.reason });
          break;
      }
    }
    await jobs.drain();
  }

  private async listExisting(): Promise<Map<string, Existing>> {
    const existing = new Map<string, Existing>();
    await this.run.storage('list', async () => {
      for await (const entry of this.store.list(this.target, this.run.signal)) {
        if (entry.kind === 'file') existing.set(entry.name, { size: entry.size, ...(entry.md5 ? { md5: entry.md5 } : {}) });
      }
    });
    return existing;
  }

  private async createEmptyFolder(relativePath: string): Promise<void> {
    if (this.store.kind === 'blob') {
      this.run.result.notTransferred.push({ path: `${relativePath}/`, reason: 'empty folder (blob containers have no folders)' });
      return;
    }
    try {
      await this.run.storage('write', () => this.store.ensureFolder(joinRemote(this.target, relativePath), this.run.signal));
      this.run.result.emptyFolders++;
    } catch (error) {
      this.run.failedFile(`${relativePath}/`, error, 0);
    }
  }

  private nameProblem(file: FileEntry, fullName: string): string | undefined {
    if (file.relativePath.includes('\\')) return 'the name contains a backslash, which storage tools read as a folder separator';
    return this.store.nameProblem(fullName);
  }

  private async uploadFile(file: FileEntry): Promise<void> {
    const { run } = this;
    const fullName = joinRemote(this.target, file.relativePath);
    const problem = this.nameProblem(file, fullName);
    if (problem) {
      run.failedFile(file.relativePath, new Error(problem), file.size);
      return;
    }
    const known = this.existing?.get(file.relativePath);
    if (known && this.policy === 'skip') {
      run.skippedFile('existing', file.size);
      return;
    }
    const moved = { bytes: 0 };
    try {
      if (file.size <= this.store.singleRequestLimit) await this.uploadSmall(file, fullName, known);
      else await this.uploadLarge(file, fullName, known, moved);
    } catch (error) {
      run.failedFile(file.relativePath, error, Math.max(0, file.size - moved.bytes));
    }
  }

  /** Whether a changed file may replace what is there: "skip" never replaces (even a file that appeared meanwhile). */
  private get overwrite(): boolean {
    return this.policy !== 'skip';
  }

  private async remoteMd5(fullName: string, known: Existing): Promise<string | undefined> {
    return known.md5 ?? this.run.storage('read', () => this.store.md5Of(fullName, this.run.signal));
  }

  private async uploadSmall(file: FileEntry, fullName: string, known: Existing | undefined): Promise<void> {
    const { run, store } = this;
    await this.scheduler.run(file.size, async () => {
      const data = await readWholeFile(file.absolutePath, file.size, run.signal);
      const md5 = createHash('md5').update(data).digest();
      if (known && this.policy === 'skipUnchanged' && known.size === data.length
        && (await this.remoteMd5(fullName, known)) === md5.toString('base64')) {
        run.skippedFile('unchanged', data.length);
        return;
      }
      await run.storage('write', () => store.ensureFolder(remoteParent(fullName), run.signal));
      const outcome = await run.storage('write', () => store.putSmall(fullName, data, md5, this.overwrite, run.signal));
      if (outcome === 'exists') {
        run.skippedFile('existing', data.length);
        return;
      }
      run.tracker.transferred(data.length);
      run.transferredFile(data.length);
    }, run.signal);
  }

  /**
   * Reads the file once, in order, one part at a time (each part waits for its share of the
   * memory budget), hashing as it goes, while the parts are sent in parallel.
   */
  private async uploadLarge(file: FileEntry, fullName: string, known: Existing | undefined, moved: { bytes: number }): Promise<void> {
    const { run, store } = this;
    let md5: Buffer | undefined;
    if (known && this.policy === 'skipUnchanged' && known.size === file.size) {
      const remote = await this.remoteMd5(fullName, known);
      if (remote !== undefined) {
        md5 = await md5OfFile(file.absolutePath, run.signal);
        if (md5.toString('base64') === remote) {
          run.skippedFile('unchanged', file.size);
          return;
        }
      }
    }
    const handle = await fs.open(file.absolutePath, 'r');
    try {
      await run.storage('write', () => store.ensureFolder(remoteParent(fullName), run.signal));
      const upload = await run.storage('write', () => store.startLarge(fullName, file.size, this.overwrite, run.signal));
      // One part failing stops this file's other parts, not the whole transfer.
      const fileAbort = new AbortController();
      const stopFile = (): void => fileAbort.abort(run.signal.reason);
      run.signal.addEventListener('abort', stopFile, { once: true });
      try {
        const hash = md5 ? undefined : createHash('md5');
        const partSize = partSizeFor(store, file.size);
        const sends: Array<Promise<void>> = [];
        let failure: { error: unknown } | undefined;
        const fail = (error: unknown): void => {
          failure ??= { error };
          fileAbort.abort(error);
        };
        try {
          for (let index = 0, offset = 0; offset < file.size && !failure; index++, offset += partSize) {
            const length = Math.min(partSize, file.size - offset);
            const release = await this.scheduler.acquire(length, fileAbort.signal);
            const buffer = this.buffers.take(length);
            try {
              await readExactly(handle, buffer, length, offset);
            } catch (error) {
              release();
              this.buffers.give(buffer);
              throw error;
            }
            const part = buffer.subarray(0, length);
            hash?.update(part);
            const partIndex = index;
            const partOffset = offset;
            sends.push(run.storage('write', () => upload.sendPart(partIndex, partOffset, part, fileAbort.signal))
              .then(() => {
                moved.bytes += length;
                run.tracker.transferred(length);
              }, fail)
              .finally(() => {
                release();
                this.buffers.give(buffer);
              }));
          }
        } catch (error) {
          fail(error);
        }
        // Every part settles (sent or aborted) before the file is completed or abandoned.
        await Promise.all(sends);
        if (failure) throw failure.error;
        if ((await handle.stat()).size !== file.size) {
          throw Object.assign(new Error('the file changed while it was uploaded'), { code: 'FileChanged' });
        }
        const outcome = await run.storage('write', () => upload.complete(md5 ?? hash!.digest(), run.signal));
        if (outcome === 'exists') run.skippedFile('existing', 0);
        else run.transferredFile(file.size);
      } catch (error) {
        await upload.abandon();
        throw error;
      } finally {
        run.signal.removeEventListener('abort', stopFile);
      }
    } finally {
      await handle.close();
    }
  }
}
