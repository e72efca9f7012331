import * as l10n from '@vscode/l10n';
import type { Readable } from 'node:stream';
import type { TokenCredential } from '@azure/core-auth';
import type { BlobBeginCopyFromURLOptions, BlobBeginCopyFromUrlPollState, BlockBlobClient, ContainerClient } from '@azure/storage-blob';
import { datastoreSasUrl } from '../../azure/datastoreSas';
import { openDatastoreStorage, type DatastoreStorage } from '../../azure/datastoreStorage';
import type { Datastore, ModelVersion } from '../../azure/domain';
import { AzureMlError, toAzureMlError } from '../../azure/errors';
import { wait } from '../../azure/retryGaps';
import type { WorkspaceClient } from '../../azure/workspaceClient';
import { openDatastoreForTransfer } from '../transfer/openDatastore';
import { claimBackupTarget, finishBackupTarget } from './backupTarget';
import { modelFilesLocation } from './modelLocation';

export interface BackupProgress { filesDone: number; filesTotal: number }

export interface ModelBackupRequest {
  client: WorkspaceClient;
  version: ModelVersion;
  /** The container the backup goes into (already opened with its own credentials). */
  destination: ContainerClient;
  /** Folder in the destination container above `<model>/<version>/` (`''` for its root). */
  destinationPrefix?: string;
  userCredential?: TokenCredential;
  signal?: AbortSignal;
  onProgress?: (progress: BackupProgress) => void;
  /**
   * How long a large file's server-side copy (Copy Blob) may go without copying another byte
   * before it is stopped on the service and the file counted as failed; 10 minutes unless set.
   */
  copyStallLimitMs?: number;
}

export interface ModelBackupResult {
  /** `<container URL>/<prefix><model>/<version>/`, without any credential. */
  destination: string;
  /** Copied by the storage service itself (blob to blob): no bytes passed through here. */
  copiedServerSide: number;
  /** Read here and written (file share sources). */
  streamed: number;
  /** Already in the destination with the same size and content (MD5, or the source's ETag recorded at copy). */
  skipped: number;
  failed: Array<{ path: string; reason: string }>;
  canceled: boolean;
}

interface SourceFile { name: string; relative: string; size: number; md5?: string; etag?: string }

/** Copies larger than this go as an asynchronous server-side copy (Copy Blob), smaller as Copy Blob from URL. */
const syncCopyLimit = 256 * 1024 * 1024;
/** How long the source's read SAS lives: long enough for the copies, no longer. */
const sourceSasLifetimeMs = 60 * 60_000;
/** Metadata on a copied blob: the source's ETag, so a re-run recognises it. */
const sourceEtagKey = 'azmlsourceetag';
/** A server-side copy that copies nothing more for this long is stopped (see `copyStallLimitMs`). */
const defaultCopyStallLimitMs = 10 * 60_000;

const md5Text = (md5: Uint8Array | undefined): string | undefined => (md5 ? Buffer.from(md5).toString('base64') : undefined);

async function listSource(storage: DatastoreStorage, path: string, isFolder: boolean): Promise<SourceFile[]> {
  const files: SourceFile[] = [];
  const folder = path.replace(/\/+$/, '');
  if (storage.kind === 'blob') {
    if (!isFolder) {
      const properties = await storage.container.getBlobClient(path).getProperties().catch(() => undefined);
      if (properties) return [{ name: path, relative: path.slice(path.lastIndexOf('/') + 1), size: properties.contentLength ?? 0, ...md5AndEtag(properties.contentMD5, properties.etag) }];
    }
    for await (const blob of storage.container.listBlobsFlat({ prefix: `${folder}/` })) {
      files.push({ name: blob.name, relative: blob.name.slice(folder.length + 1), size: blob.properties.contentLength ?? 0, ...md5AndEtag(blob.properties.contentMD5, blob.properties.etag) });
    }
    return files;
  }
  if (!isFolder) {
    const properties = await storage.share.rootDirectoryClient.getFileClient(path).getProperties().catch(() => undefined);
    if (properties) return [{ name: path, relative: path.slice(path.lastIndexOf('/') + 1), size: properties.contentLength ?? 0, ...md5AndEtag(properties.contentMD5, properties.etag) }];
  }
  const walk = async (dir: string): Promise<void> => {
    for await (const entry of storage.share.getDirectoryClient(dir).listFilesAndDirectories()) {
      const full = `${dir}/${entry.name}`;
      if (entry.kind === 'directory') await walk(full);
      else files.push({ name: full, relative: full.slice(folder.length + 1), size: entry.properties.contentLength ?? 0 });
    }
  };
  await walk(folder);
  return files;
}

function md5AndEtag(md5: Uint8Array | undefined, etag: string | undefined): { md5?: string; etag?: string } {
  const text = md5Text(md5);
  return { ...(text ? { md5: text } : {}), ...(etag ? { etag } : {}) };
}

