import * as l10n from '@vscode/l10n';
import { createHash, randomBytes } from 'node:crypto';
import type { BlockBlobClient, ContainerClient } from '@azure/storage-blob';
import { listBlobsQuickly } from './blobListing';
import { putBlob } from './putBlob';
import { RemoteFileChangedError, replyIsVersion, type LargeUpload, type RemoteEntry, type RemoteStore, type RemoteVersion, type WriteOutcome } from './remoteStore';

export interface BlobStoreTuning {
  singleRequestLimit: number;
  partSize: number;
  /** Blobs per listing request (the service's most is 5,000). */
  listPageSize?: number;
}

/** How large uploads name their blocks so that an interrupted upload can find them again (see journal.ts). */
export interface ResumableParts {
  /** The local file's identity (size and mtime), or undefined to use throwaway block ids. */
  identityOf(fullName: string): Promise<string | undefined>;
  /** Ask the service which blocks are staged already (resuming), and send only the others. */
  reuseStaged: boolean;
}

/** Put Blob with `If-None-Match: *` answers one of these when the blob is already there. */
function alreadyExists(error: unknown): boolean {
  const e = error as { statusCode?: number; code?: string };
  return e.statusCode === 409 || e.statusCode === 412 || e.code === 'BlobAlreadyExists' || e.code === 'ConditionNotMet';
}

function base64(bytes: Uint8Array | undefined): string | undefined {
  return bytes && bytes.length > 0 ? Buffer.from(bytes).toString('base64') : undefined;
}

/**
 * A blob container (also ADLS Gen2 through its blob endpoint). Small files are one Put Blob;
 * large ones are staged as blocks and committed with one Put Block List. Both are atomic: a
 * blob appears under its name only complete (staged blocks stay invisible until the commit).
 */
export class BlobStore implements RemoteStore {
  readonly kind = 'blob';
  readonly singleRequestLimit: number;
  /** Blob listings are in name order (Azure Storage's documented order, UTF-8 bytes). */
  readonly listsInNameOrder = true;
  readonly partSize: number;
  resumableParts: ResumableParts | undefined;

  constructor(private readonly container: ContainerClient, private readonly tuning: BlobStoreTuning) {
    this.singleRequestLimit = tuning.singleRequestLimit;
    this.partSize = tuning.partSize;
  }

  nameProblem(fullName: string): string | undefined {
    if (fullName.length > 1024) return l10n.t('blob names are at most 1,024 characters');
    if (fullName.split('/').length > 254) return l10n.t('blob names have at most 254 folder levels');
    return undefined;
  }

  async* list(folder: string, signal: AbortSignal): AsyncIterable<RemoteEntry> {
    const prefix = folder ? `${folder}/` : '';
    for await (const blob of listBlobsQuickly(this.container, prefix, signal, this.tuning.listPageSize)) {
      const name = blob.name.slice(prefix.length);
      // Folder markers: ADLS Gen2 directories (hdi_isfolder) and names ending in "/" that some tools write.
      if (blob.isFolder || name.endsWith('/')) {
        const folderName = name.replace(/\/$/, '');
        if (folderName) yield { kind: 'folder', name: folderName };
        continue;
      }
      yield { kind: 'file', name, size: blob.size, ...(blob.md5 ? { md5: blob.md5 } : {}) };
    }
  }

