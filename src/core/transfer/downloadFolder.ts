import * as l10n from '@vscode/l10n';
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { storagePathKind } from '../../azure/artifactPaths';
import type { DatastoreStorage } from '../../azure/datastoreStorage';
import { abortError, AzureMlError } from '../../azure/errors';
import { localFileProblem } from '../localFileErrors';
import { onAbort } from './abortSignals';
import { CaseClashes, isCaseInsensitive } from './caseClashes';
import { journaledOptions, type TransferJournal } from './journal';
import { md5OfFile, sameAsRemoteFile } from './localFiles';
import { isInside, localPathForRemote } from './pathSafety';
import { readAhead } from './readAhead';
import { RemoteFileChangedError, type RemoteEntry, type RemoteFile, type RemoteStore, type RemoteVersion } from './remoteStore';
import { joinRemote, normalizeRemoteFolder } from './remotePaths';
import { openResumable, type ResumePoint } from './resumedDownload';
import { JobPool, TransferScheduler } from './scheduler';
import { TransferRun, type TransferOptions } from './transferRun';
import { remoteStoreFor } from './tuning';
import type { ExistingFilePolicy, TransferResult } from './types';

export interface DownloadRequest {
  storage: DatastoreStorage;
  /** Folder inside the datastore (`''` is its root). */
  remotePath: string;
  /** Local folder the remote folder's contents are written into (created when missing). */
  localRoot: string;
  policy: ExistingFilePolicy;
  /** Records what is done, so an interrupted download can resume (and, resuming, skips what was done). */
  journal?: TransferJournal;
}

/** Names of unfinished uploads to file shares (see ShareStore): never downloaded. */
const temporaryUploadName = /(^|\/)\.azml-upload-[0-9a-f]{16}(?:[0-9a-f]{8})?$/;

/**
 * Downloads a datastore folder into a local folder. Each file is written to a temporary file
 * next to its final name and renamed when complete and verified against its Content-MD5.
 * Remote names that could write outside the local folder are refused and reported.
 */
export async function downloadFromDatastore(request: DownloadRequest, options: TransferOptions = {}): Promise<TransferResult> {
  const localRoot = path.resolve(request.localRoot);
  const remote = normalizeRemoteFolder(request.remotePath);
  const { journal } = request;
  const run = new TransferRun('download', request.storage.datastore, remote, localRoot, journal ? journaledOptions(journal, options) : options);
  const download = new FolderDownload(run, request.storage, remoteStoreFor(request.storage, run.tuning), remote, localRoot, request.policy);
  download.journal = journal;
  try {
    await download.transfer();
  } catch (error) {
    if (!run.stopped) {
      await journal?.close();
      throw error;
    }
  }
  const result = run.finish();
  await journal?.finish(result);
  return result;
}

/** The code of a download's `fatal` when the remote folder is not there (or is a file). */
export const folderNotFoundCode = 'FolderNotFound';

/** The file that stands where `folder` or one of its parents should be, if one does. */
async function fileInTheWay(folder: string): Promise<string | undefined> {
  for (let current = folder; ; current = path.dirname(current)) {
    const stats = await fs.stat(current).catch(() => undefined);
    if (stats) return stats.isDirectory() ? undefined : current;
    if (path.dirname(current) === current) return undefined;
  }
}

/**
 * The deepest of `folder` and its parents that is there now, resolved (links followed): where a
 * `mkdir -p` of `folder` would start creating folders.
 */
async function deepestExistingReal(folder: string): Promise<string> {
  for (let current = folder; ; current = path.dirname(current)) {
    try {
      return await fs.realpath(current);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || path.dirname(current) === current) throw error;
    }
  }
}

/** The SDKs' word that a file they read in several requests changed between them. */
function changedBetweenReads(error: unknown): boolean {
  const e = error as { statusCode?: number; message?: string };
  return e.statusCode === 412 || e.message === 'File has been modified concurrently';
}

class FolderDownload {
  private readonly scheduler: TransferScheduler;
  private readonly folders = new Map<string, Promise<void>>();
  /** The local folder, made when the first entry arrives (or once the remote folder is known to exist). */
  private root: Promise<string> | undefined;
  private listed = 0;
  /** Records the files done; resuming, files it has done (and unchanged since) are skipped. */
  journal: TransferJournal | undefined;

