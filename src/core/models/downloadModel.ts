import * as l10n from '@vscode/l10n';
import type { TokenCredential } from '@azure/core-auth';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { storagePathKind } from '../../azure/artifactPaths';
import type { ModelVersion } from '../../azure/domain';
import { AzureMlError, toAzureMlError } from '../../azure/errors';
import type { WorkspaceClient } from '../../azure/workspaceClient';
import { downloadFromDatastore } from '../transfer/downloadFolder';
import { openDatastoreForTransfer } from '../transfer/openDatastore';
import { localPathForRemoteName } from '../transfer/pathSafety';
import type { TransferOptions } from '../transfer/transferRun';
import type { ExistingFilePolicy, TransferResult } from '../transfer/types';
import { modelFilesLocation, modelMetadata } from './modelLocation';

export interface ModelDownloadRequest {
  client: WorkspaceClient;
  version: ModelVersion;
  /** The folder the model's files and model.json are written into (created when missing). */
  localRoot: string;
  policy: ExistingFilePolicy;
  userCredential?: TokenCredential;
}

export interface ModelDownloadResult extends TransferResult {
  /** The metadata file written beside the files, once they all arrived. */
  metadataFile?: string;
}

/** The folder a version downloads into by default: `<parent>/<model>-<version>`, checked as a local name. */
export function modelDownloadFolder(parent: string, version: ModelVersion): string {
  const name = `${version.name}-${version.version}`;
  const place = localPathForRemoteName(parent, name);
  if (!place.ok) throw new AzureMlError(l10n.t('"{0}" can\'t be a local folder name ({1}).', name, place.reason), undefined, 'UnsafeLocalName');
  return place.localPath;
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temporary, text);
  await fs.rename(temporary, file);
}

/**
 * Downloads a model version's files (a folder through the download engine; a one-file model
 * on its own) and writes its metadata beside them as model.json, or as azureml-model.json when
 * the model itself has a model.json.
 */
export async function downloadModelVersion(request: ModelDownloadRequest, options: TransferOptions = {}): Promise<ModelDownloadResult> {
  const { client, version, policy } = request;
  const localRoot = path.resolve(request.localRoot);
  const location = modelFilesLocation(version);
  const datastore = await client.datastores.get(location.datastoreName);
  const storage = await openDatastoreForTransfer(client, datastore, request.userCredential);
  const kind = location.isFolder ? 'folder' : await storagePathKind(storage, location.path);
  if (kind === undefined) {
    throw new AzureMlError(l10n.t('The files of model {0} version {1} are not in datastore {2} any more ({3}).', version.name, version.version, datastore.name, location.path), 404, 'ModelFilesNotFound');
  }
  let result: TransferResult;
  if (kind === 'folder') {
    result = await downloadFromDatastore({ storage, remotePath: location.path, localRoot, policy }, options);
  } else {
    result = await downloadOneFile(storage, location.path, localRoot, policy, options);
  }
  if (result.fatal || result.canceled || result.failed.length > 0) return result;
  const own = path.join(localRoot, 'model.json');
  const taken = await fs.stat(own).then(() => true, () => false) && await modelHasOwnJson(own);
  const metadataFile = taken ? path.join(localRoot, 'azureml-model.json') : own;
  await writeAtomically(metadataFile, `${JSON.stringify(modelMetadata(version), null, 2)}\n`);
  return { ...result, metadataFile };
}

/** A model.json this code wrote earlier carries the model's name and version; anything else is the model's own. */
async function modelHasOwnJson(file: string): Promise<boolean> {
  try {
    const parsed = JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, unknown>;
    return !(typeof parsed['name'] === 'string' && 'modelUri' in parsed);
  } catch {
    return true;
  }
}

async function downloadOneFile(
  storage: Awaited<ReturnType<typeof openDatastoreForTransfer>>, remotePath: string, localRoot: string,
  policy: ExistingFilePolicy, options: TransferOptions,
): Promise<TransferResult> {
  const started = Date.now();
  const name = remotePath.slice(remotePath.lastIndexOf('/') + 1);
  const place = localPathForRemoteName(localRoot, name);
  const base: TransferResult = {
    direction: 'download', datastoreName: storage.datastore.name, remotePath, localRoot,
    transferred: { files: 0, bytes: 0 }, skipped: { existing: 0, unchanged: 0, bytes: 0 }, ignored: { files: 0, folders: 0 },
    emptyFolders: 0, failed: [], notTransferred: [], canceled: false, elapsedMs: 0, filesFound: 1, foundAll: true,
  };
  if (!place.ok) return { ...base, notTransferred: [{ path: name, reason: place.reason }], elapsedMs: Date.now() - started };
  await fs.mkdir(localRoot, { recursive: true });
  const exists = await fs.stat(place.localPath).then((s) => s, () => undefined);
  if (exists && policy !== 'overwrite') {
    return { ...base, skipped: { existing: 1, unchanged: 0, bytes: exists.size }, elapsedMs: Date.now() - started };
  }
  const temporary = `${place.localPath}.${process.pid}.download`;
  const signal = options.signal;
  try {
    const response = storage.kind === 'blob'
      ? await storage.container.getBlobClient(remotePath).downloadToFile(temporary, 0, undefined, signal ? { abortSignal: signal } : {})
      : await storage.share.rootDirectoryClient.getFileClient(remotePath).downloadToFile(temporary, 0, undefined, signal ? { abortSignal: signal } : {});
    await fs.rename(temporary, place.localPath);
    return { ...base, transferred: { files: 1, bytes: response.contentLength ?? 0 }, elapsedMs: Date.now() - started };
  } catch (error) {
    await fs.rm(temporary, { force: true });
    if (signal?.aborted) return { ...base, canceled: true, elapsedMs: Date.now() - started };
    return { ...base, failed: [{ path: name, reason: toAzureMlError(error).message }], elapsedMs: Date.now() - started };
  }
}