async function alreadyThere(destination: ContainerClient, name: string, source: SourceFile): Promise<boolean> {
  const properties = await destination.getBlobClient(name).getProperties().catch(() => undefined);
  if (!properties || properties.contentLength !== source.size) return false;
  const md5 = md5Text(properties.contentMD5);
  if (source.md5 && md5) return md5 === source.md5;
  return source.etag !== undefined && properties.metadata?.[sourceEtagKey] === source.etag.replace(/"/g, '');
}

/** A read-only SAS URL of the source container, signed as the datastore allows; the datastore's own SAS when that is how it is reached. */
async function sourceContainerUrl(client: WorkspaceClient, datastore: Datastore, storage: DatastoreStorage & { kind: 'blob' }, userCredential: TokenCredential | undefined): Promise<{ blobUrl(name: string): string }> {
  if (datastore.credentialsType === 'Sas') return { blobUrl: (name) => storage.container.getBlobClient(name).url };
  const secrets = datastore.credentialsType === 'None' ? undefined : await client.datastores.listSecrets(datastore.name, { accountKey: true });
  const containerUrl = await datastoreSasUrl({
    cloud: client.cloud, datastore, ...(secrets ? { secrets } : {}), ...(userCredential ? { userCredential } : {}),
    scope: { kind: 'container' }, expiresOn: new Date(Date.now() + sourceSasLifetimeMs), permissions: 'r',
  });
  const query = containerUrl.slice(containerUrl.indexOf('?') + 1);
  return { blobUrl: (name) => `${storage.container.getBlobClient(name).url.split('?')[0]}?${query}` };
}

/**
 * Copies a model version's files into a blob container as `<prefix><model>/<version>/…` with
 * model.json beside them. Blob sources are copied by the service (Copy Blob from URL, or Copy
 * Blob for large files) with a short-lived read SAS of the source, so no bytes pass through
 * here; file share sources stream. A re-run skips files already there unchanged. Before the
 * first file, the folder is claimed for this version (see backupTarget.ts): another model's
 * backup there, finished or not, or files of unknown origin, stop it with nothing copied.
 */
export async function backupModelVersion(request: ModelBackupRequest): Promise<ModelBackupResult> {
  const { client, version, destination, signal } = request;
  const location = modelFilesLocation(version);
  const datastore = await client.datastores.get(location.datastoreName);
  const storage = await openDatastoreForTransfer(client, datastore, request.userCredential);
  const prefix = (request.destinationPrefix ?? '').replace(/^\/+|\/+$/g, '');
  const target = `${prefix ? `${prefix}/` : ''}${version.name}/${version.version}/`;
  const result: ModelBackupResult = {
    destination: `${destination.url.split('?')[0]}/${target}`, copiedServerSide: 0, streamed: 0, skipped: 0, failed: [], canceled: false,
  };
  let files: SourceFile[];
  try {
    files = await listSource(storage, location.path, location.isFolder);
  } catch (error) {
    throw toAzureMlError(error);
  }
  if (files.length === 0) {
    throw new AzureMlError(l10n.t('The files of model {0} version {1} are not in datastore {2} any more ({3}).', version.name, version.version, datastore.name, location.path), 404, 'ModelFilesNotFound');
  }
  const source = storage.kind === 'blob' ? await sourceContainerUrl(client, datastore, storage, request.userCredential) : undefined;
  await claimBackupTarget(destination, target, version, signal);
  request.onProgress?.({ filesDone: 0, filesTotal: files.length });
  for (const [index, file] of files.entries()) {
    if (signal?.aborted) {
      result.canceled = true;
      return result;
    }
    const name = `${target}${file.relative}`;
    const blob = destination.getBlockBlobClient(name);
    try {
      if (await alreadyThere(destination, name, file)) {
        result.skipped++;
      } else if (source && storage.kind === 'blob') {
        const metadata = file.etag ? { [sourceEtagKey]: file.etag.replace(/"/g, '') } : undefined;
        const options = { ...(signal ? { abortSignal: signal } : {}), ...(metadata ? { metadata } : {}) };
        if (file.size <= syncCopyLimit) await blob.syncCopyFromURL(source.blobUrl(file.name), options);
        else await copyUntilDone(blob, source.blobUrl(file.name), options, signal, request.copyStallLimitMs ?? defaultCopyStallLimitMs);
        result.copiedServerSide++;
      } else if (storage.kind === 'file') {
        const download = await storage.share.rootDirectoryClient.getFileClient(file.name).download(0, undefined, signal ? { abortSignal: signal } : {});
        await blob.uploadStream(download.readableStreamBody as Readable, undefined, undefined, signal ? { abortSignal: signal } : {});
        result.streamed++;
      }
    } catch (error) {
      if (signal?.aborted) {
        result.canceled = true;
        return result;
      }
      result.failed.push({ path: file.relative, reason: toAzureMlError(error).message });
    }
    request.onProgress?.({ filesDone: index + 1, filesTotal: files.length });
  }
  if (result.failed.length === 0) await finishBackupTarget(destination, target, version, signal);
  return result;
}

/** Bytes copied so far, from `x-ms-copy-progress` ("<copied>/<total>"). */
const copiedBytes = (progress: string | undefined): number => Number(progress?.split('/')[0] ?? 0) || 0;

/**
 * An asynchronous server-side copy (Copy Blob), polled until it ends. It is aborted on the
 * service when the backup is canceled, when polling fails, or when it copies nothing more for
 * `stallLimitMs` (the service may leave a copy pending indefinitely); then the file fails.
 */
async function copyUntilDone(blob: BlockBlobClient, sourceUrl: string, options: BlobBeginCopyFromURLOptions, signal: AbortSignal | undefined, stallLimitMs: number): Promise<void> {
  // The SDK's poller only starts the copy here: it would poll an aborted copy forever, and has no bound.
  const started = (await blob.beginCopyFromURL(sourceUrl, options)).getOperationState() as BlobBeginCopyFromUrlPollState;
  const copyId = started.copyId;
  const pollEveryMs = Math.min(15_000, Math.max(50, Math.floor(stallLimitMs / 20)));
  let status: string | undefined = started.isCompleted ? 'success' : 'pending';
  let description: string | undefined;
  let copied = 0;
  let total: string | undefined;
  let movedAt = Date.now();
  try {
    while (status === 'pending') {
      await wait(pollEveryMs, signal);
      const properties = await blob.getProperties(signal ? { abortSignal: signal } : {});
      status = properties.copyStatus;
      description = properties.copyStatusDescription;
      total = properties.copyProgress?.split('/')[1];
      const now = copiedBytes(properties.copyProgress);
      if (now !== copied) {
        copied = now;
        movedAt = Date.now();
      } else if (status === 'pending' && Date.now() - movedAt >= stallLimitMs) {
        break;
      }
    }
  } catch (error) {
    if (copyId) await blob.abortCopyFromURL(copyId).catch(() => undefined);
    throw error;
  }
  if (status === 'success') return;
  if (status === 'pending') {
    const stopped = copyId ? await blob.abortCopyFromURL(copyId).then(() => undefined, (error: unknown) => toAzureMlError(error).message) : undefined;
    const message = stallLimitMs >= 60_000
      ? l10n.t('The storage service copied nothing more of this file for {0} minutes ({1} of {2} bytes copied), so the copy was stopped. Run the backup again to retry it.', Math.round(stallLimitMs / 60_000), copied, total ?? '?')
      : l10n.t('The storage service copied nothing more of this file for {0} seconds ({1} of {2} bytes copied), so the copy was stopped. Run the backup again to retry it.', Math.round(stallLimitMs / 100) / 10, copied, total ?? '?');
    throw new AzureMlError(stopped === undefined ? message : `${message} ${l10n.t('Stopping the copy on the storage service failed too: {0}', stopped)}`, undefined, 'CopyStalled');
  }
  throw new AzureMlError(l10n.t('The storage service did not copy this file ({0}): {1}', status ?? '?', description ?? '—'), undefined, 'CopyFailed');
}

/** Where a backup goes: a blob datastore of the workspace, or a storage account and container reached with the user's own sign-in. */
export type BackupDestination = { kind: 'datastore'; name: string } | { kind: 'account'; accountName: string; containerName: string };

export async function openBackupDestination(client: WorkspaceClient, destination: BackupDestination, userCredential: TokenCredential | undefined): Promise<ContainerClient> {
  const datastore: Datastore = destination.kind === 'datastore'
    ? await client.datastores.get(destination.name)
    : {
      id: '', name: `${destination.accountName}/${destination.containerName}`, datastoreType: 'AzureBlob', accountName: destination.accountName,
      containerName: destination.containerName, endpoint: client.cloud.storageEndpointSuffix, protocol: 'https', isDefault: false,
      credentialsType: 'None', tags: {}, properties: {},
    };
  const storage = destination.kind === 'datastore'
    ? await openDatastoreForTransfer(client, datastore, userCredential)
    : openDatastoreStorage({ cloud: client.cloud, datastore, ...(userCredential ? { userCredential } : {}) });
  if (storage.kind !== 'blob') {
    throw new AzureMlError(l10n.t('Datastore {0} is a file share: a model backup goes into a blob container. Choose a blob datastore, or a storage account and container.', datastore.name), 400, 'BackupNeedsBlobContainer');
  }
  return storage.container;
}