  constructor(private readonly run: TransferRun, private readonly storage: DatastoreStorage, private readonly store: RemoteStore,
    private readonly remote: string, private readonly localRoot: string, private readonly policy: ExistingFilePolicy) {
    this.scheduler = new TransferScheduler({
      maxConcurrency: run.tuning.maxConcurrency, maxInFlightBytes: run.tuning.maxInFlightBytes, ...(run.concurrency ? { adaptive: run.concurrency } : {}),
    });
  }

  private clashes: Promise<CaseClashes> | undefined;

  /** Names this download's files claim locally, told apart as the local folder tells them apart. */
  private caseClashes(): Promise<CaseClashes> {
    this.clashes ??= this.rootReal().then(isCaseInsensitive)
      .catch(() => process.platform === 'darwin' || process.platform === 'win32')
      .then((insensitive) => new CaseClashes(insensitive));
    return this.clashes;
  }

  /** Makes the local folder (once) and answers its real path. */
  private rootReal(): Promise<string> {
    // A folder that can't be made stops the whole download: every file would fail the same way.
    this.root ??= fs.mkdir(this.localRoot, { recursive: true }).catch(async (error: unknown) => {
      const file = await fileInTheWay(this.localRoot);
      const message = file ? l10n.t('{0} is a file: choose a folder to download into.', file) : localFileProblem(error);
      if (message) this.run.stop(new AzureMlError(message, undefined, file ? 'NotAFolder' : 'LocalFolderUnusable'));
      throw error;
    }).then(() => fs.realpath(this.localRoot));
    return this.root;
  }

  async transfer(): Promise<void> {
    await this.transferListed();
    if (this.listed === 0 && !this.run.stopped) await this.nothingListed();
  }

  /**
   * An empty listing: an empty folder (made locally too), or no folder at all, which stops the
   * download with a message saying so rather than "0 files downloaded".
   */
  private async nothingListed(): Promise<void> {
    const { run } = this;
    const kind = this.remote === '' ? 'folder' : await run.storage('list', () => storagePathKind(this.storage, this.remote));
    if (kind === 'folder') {
      await this.rootReal();
      return;
    }
    const where = l10n.t('datastore "{0}"', this.storage.datastore.name);
    run.stop(new AzureMlError(kind === 'file'
      ? l10n.t('"{0}" in {1} is a file, not a folder: download the folder it is in.', this.remote, where)
      : l10n.t('There is no folder "{0}" in {1}: nothing was downloaded.', this.remote, where), 404, folderNotFoundCode));
  }

  private async transferListed(): Promise<void> {
    const { run } = this;
    const listing = this.listing();
    const found = readAhead(listing[Symbol.asyncIterator](), run.tuning.readAheadEntries, (entry) => {
      if (entry.kind === 'file' && this.checked(entry).ok) run.found(entry.size);
    }, () => run.allFound());
    const jobs = new JobPool(run.tuning.maxConcurrency * 2);
    for await (const entry of found) {
      if (run.stopped) break;
      const target = this.checked(entry);
      if (!target.ok) {
        if (target.reason) run.result.notTransferred.push({ path: entry.name, reason: l10n.t('refused: {0}', target.reason) });
        continue;
      }
      if (entry.kind === 'folder') {
        await jobs.add(() => this.createFolder(entry.name, target.localPath));
        continue;
      }
      const clash = (await this.caseClashes()).claim(entry.name, target.localPath);
      if (clash) run.refusedFile(entry.name, l10n.t('refused: {0}', clash), entry.size);
      else await jobs.add(() => this.downloadFile(entry, target.localPath));
    }
    await jobs.drain();
  }

  private async* listing(): AsyncGenerator<RemoteEntry> {
    const entries = this.store.list(this.remote, this.run.signal)[Symbol.asyncIterator]();
    for (;;) {
      const next = await this.run.storage('list', () => entries.next());
      if (next.done) return;
      this.listed++;
      yield next.value;
    }
  }

  /** Where an entry goes; `ok: false` without a reason for entries left out silently. */
  private checked(entry: RemoteEntry): { ok: true; localPath: string } | { ok: false; reason?: string } {
    if (entry.kind === 'file' && temporaryUploadName.test(entry.name)) return { ok: false };
    return localPathForRemote(this.localRoot, entry.name);
  }

