import * as l10n from '@vscode/l10n';
import type { Readable } from 'node:stream';
import type { TokenCredential } from '@azure/core-auth';
import type { BlobBeginCopyFromURLOptions, BlockBlobClient, ContainerClient } from '@azure/storage-blob';
import { datastoreSasUrl } from '../../azure/datastoreSas';
import { openDatastoreStorage, type DatastoreStorage } from '../../azure/datastoreStorage';
import type { Datastore, ModelVersion } from '../../azure/domain';
import { AzureMlError, toAzureMlError } from '../../azure/errors';
import type { WorkspaceClient } from '../../azure/workspaceClient';
import { openDatastoreForTransfer } from '../transfer/openDatastore';
import { modelFilesLocation, modelMetadata } from './modelLocation';

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
 * here; file share sources stream. A re-run skips files already there unchanged.
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
  await refuseAnotherModelsBackup(destination, target, version, signal);
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
        else await copyUntilDone(blob, source.blobUrl(file.name), options, signal);
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
  if (result.failed.length === 0) {
    const text = `${JSON.stringify(modelMetadata(version), null, 2)}\n`;
    await destination.getBlockBlobClient(`${target}model.json`).upload(text, Buffer.byteLength(text), {
      blobHTTPHeaders: { blobContentType: 'application/json' }, ...(signal ? { abortSignal: signal } : {}),
    });
  }
  return result;
}

/**
 * An asynchronous server-side copy, polled until it ends; a cancel stops polling and aborts the
 * copy on the service (its poller takes no signal of its own).
 */
async function copyUntilDone(blob: BlockBlobClient, sourceUrl: string, options: BlobBeginCopyFromURLOptions, signal: AbortSignal | undefined): Promise<void> {
  const poller = await blob.beginCopyFromURL(sourceUrl, options);
  const stop = (): void => {
    void poller.cancelOperation().catch(() => undefined);
    poller.stopPolling();
  };
  signal?.addEventListener('abort', stop, { once: true });
  try {
    await poller.pollUntilDone();
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}

/**
 * The same name and version in another workspace (or registered anew) is another model: its
 * backup at `target` is not overwritten by this one, nor mixed with its files. A re-run of this
 * version's own backup goes on (model.json says which version it holds).
 */
async function refuseAnotherModelsBackup(destination: ContainerClient, target: string, version: ModelVersion, signal: AbortSignal | undefined): Promise<void> {
  let held: Record<string, unknown>;
  try {
    const text = (await destination.getBlobClient(`${target}model.json`).downloadToBuffer(0, undefined, signal ? { abortSignal: signal } : {})).toString('utf8');
    held = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return;
    if (error instanceof SyntaxError) held = {};
    else throw toAzureMlError(error);
  }
  const ours = modelMetadata(version);
  const same = ['name', 'version', 'modelUri', 'createdAt'].every((key) => held[key] === ours[key]);
  if (same) return;
  throw new AzureMlError(l10n.t('{0} already holds the backup of another model {1} version {2} (registered {3}, stored at {4}): choose another folder for this one, or delete that backup first. Nothing was copied.',
    `${destination.url.split('?')[0]}/${target}`, String(held['name'] ?? '?'), String(held['version'] ?? '?'), String(held['createdAt'] ?? '?'), String(held['modelUri'] ?? '?')),
  409, 'BackupOfAnotherModel');
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
