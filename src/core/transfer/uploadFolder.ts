import * as l10n from '@vscode/l10n';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { DatastoreStorage } from '../../azure/datastoreStorage';
import { AheadAllowance, AheadOfListing, DecidedOtherwise } from './aheadOfListing';
import { BackgroundMd5 } from './backgroundMd5';
import { loadIgnoreRules } from './ignoreRules';
import { journaledOptions, journalLargeUploads, transferComplete, type TransferJournal } from './journal';
import { BufferPool, md5OfFile, md5OfSmallFile, readWholeFile, syncReadLimit, WholeFileBuffers } from './localFiles';
import { walkLocal, type LocalEntry } from './localWalk';
import { readAhead } from './readAhead';
import { RemoteIndex, type Existing } from './remoteIndex';
import type { RemoteStore } from './remoteStore';
import { controlCharacter } from './pathSafety';
import { joinRemote, normalizeRemoteFolder, remoteParent } from './remotePaths';
import { JobPool, TransferScheduler } from './scheduler';
import { sendInParts } from './sendInParts';
import { ShareStore } from './shareStore';
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
  /** Records what is done, so an interrupted upload can resume (and, resuming, skips what was done). */
  journal?: TransferJournal;
}

type FileEntry = Extract<LocalEntry, { kind: 'file' }>;

/** Files found by the walk whose remote state the listing has not reached yet, at most this many (then the walk waits). */
const maxUndecidedFiles = 2_000;

/**
 * Uploads a local folder (or some of its entries) to a datastore. Never throws for a file: each
 * failure is in the result; an error every file would meet (a missing permission) stops the
 * transfer and is the result's `fatal`. Cancel with `options.signal`.
 */
export async function uploadToDatastore(request: UploadRequest, options: TransferOptions = {}): Promise<TransferResult> {
  const localRoot = path.resolve(request.localRoot);
  const target = normalizeRemoteFolder(request.targetPath);
  const { journal } = request;
  const run = new TransferRun('upload', request.storage.datastore, target, localRoot, journal ? journaledOptions(journal, options) : options);
  const store = remoteStoreFor(request.storage, run.tuning);
  if (journal) journalLargeUploads(store, journal);
  const upload = new FolderUpload(run, store, target, request.policy, journal);
  try {
    await upload.transfer(localRoot, request.entries);
  } catch (error) {
    if (!run.stopped) {
      await journal?.close();
      throw error;
    }
  }
  const result = run.finish();
  // What a killed run left in a file share and this run did not reuse (a file since deleted).
  if (journal?.resuming && journal.madeTemporaries && store instanceof ShareStore && transferComplete(result)) {
    await store.removeTemporaries(target, journal.temporaryTag, run.signal).catch(() => 0);
  }
  await journal?.finish(result);
  return result;
}

class FolderUpload {
  private readonly scheduler: TransferScheduler;
  private readonly buffers: BufferPool;
  private readonly wholeFileBuffers: WholeFileBuffers;
  private readonly md5 = new BackgroundMd5();
  /** What the listing found so far; undefined when overwriting (nothing to compare). */
  private remote: RemoteIndex | undefined;
  /** Bytes of large blobs that may go before the listing reaches their names. */
  private readonly aheadAllowance: AheadAllowance;

  constructor(private readonly run: TransferRun, private readonly store: RemoteStore, private readonly target: string,
    private readonly policy: ExistingFilePolicy, private readonly journal?: TransferJournal) {
    const { maxConcurrency, maxInFlightBytes } = run.tuning;
    this.scheduler = new TransferScheduler({ maxConcurrency, maxInFlightBytes, ...(run.concurrency ? { adaptive: run.concurrency } : {}) });
    this.buffers = new BufferPool(store.partSize, Math.ceil(maxInFlightBytes / store.partSize) + 1);
    this.wholeFileBuffers = new WholeFileBuffers(maxInFlightBytes, 4 * 1024);
    this.aheadAllowance = new AheadAllowance(maxInFlightBytes);
  }