  /**
   * Creates a local folder, checking that it really is inside the chosen folder: an existing
   * symbolic link on the way must not lead the download elsewhere. `mkdir -p` follows such a
   * link, so where the folders would be made is checked before any is made, and again after.
   */
  private ensureLocalFolder(folder: string): Promise<void> {
    let ready = this.folders.get(folder);
    if (!ready) {
      ready = (async () => {
        const rootReal = await this.rootReal();
        const outside = (): Error => Object.assign(new Error(l10n.t('a symbolic link on the way leads outside the chosen folder')), { code: 'OutsideFolder' });
        if (!isInside(rootReal, await deepestExistingReal(folder))) throw outside();
        await fs.mkdir(folder, { recursive: true });
        if (!isInside(rootReal, await fs.realpath(folder))) throw outside();
      })();
      this.folders.set(folder, ready);
    }
    return ready;
  }

  private async createFolder(name: string, localPath: string): Promise<void> {
    try {
      await this.ensureLocalFolder(localPath);
    } catch (error) {
      this.run.failedFile(`${name}/`, error, 0);
    }
  }

  private async downloadFile(file: RemoteFile, localPath: string): Promise<void> {
    const { run } = this;
    try {
      await this.ensureLocalFolder(path.dirname(localPath));
      const local = await fs.stat(localPath).catch(() => undefined);
      if (local?.isDirectory()) throw Object.assign(new Error(l10n.t('a local folder has that name')), { code: 'EISDIR' });
      if (local && local.size === file.size && this.journal?.isDone(file.name, local.size, local.mtimeMs)) {
        run.skippedFile('unchanged', file.size);
        return;
      }
      if (local && this.policy === 'skip') {
        run.skippedFile('existing', file.size);
        return;
      }
      const fullName = joinRemote(this.remote, file.name);
      const remoteMd5 = file.md5 ?? (local && this.policy === 'skipUnchanged' && local.size === file.size
        ? await run.storage('read', (signal) => this.store.md5Of(fullName, signal))
        : undefined);
      if (local && this.policy === 'skipUnchanged' && await sameAsRemoteFile(localPath, local.size, { size: file.size, md5: remoteMd5 }, run.signal)) {
        run.skippedFile('unchanged', file.size);
        this.journal?.fileDone(file.name, local.size, local.mtimeMs);
        return;
      }
      await this.fetch(file, fullName, localPath, remoteMd5);
      if (this.journal) this.journal.fileDone(file.name, file.size, (await fs.stat(localPath)).mtimeMs);
    } catch (error) {
      run.failedFile(file.name, error, file.size);
    }
  }

  /** Downloads into a temporary file in the same folder, verifies it, then renames it into place. */
  private async fetch(file: RemoteFile, fullName: string, localPath: string, md5: string | undefined): Promise<void> {
    const { run } = this;
    const temporary = path.join(path.dirname(localPath), `.azml-download-${this.temporaryId(file.name)}`);
    const single = file.size <= this.store.singleRequestLimit;
    // Every part of a large file comes from one version of it: the one it has as its download starts.
    const version = single ? undefined : await this.versionNow(file, fullName).catch(async (error: unknown) => {
      // What a killed run of this journaled download left of it can't be used any more.
      if (this.journal?.resuming) await fs.rm(temporary, { force: true }).catch(() => undefined);
      throw error;
    });
    // A large file of a journaled download records its ranges, and a resume goes on from them.
    const resume = this.journal && version ? await this.resumePoint(file, temporary, version) : undefined;
    // What a killed run of this journaled download left of this file: it starts again.
    if (!resume && this.journal?.resuming) await fs.rm(temporary, { force: true });
    const handle = resume?.handle ?? await fs.open(temporary, 'wx');
    let closed = false;
    try {
      const hash = single && md5 !== undefined ? createHash('md5') : undefined;
      if (single) {
        await this.scheduler.run(file.size, () => this.fetchRange(handle, fullName, 0, undefined, hash), run.signal);
      } else {
        await this.fetchInParts(handle, file, fullName, version!, resume);
      }
      await handle.close();
      closed = true;
      if (md5 !== undefined) {
        const actual = hash ? hash.digest() : await md5OfFile(temporary, run.signal);
        if (actual.toString('base64') !== md5) throw new Error(l10n.t('the downloaded content does not match its Content-MD5'));
      }
      await fs.rename(temporary, localPath);
      run.transferredFile(file.size);
    } catch (error) {
      if (!closed) await handle.close().catch(() => undefined);
      // A journaled large file keeps what it has for a resume (its ranges are recorded).
      if (!resume || !run.stopped) await fs.rm(temporary, { force: true }).catch(() => undefined);
      throw error;
    }
  }

