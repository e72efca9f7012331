import * as l10n from '@vscode/l10n';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import type { ContainerClient } from '@azure/storage-blob';
import type { CodeOperations } from '../../azure/codes';
import { blobContainer } from '../../azure/datastoreStorage';
import { AzureMlError, toAzureMlError } from '../../azure/errors';
import { sasUrlFallback, type StorageIdentity } from '../../azure/identityFallback';
import { contentHash, contentHashVersion } from './contentHash';
import { sortSnapshotFiles, type ListSnapshotFiles, type SnapshotFile } from './snapshotFile';

/** Uploads files of `folder` into a container under `<prefix>/<relativePath>` (the upload engine does this). */
export type UploadSnapshotFiles = (
  container: ContainerClient,
  folder: string,
  files: readonly SnapshotFile[],
  prefix: string,
  options: { signal?: AbortSignal; onProgress?: (doneBytes: number, totalBytes: number) => void },
) => Promise<void>;

export type SnapshotPhase = 'listing' | 'hashing' | 'checking' | 'uploading' | 'registering';

export interface SnapshotProgress {
  phase: SnapshotPhase;
  fileCount?: number;
  doneBytes?: number;
  totalBytes?: number;
}

export interface CodeSnapshotOptions {
  codes: Pick<CodeOperations, 'findVersionByHash' | 'startPendingUpload' | 'createOrUpdateVersion'>;
  /** The snapshot folder. */
  folder: string;
  listFiles: ListSnapshotFiles;
  uploadFiles: UploadSnapshotFiles;
  signal?: AbortSignal;
  onProgress?: (progress: SnapshotProgress) => void;
  /** Used when the workspace's storage refuses the upload SAS (key access disabled). */
  storageIdentity?: StorageIdentity;
}

export interface CodeSnapshot {
  /** ARM id of the code version: the job's `codeId`. */
  codeId: string;
  name: string;
  version: string;
  hash: string;
  /** True when a code version with the same content existed and nothing was uploaded. */
  reused: boolean;
  fileCount: number;
  totalBytes: number;
}

/**
 * Makes the folder a code asset the way azure-ai-ml does: hash its files; reuse a code version
 * with the same hash; otherwise create an anonymous one (name = a new UUID, version "1"), upload
 * the files through startPendingUpload's SAS to `<folder name>/<relative path>`, mark the first
 * blob `upload_status=completed`, and register the version with its codeUri and hash.
 */
export async function createCodeSnapshot(options: CodeSnapshotOptions): Promise<CodeSnapshot> {
  const { codes, signal } = options;
  const report = options.onProgress ?? (() => undefined);
  report({ phase: 'listing' });
  const files = sortSnapshotFiles(await options.listFiles(options.folder, signal));
  if (files.length === 0) {
    throw new AzureMlError(l10n.t('The folder {0} has no files to snapshot (all ignored?).', options.folder), undefined, 'EmptySnapshot');
  }
  const totalBytes = files.reduce((sum, f) => sum + f.size, 0);
  report({ phase: 'hashing', fileCount: files.length, totalBytes });
  const hash = await contentHash(files, signal);

  const name = randomUUID();
  const version = '1';
  report({ phase: 'checking', fileCount: files.length, totalBytes });
  const existing = await codes.findVersionByHash(name, hash, contentHashVersion);
  signal?.throwIfAborted();
  if (existing) {
    return { codeId: existing.id, name: existing.name, version: existing.version, hash, reused: true, fileCount: files.length, totalBytes };
  }

  const pending = await codes.startPendingUpload(name, version);
  const container = blobContainer(pending.sasUri, undefined,
    options.storageIdentity ? sasUrlFallback(options.storageIdentity, pending.sasUri) : undefined);
  const folderName = path.basename(path.resolve(options.folder));
  report({ phase: 'uploading', fileCount: files.length, doneBytes: 0, totalBytes });
  await options.uploadFiles(container, options.folder, files, folderName, {
    ...(signal ? { signal } : {}),
    onProgress: (doneBytes) => report({ phase: 'uploading', fileCount: files.length, doneBytes, totalBytes }),
  });
  const indicator = `${folderName}/${files[0]!.relativePath}`;
  try {
    await container.getBlobClient(indicator).setMetadata({ upload_status: 'completed', name, version }, signal ? { abortSignal: signal } : {});
  } catch (error) {
    signal?.throwIfAborted();
    throw toAzureMlError(error);
  }

  report({ phase: 'registering', fileCount: files.length, totalBytes });
  const created = await codes.createOrUpdateVersion(name, version, {
    codeUri: `${pending.blobUri.replace(/\/+$/, '')}/${encodeURIComponent(folderName)}`,
    isAnonymous: true,
    hashSha256: hash,
    hashVersion: contentHashVersion,
  });
  return { codeId: created.id, name, version, hash, reused: false, fileCount: files.length, totalBytes };
}