  async transfer(localRoot: string, entries: readonly string[] | undefined): Promise<void> {
    const { run } = this;
    const rules = await loadIgnoreRules(localRoot);
    if (rules.rulesFile) run.result.ignored.rulesFile = rules.rulesFile;
    // The listing of what is there, the walk of the folder and the upload run side by side: a file
    // goes as soon as the listing has passed its name (blob listings are in name order), and
    // while it waits, a small file is hashed already, ready to be compared.
    const remote = this.policy === 'overwrite' ? undefined : new RemoteIndex(this.store.listsInNameOrder);
    this.remote = remote;
    const listing = remote ? this.listExisting(remote) : undefined;
    const found = readAhead(
      walkLocal({ root: localRoot, rules, signal: run.signal, ...(entries ? { entries } : {}) })[Symbol.asyncIterator](),
      run.tuning.readAheadEntries,
      (entry) => {
        if (entry.kind !== 'file') return;
        run.found(entry.size);
        if (remote && !remote.finished && this.policy === 'skipUnchanged') this.hashAhead(entry);
      },
      () => run.allFound(),
    );
    // More files open than requests in flight, so reading and hashing overlap the requests.
    const jobs = new JobPool(run.tuning.maxConcurrency * 2);
    /** Files waiting for the listing to reach their name, in the order found. */
    let undecided: FileEntry[] = [];
    let seenVersion = -1;
    const startDecided = async (): Promise<void> => {
      if (!remote || remote.version === seenVersion) return;
      seenVersion = remote.version;
      const waiting = undecided;
      undecided = [];
      for (const file of waiting) {
        if (run.stopped) return;
        if (remote.decided(file.relativePath)) await this.startFile(file, jobs);
        else undecided.push(file);
      }
    };
    try {
      for await (const entry of found) {
        if (run.stopped) break;
        switch (entry.kind) {
          case 'file':
            await startDecided();
            if (!remote || remote.decided(entry.relativePath)) await this.startFile(entry, jobs);
            else if (this.sendsAheadOfListing(entry)) await jobs.add(() => this.uploadFile(entry, true));
            else undecided.push(entry);
            while (remote && undecided.length >= maxUndecidedFiles && !run.stopped) {
              await remote.next();
              await startDecided();
            }
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
      while (remote && undecided.length > 0 && !run.stopped) {
        await remote.next();
        await startDecided();
      }
    } finally {
      await found.return?.();
      await jobs.drain();
      await listing;
      await this.md5.close();
    }
  }

  private async startFile(file: FileEntry, jobs: JobPool): Promise<void> {
    if (!this.skippedAsUnchanged(file)) await jobs.add(() => this.uploadFile(file));
  }

  /**
   * "Skip unchanged" for a small file the listing knows with the same size and an MD5: read and
   * compared right here. An unchanged folder is mostly such files, and each would otherwise
   * cost a trip through the job pool and the scheduler. Anything else takes the normal path.
   */
  private skippedAsUnchanged(file: FileEntry): boolean {
    if (this.policy !== 'skipUnchanged') return false;
    const known = this.remote?.known.get(file.relativePath);
    const hashed = this.hashedAhead.get(file);
    this.hashedAhead.delete(file);
    if (!known?.md5 || known.size !== file.size || file.size > syncReadLimit) return false;
    const md5 = hashed ?? md5OfSmallFile(file.absolutePath, file.size);
    if (md5 !== known.md5) return false;
    this.run.skippedFile('unchanged', file.size);
    this.journal?.fileDone(file.relativePath, file.size, file.mtimeMs);
    return true;
  }

  /** MD5s of small files computed while the listing was on its way (dropped as each file is handled). */
  private readonly hashedAhead = new Map<FileEntry, string>();

  private hashAhead(file: FileEntry): void {
    if (file.size > syncReadLimit) return;
    const md5 = md5OfSmallFile(file.absolutePath, file.size);
    if (md5) this.hashedAhead.set(file, md5);
  }

  /** Fills `remote` as the listing arrives; its failure is the index's (the upload meets it on the next file it decides). */
  private async listExisting(remote: RemoteIndex): Promise<void> {
    try {
      await this.run.storage('list', async (signal) => {
        for await (const entry of this.store.list(this.target, signal)) {
          remote.add(entry.kind === 'file' ? [[entry.name, { size: entry.size, ...(entry.md5 ? { md5: entry.md5 } : {}) }]] : [], entry.name);
        }
      });
      remote.finish();
    } catch (error) {
      remote.fail(error);
    }
  }

  private async createEmptyFolder(relativePath: string): Promise<void> {
    if (this.store.kind === 'blob') {
      this.run.result.notTransferred.push({ path: `${relativePath}/`, reason: l10n.t('empty folder (blob containers have no folders)') });
      return;
    }
    const fullName = joinRemote(this.target, relativePath);
    const problem = this.nameProblem(relativePath, fullName);
    if (problem) {
      this.run.failedFile(`${relativePath}/`, new Error(problem), 0);
      return;
    }
    try {
      await this.run.storage('write', (signal) => this.store.ensureFolder(fullName, signal));
      this.run.result.emptyFolders++;
    } catch (error) {
      this.run.failedFile(`${relativePath}/`, error, 0);
    }
  }

  /** Why a local name can't be a remote one: the same for every store, then what this store can't hold. */
  private nameProblem(relativePath: string, fullName: string): string | undefined {
    const control = controlCharacter.exec(relativePath);
    if (control) {
      const code = `U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
      return l10n.t('the name contains a control character ({0}), which listings and other tools can\'t show or keep: rename it', code);
    }
    if (relativePath.includes('\\')) return l10n.t('the name contains a backslash, which storage tools read as a folder separator');
    return this.store.nameProblem(fullName);
  }

  /**
   * A large blob need not wait for the listing: its blocks stay invisible until committed, so they
   * go meanwhile (see AheadOfListing). A file share's ranges land in the file, so those wait.
   */
  private sendsAheadOfListing(file: FileEntry): boolean {
    return this.store.kind === 'blob' && file.size > this.store.singleRequestLimit;
  }

  /** `aheadOfListing`: the listing has not reached this file yet (a large blob, sent ahead of it). */
  private async uploadFile(file: FileEntry, aheadOfListing = false): Promise<void> {
    const { run } = this;
    if (this.journal?.isDone(file.relativePath, file.size, file.mtimeMs)) {
      run.skippedFile('unchanged', file.size);
      return;
    }
    const fullName = joinRemote(this.target, file.relativePath);
    const problem = this.nameProblem(file.relativePath, fullName);
    if (problem) {
      run.failedFile(file.relativePath, new Error(problem), file.size);
      return;
    }
    const known = aheadOfListing ? undefined : this.remote?.known.get(file.relativePath);
    if (known && this.policy === 'skip') {
      run.skippedFile('existing', file.size);
      return;
    }
    const moved = { bytes: 0 };
    try {
      if (file.size <= this.store.singleRequestLimit) await this.uploadSmall(file, fullName, known);
      else if (aheadOfListing) await this.uploadLargeAheadOfListing(file, fullName, moved);
      else await this.uploadLarge(file, fullName, known, moved);
      this.journal?.fileDone(file.relativePath, file.size, file.mtimeMs);
    } catch (error) {
      run.failedFile(file.relativePath, error, Math.max(0, file.size - moved.bytes));
    }
  }

  /** Whether a changed file may replace what is there: "skip" never replaces (even a file that appeared meanwhile). */
  private get overwrite(): boolean {
    return this.policy !== 'skip';
  }

  private async remoteMd5(fullName: string, known: Existing): Promise<string | undefined> {
    return known.md5 ?? this.run.storage('read', (signal) => this.store.md5Of(fullName, signal));
  }

  private async uploadSmall(file: FileEntry, fullName: string, known: Existing | undefined): Promise<void> {
    const { run, store } = this;
    await this.scheduler.run(file.size, async () => {
      const data = await readWholeFile(file.absolutePath, file.size, this.wholeFileBuffers, run.signal);
      try {
        const md5 = createHash('md5').update(data).digest();
        if (known && this.policy === 'skipUnchanged' && known.size === data.length
          && (await this.remoteMd5(fullName, known)) === md5.toString('base64')) {
          run.skippedFile('unchanged', data.length);
          return;
        }
        if (store.kind === 'file') await run.storage('write', (signal) => store.ensureFolder(remoteParent(fullName), signal));
        const outcome = await run.storage('write', (signal) => store.putSmall(fullName, data, md5, this.overwrite, signal));
        if (outcome === 'exists') {
          run.skippedFile('existing', data.length);
          return;
        }
        run.tracker.transferred(data.length);
        run.transferredFile(data.length);
      } finally {
        // Settled, so no request holds it. One cut short cannot land what it wrote: a blob's Content-MD5
        // would not match, and a share's temporary file is never published.
        this.wholeFileBuffers.give(data);
      }
    }, run.signal);
  }

  /**
   * A large blob started before the listing reached its name. If the listing then finds it there
   * to keep (skip) or with the same size (to compare first), nothing is committed, the blocks
   * sent are left uncommitted (the service discards them), and the file takes the usual path.
   */
  private async uploadLargeAheadOfListing(file: FileEntry, fullName: string, moved: { bytes: number }): Promise<void> {
    const decision = whenDecided(this.remote!, file.relativePath);
    const send = decision.then((known) => !known || (this.policy !== 'skip' && known.size !== file.size));
    try {
      await this.uploadLarge(file, fullName, undefined, moved, send);
      return;
    } catch (error) {
      if (!(error instanceof DecidedOtherwise)) throw error;
    }
    const known = await decision;
    if (this.policy === 'skip') this.run.skippedFile('existing', file.size);
    else await this.uploadLarge(file, fullName, known, moved);
  }

  /**
   * A file larger than one request: staged in parts (see sendInParts), then completed with its whole
   * MD5. `aheadOfListing`: whether the listing, not there yet, will let it be sent (AheadOfListing).
   */
  private async uploadLarge(file: FileEntry, fullName: string, known: Existing | undefined, moved: { bytes: number },
    aheadOfListing?: Promise<boolean>): Promise<void> {
    const { run, store } = this;
    const count = (bytes: number): void => {
      moved.bytes += bytes;
      run.tracker.transferred(bytes);
    };
    const ahead = aheadOfListing && new AheadOfListing(aheadOfListing, this.aheadAllowance, count);
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
      await run.storage('write', (signal) => store.ensureFolder(remoteParent(fullName), signal));
      const upload = await run.storage('write', (signal) => store.startLarge(fullName, file.size, this.overwrite, signal));
      const hash = md5 ? undefined : this.md5.file();
      try {
        await sendInParts({
          file: handle, size: file.size, partSize: partSizeFor(store, file.size), scheduler: this.scheduler, buffers: this.buffers, hash,
          send: (index, offset, data, signal) => run.storage('write', (own) => upload.sendPart(index, offset, data, own), signal),
          sent: ahead ? (bytes) => ahead.sent(bytes) : count,
          signal: run.signal,
          ...(ahead ? { beforePart: (bytes: number) => ahead.beforePart(bytes) } : {}),
        });
        if ((await handle.stat()).size !== file.size) {
          throw Object.assign(new Error(l10n.t('the file changed while it was uploaded')), { code: 'FileChanged' });
        }
        const whole = md5 ?? await hash!.digest();
        await ahead?.beforeComplete();
        const outcome = await run.storage('write', (signal) => upload.complete(whole, signal));
        if (outcome === 'exists') run.skippedFile('existing', 0);
        else run.transferredFile(file.size);
      } catch (error) {
        // Frees the hash of the part already sent; its digest is not wanted.
        if (hash) void hash.digest().catch(() => undefined);
        await upload.abandon();
        throw error;
      }
    } finally {
      await handle.close();
    }
  }
}

/** What the listing says of `name`, once it has reached it (rejects with the listing's failure). */
async function whenDecided(remote: RemoteIndex, name: string): Promise<Existing | undefined> {
  while (!remote.decided(name)) await remote.next();
  return remote.known.get(name);
}