  /**
   * The version of a large file its parts are read from. Gone, or another size than listed: it
   * changed since it was listed, and its parts could only make a torn (or cut off) file.
   */
  private async versionNow(file: RemoteFile, fullName: string): Promise<RemoteVersion> {
    const remote = await this.run.storage('read', (signal) => this.store.versionOf(fullName, signal));
    if (!remote || remote.size !== file.size) throw new RemoteFileChangedError();
    return remote;
  }

  /** The temporary file of a large file of a journaled download, with what a killed run confirmed of it. */
  private async resumePoint(file: RemoteFile, temporary: string, remote: RemoteVersion): Promise<ResumePoint> {
    const resume = await openResumable(this.journal!, file.name, temporary, remote);
    if (resume.startedOver) (this.run.result.restarted ??= []).push({ path: file.name, reason: resume.startedOver });
    return resume;
  }

  /** Random; for a journaled download, the same for a file on every run, so a resume finds what a killed run left. */
  private temporaryId(name: string): string {
    return this.journal ? this.journal.temporaryName(name) : randomBytes(8).toString('hex');
  }

  private async fetchInParts(handle: fs.FileHandle, file: RemoteFile, fullName: string, version: RemoteVersion,
    resume: ResumePoint | undefined): Promise<void> {
    const partSize = this.store.partSize;
    const parts: Array<Promise<void>> = [];
    const fileAbort = new AbortController();
    const unsubscribe = onAbort(this.run.signal, () => fileAbort.abort(this.run.signal.reason));
    let failure: { error: unknown } | undefined;
    try {
      for (let offset = 0; offset < file.size && !failure; offset += partSize) {
        const length = Math.min(partSize, file.size - offset);
        const start = offset;
        if (resume?.done.get(start) === length) {
          this.run.tracker.alreadyDone(length);
          continue;
        }
        parts.push(this.scheduler.run(length, () => this.fetchPart(handle, file, fullName, start, length, version, resume, fileAbort.signal), fileAbort.signal)
          .catch((error: unknown) => {
            failure ??= { error };
            fileAbort.abort(error);
          }));
      }
      await Promise.all(parts);
      if (failure) throw failure.error;
    } finally {
      unsubscribe();
    }
  }

  /**
   * One part of a large file; in a journaled download, recorded once it is on disk (fsynced),
   * with its MD5, so a resume can check it and need not fetch it again.
   */
  private async fetchPart(handle: fs.FileHandle, file: RemoteFile, fullName: string, offset: number, length: number,
    version: RemoteVersion, resume: ResumePoint | undefined, signal: AbortSignal): Promise<void> {
    const hash = resume ? createHash('md5') : undefined;
    await this.fetchRange(handle, fullName, offset, length, hash, signal, version);
    if (!resume || !hash) return;
    await handle.datasync();
    this.journal?.rangeDone(file.name, resume.version, offset, length, hash.digest('base64'));
  }

  /**
   * Streams one range into the file at its offset (memory holds one chunk at a time); with
   * `version`, only from that version of the file (a part of a large file).
   */
  private async fetchRange(handle: fs.FileHandle, fullName: string, offset: number, count: number | undefined,
    hash: Hash | undefined, signal: AbortSignal = this.run.signal, version?: RemoteVersion): Promise<void> {
    try {
      const stream = await this.run.storage('read', (own) => this.store.read(fullName, offset, count, own, version), signal) as NodeJS.ReadableStream & { destroy?(error?: Error): void };
      // A cancel must also stop a response body that is already streaming.
      const unsubscribe = onAbort(signal, () => stream.destroy?.(abortError()));
      try {
        await this.writeStream(handle, stream, offset, count, hash);
      } finally {
        unsubscribe();
      }
    } catch (error) {
      // A body cut off and asked for again by the SDK finds the file changed meanwhile.
      if (version && changedBetweenReads(error)) throw new RemoteFileChangedError();
      throw error;
    }
  }

  private async writeStream(handle: fs.FileHandle, stream: NodeJS.ReadableStream, offset: number, count: number | undefined,
    hash: Hash | undefined): Promise<void> {
    let position = offset;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      hash?.update(chunk);
      let written = 0;
      while (written < chunk.length) {
        const { bytesWritten } = await handle.write(chunk, written, chunk.length - written, position + written);
        written += bytesWritten;
      }
      position += chunk.length;
      this.run.tracker.transferred(chunk.length);
    }
    if (count !== undefined && position - offset !== count) throw new Error(l10n.t('the download ended early'));
  }
}