  async md5Of(fullName: string, signal: AbortSignal): Promise<string | undefined> {
    try {
      return base64((await this.container.getBlobClient(fullName).getProperties({ abortSignal: signal })).contentMD5);
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 404) return undefined;
      throw e;
    }
  }

  async versionOf(fullName: string, signal: AbortSignal): Promise<RemoteVersion | undefined> {
    try {
      const properties = await this.container.getBlobClient(fullName).getProperties({ abortSignal: signal });
      return { etag: properties.etag ?? '', lastModified: properties.lastModified?.toISOString() ?? '', size: properties.contentLength ?? 0 };
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 404) return undefined;
      throw e;
    }
  }

  async ensureFolder(): Promise<void> {
    // Blob containers have no folders: a name's prefix is its folder.
  }

  async putSmall(fullName: string, data: Buffer, md5: Buffer, overwrite: boolean, signal: AbortSignal): Promise<WriteOutcome> {
    return writeUnlessExists(overwrite, (onlyIfAbsent) => putBlob(this.container, fullName, data, { md5, onlyIfAbsent, signal }));
  }

  async startLarge(fullName: string, size: number, overwrite: boolean, signal: AbortSignal): Promise<LargeUpload> {
    const blob = this.container.getBlockBlobClient(fullName);
    // A prefix per upload, so blocks of two uploads of the same name never mix: random, or made
    // from the file's identity (the same file at the same part size gets the same block ids).
    const identity = await this.resumableParts?.identityOf(fullName);
    const prefix = identity === undefined ? randomBytes(6).toString('hex')
      : createHash('sha256').update(`${fullName}\n${identity}\n${size}\n${this.partSize}`).digest('hex').slice(0, 12);
    const blockId = (index: number): string => Buffer.from(`${prefix}-${index.toString().padStart(6, '0')}`).toString('base64');
    const staged = identity !== undefined && this.resumableParts?.reuseStaged ? await stagedBlocks(blob, signal) : new Map<string, number>();
    let parts = 0;
    return {
      sendPart: async (index, _offset, data, signal) => {
        parts = Math.max(parts, index + 1);
        const id = blockId(index);
        if (staged.get(id) === data.length) return;
        await blob.stageBlock(id, data, data.length, { abortSignal: signal });
      },
      complete: (md5, signal) => writeUnlessExists(overwrite, (onlyIfAbsent) =>
        blob.commitBlockList(Array.from({ length: parts }, (_, i) => blockId(i)), {
          // Put Block List does not compute the whole blob's MD5: record it, so "skip unchanged" can compare.
          blobHTTPHeaders: { blobContentMD5: md5 },
          ...(onlyIfAbsent ? { conditions: { ifNoneMatch: '*' } } : {}),
          abortSignal: signal,
        })),
      // Uncommitted blocks are never visible and the service discards them after a week.
      abandon: async () => undefined,
    };
  }

  async read(fullName: string, offset: number, count: number | undefined, signal: AbortSignal, version?: RemoteVersion): Promise<NodeJS.ReadableStream> {
    // If-Match: the service answers 412 once the blob is another version (the SDK's retries of the body keep the condition).
    const response = await this.container.getBlobClient(fullName).download(offset, count, {
      abortSignal: signal, ...(version?.etag ? { conditions: { ifMatch: version.etag } } : {}),
    });
    if (version && !replyIsVersion(response, version)) {
      (response.readableStreamBody as { destroy?(): void } | undefined)?.destroy?.();
      throw new RemoteFileChangedError();
    }
    if (!response.readableStreamBody) throw new Error(l10n.t('No content received for {0}.', fullName));
    return response.readableStreamBody;
  }
}

/** The blocks staged and not yet committed (Get Block List, uncommitted): id and size. */
async function stagedBlocks(blob: BlockBlobClient, signal: AbortSignal): Promise<Map<string, number>> {
  try {
    const list = await blob.getBlockList('uncommitted', { abortSignal: signal });
    return new Map((list.uncommittedBlocks ?? []).map((block) => [block.name, block.size]));
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return new Map();
    throw e;
  }
}

/**
 * Writes a blob; unless overwriting, only when no blob of that name exists (If-None-Match: *),
 * answering 'exists' instead of failing when one does.
 */
async function writeUnlessExists(
  overwrite: boolean,
  write: (onlyIfAbsent: boolean) => Promise<unknown>,
): Promise<WriteOutcome> {
  try {
    await write(!overwrite);
    return 'written';
  } catch (e) {
    if (!overwrite && alreadyExists(e)) return 'exists';
    throw e;
  }
}
