import * as l10n from '@vscode/l10n';
import { randomBytes } from 'node:crypto';
import type { DatastoreStorage } from '../../azure/datastoreStorage';
import type { ShareClient, ShareDirectoryClient, ShareFileClient } from '@azure/storage-file-share';
import { RemoteFileChangedError, replyIsVersion, type LargeUpload, type RemoteEntry, type RemoteStore, type RemoteVersion, type WriteOutcome } from './remoteStore';
import { remoteBaseName, remoteParent } from './remotePaths';

/** What the temporary files of uploads are named with (followed by 16 random hex digits, or 24 for a journaled upload). */
export const temporaryPrefix = '.azml-upload-';

/** Azure Files takes at most 4 MiB per Put Range. */
export const maxShareRangeSize = 4 * 1024 * 1024;

/** Characters Azure Files does not allow in file and folder names. */
const invalidCharacters = /["\\:|<>*?]/;

function statusOf(error: unknown): number | undefined {
  return (error as { statusCode?: number }).statusCode;
}

function base64(bytes: Uint8Array | undefined): string | undefined {
  return bytes && bytes.length > 0 ? Buffer.from(bytes).toString('base64') : undefined;
}

/**
 * How a journaled upload names its temporary files and goes on with the large ones a killed run
 * left (see journal.ts). Put Range writes persist: ranges the journal confirmed are not sent again.
 */
export interface ResumableRanges {
  /** 24 hex digits naming a file's temporary file, the same on every run of the transfer. */
  temporaryName(fullName: string): string;
  /** Awaited before the first temporary file is created (so a discard knows to look for them). */
  beforeFirstTemporary(): Promise<void>;
  /** The local file's version (size and mtime), or undefined: then nothing of it is reused. */
  versionOf(fullName: string): Promise<string | undefined>;
  /** The ranges the interrupted run confirmed for this version of the file. */
  confirmed(fullName: string, version: string): ReadonlyArray<{ offset: number; length: number }>;
  /** A Put Range was answered: the range is in the temporary file. */
  rangeDone(fullName: string, version: string, offset: number, length: number): void;
}

/**
 * An Azure file share. Every file is written under a temporary name in its folder and renamed
 * to its final name once complete, so no file is ever half-written under that name. Folders
 * are created as needed (once each) and empty folders are kept.
 */
export class ShareStore implements RemoteStore {
  readonly kind = 'file';
  readonly singleRequestLimit = maxShareRangeSize;
  /** Listed folder by folder: a name is known absent only once the whole listing is in. */
  readonly listsInNameOrder = false;
  readonly partSize = maxShareRangeSize;
  private readonly folders = new Map<string, Promise<void>>();
  resumableRanges: ResumableRanges | undefined;

  constructor(private readonly share: ShareClient) {}

  nameProblem(fullName: string): string | undefined {
    const segments = fullName.split('/');
    const bad = segments.find((s) => invalidCharacters.test(s));
    if (bad !== undefined) return l10n.t('Azure Files does not allow " \\ : | < > * ? in names ("{0}")', bad);
    if (segments.some((s) => s.length > 255)) return l10n.t('Azure Files names are at most 255 characters');
    if (fullName.length > 2048) return l10n.t('Azure Files paths are at most 2,048 characters');
    return undefined;
  }

  private directory(fullName: string): ShareDirectoryClient {
    return fullName ? this.share.getDirectoryClient(fullName) : this.share.rootDirectoryClient;
  }

  private file(fullName: string): ShareFileClient {
    return this.directory(remoteParent(fullName)).getFileClient(remoteBaseName(fullName));
  }

  async* list(folder: string, signal: AbortSignal): AsyncIterable<RemoteEntry> {
    const pending = [''];
    while (pending.length > 0) {
      const relative = pending.shift()!;
      const full = folder && relative ? `${folder}/${relative}` : folder || relative;
      try {
        for await (const item of this.directory(full).listFilesAndDirectories({ abortSignal: signal })) {
          const name = relative ? `${relative}/${item.name}` : item.name;
          if (item.kind === 'directory') {
            yield { kind: 'folder', name };
            pending.push(name);
          } else {
            yield { kind: 'file', name, size: item.properties.contentLength };
          }
        }
      } catch (e) {
        // The folder to upload into does not exist yet: nothing is there. (A missing share is an error.)
        if (statusOf(e) === 404 && relative === '' && (e as { code?: string }).code !== 'ShareNotFound') return;
        throw e;
      }
    }
  }

  async md5Of(fullName: string, signal: AbortSignal): Promise<string | undefined> {
    try {
      return base64((await this.file(fullName).getProperties({ abortSignal: signal })).contentMD5);
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw e;
    }
  }

  async versionOf(fullName: string, signal: AbortSignal): Promise<RemoteVersion | undefined> {
    try {
      const properties = await this.file(fullName).getProperties({ abortSignal: signal });
      return { etag: properties.etag ?? '', lastModified: properties.lastModified?.toISOString() ?? '', size: properties.contentLength ?? 0 };
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw e;
    }
  }

  ensureFolder(fullName: string, signal: AbortSignal): Promise<void> {
    if (!fullName) return Promise.resolve();
    let created = this.folders.get(fullName);
    if (!created) {
      created = (async () => {
        await this.ensureFolder(remoteParent(fullName), signal);
        await this.directory(fullName).createIfNotExists({ abortSignal: signal });
      })();
      this.folders.set(fullName, created);
      created.catch(() => this.folders.delete(fullName));
    }
    return created;
  }

  /** A temporary name next to the final one (same folder: a rename never crosses folders). */
  private async temporary(fullName: string): Promise<{ client: ShareFileClient; name: string }> {
    const parent = remoteParent(fullName);
    const resumable = this.resumableRanges;
    if (resumable) await resumable.beforeFirstTemporary();
    const id = resumable ? resumable.temporaryName(fullName) : randomBytes(8).toString('hex');
    const name = `${parent ? `${parent}/` : ''}${temporaryPrefix}${id}`;
    return { client: this.file(name), name };
  }

  /** Renames the finished temporary file to its final name. */
  private async publish(temporary: ShareFileClient, fullName: string, md5: Buffer, overwrite: boolean, signal: AbortSignal): Promise<WriteOutcome> {
    try {
      await temporary.rename(fullName, { replaceIfExists: overwrite, abortSignal: signal });
      return 'written';
    } catch (e) {
      const status = statusOf(e);
      if ((status === 404 || status === 409) && await this.renameWentThrough(temporary, fullName, md5, signal)) return 'written';
      if (!overwrite && status === 409) {
        await temporary.deleteIfExists().catch(() => undefined);
        return 'exists';
      }
      throw e;
    }
  }

  /**
   * A rename whose answer was lost is sent again by the SDK, and that second one finds the
   * temporary file gone (404), or the final name taken by itself (409). It went through when the
   * temporary file is gone and the final file has this upload's MD5.
   */
  private async renameWentThrough(temporary: ShareFileClient, fullName: string, md5: Buffer, signal: AbortSignal): Promise<boolean> {
    try {
      if (await temporary.exists({ abortSignal: signal })) return false;
      return (await this.md5Of(fullName, signal)) === md5.toString('base64');
    } catch {
      return false;
    }
  }

  /**
   * Creates the temporary file. The request is not aborted on cancel: a Create File cut off on
   * its way may still be carried out after the cleanup's delete, leaving the temporary file
   * behind. It is short; the cancel is honoured as soon as it returns (and the caller deletes).
   */
  private async createTemporary(client: ShareFileClient, size: number, md5: Buffer | undefined, signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    await client.create(size, md5 ? { fileHttpHeaders: { fileContentMD5: md5 } } : {});
    signal.throwIfAborted();
  }

  async putSmall(fullName: string, data: Buffer, md5: Buffer, overwrite: boolean, signal: AbortSignal): Promise<WriteOutcome> {
    // Create File replaces a temporary file of the same name that a killed run left.
    const temporary = await this.temporary(fullName);
    try {
      await this.createTemporary(temporary.client, data.length, md5, signal);
      if (data.length > 0) await temporary.client.uploadRange(data, 0, data.length, { abortSignal: signal });
      return await this.publish(temporary.client, fullName, md5, overwrite, signal);
    } catch (e) {
      await temporary.client.deleteIfExists().catch(() => undefined);
      throw e;
    }
  }

  async startLarge(fullName: string, size: number, overwrite: boolean, signal: AbortSignal): Promise<LargeUpload> {
    const temporary = await this.temporary(fullName);
    const resumable = this.resumableRanges;
    const version = await resumable?.versionOf(fullName);
    let confirmed = new Map<number, number>();
    try {
      if (resumable && version !== undefined) confirmed = await this.reusableRanges(temporary.client, size, resumable.confirmed(fullName, version), signal);
      // Create File replaces what a killed run left under this name when none of it can be reused.
      if (confirmed.size === 0) await this.createTemporary(temporary.client, size, undefined, signal);
    } catch (e) {
      // A journaled upload's temporary file is the resume's (or a discard's) to reuse or remove.
      if (!resumable || version === undefined) await temporary.client.deleteIfExists().catch(() => undefined);
      throw e;
    }
    return {
      sendPart: async (_index, offset, data, partSignal) => {
        if (confirmed.get(offset) === data.length) return;
        await temporary.client.uploadRange(data, offset, data.length, { abortSignal: partSignal });
        if (resumable && version !== undefined) resumable.rangeDone(fullName, version, offset, data.length);
      },
      complete: async (md5, completeSignal) => {
        await temporary.client.setHttpHeaders({ fileContentMD5: md5 }, { abortSignal: completeSignal });
        return this.publish(temporary.client, fullName, md5, overwrite, completeSignal);
      },
      abandon: async () => {
        // A journaled upload keeps what it sent for a resume (which reuses it) or a discard (which removes it).
        if (resumable && version !== undefined) return;
        await temporary.client.deleteIfExists().catch(() => undefined);
      },
    };
  }

  /**
   * The confirmed ranges (offset to length) of a temporary file a killed run left, when it is
   * still there with the file's size; none otherwise.
   */
  private async reusableRanges(temporary: ShareFileClient, size: number, ranges: ReadonlyArray<{ offset: number; length: number }>,
    signal: AbortSignal): Promise<Map<number, number>> {
    if (ranges.length === 0) return new Map();
    try {
      const properties = await temporary.getProperties({ abortSignal: signal });
      if (properties.contentLength !== size) return new Map();
    } catch (e) {
      if (statusOf(e) === 404) return new Map();
      throw e;
    }
    return new Map(ranges.filter((r) => r.offset + r.length <= size).map((r) => [r.offset, r.length]));
  }

  /** Removes the temporary files named with `tag` (see ResumableRanges) below `folder`; answers how many. */
  async removeTemporaries(folder: string, tag: string, signal: AbortSignal): Promise<number> {
    if (!/^[0-9a-f]{8}$/.test(tag)) return 0;
    const name = new RegExp(`(^|/)${temporaryPrefix.replace('.', '\\.')}${tag}[0-9a-f]{16}$`);
    let removed = 0;
    for await (const entry of this.list(folder, signal)) {
      if (entry.kind !== 'file' || !name.test(entry.name)) continue;
      const fullName = folder ? `${folder}/${entry.name}` : entry.name;
      if ((await this.file(fullName).deleteIfExists({ abortSignal: signal })).succeeded) removed++;
    }
    return removed;
  }

  async read(fullName: string, offset: number, count: number | undefined, signal: AbortSignal, version?: RemoteVersion): Promise<NodeJS.ReadableStream> {
    const response = await this.file(fullName).download(offset, count, { abortSignal: signal });
    // Get File takes no If-Match: each reply's ETag tells whether the file is still the version the first part came from.
    if (version && !replyIsVersion(response, version)) {
      (response.readableStreamBody as { destroy?(): void } | undefined)?.destroy?.();
      throw new RemoteFileChangedError();
    }
    if (!response.readableStreamBody) throw new Error(l10n.t('No content received for {0}.', fullName));
    return response.readableStreamBody;
  }
}

/**
 * Removes the temporary files an interrupted upload left in a file share (those named with its
 * journal's tag, below the folder it went to); answers how many. Blob containers have none.
 */
export async function removeTemporariesLeft(storage: DatastoreStorage, remotePath: string, tag: string, signal: AbortSignal): Promise<number> {
  return storage.kind === 'file' ? new ShareStore(storage.share).removeTemporaries(remotePath, tag, signal) : 0;
}
