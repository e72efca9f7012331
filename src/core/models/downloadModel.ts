import * as l10n from '@vscode/l10n';
import type { TokenCredential } from '@azure/core-auth';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { storagePathKind } from '../../azure/artifactPaths';
import type { DatastoreStorage } from '../../azure/datastoreStorage';
import type { ModelVersion } from '../../azure/domain';
import { AzureMlError } from '../../azure/errors';
import type { WorkspaceClient } from '../../azure/workspaceClient';
import { downloadFromDatastore } from '../transfer/downloadFolder';
import { md5OfFile, sameAsRemoteFile } from '../transfer/localFiles';
import { openDatastoreForTransfer } from '../transfer/openDatastore';
import { localPathForRemoteName } from '../transfer/pathSafety';
import { failureReason, type TransferOptions } from '../transfer/transferRun';
import type { ExistingFilePolicy, TransferResult } from '../transfer/types';
import { isMetadataOf, modelFilesLocation, modelMetadata } from './modelLocation';

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
  let isVersionFile = true;
  if (kind === 'folder') {
    result = await downloadFromDatastore({ storage, remotePath: location.path, localRoot, policy }, options);
  } else {
    ({ result, isVersionFile } = await downloadOneFile(storage, location.path, localRoot, policy, options));
  }
  if (result.fatal || result.canceled || result.failed.length > 0) return result;
  // A one-file model whose name was refused: nothing in the folder is the version's file.
  if (kind === 'file' && result.notTransferred.length > 0) return result;
  const own = path.join(localRoot, 'model.json');
  const taken = await fs.stat(own).then(() => true, () => false) && await modelHasOwnJson(own);
  const metadataFile = taken ? path.join(localRoot, 'azureml-model.json') : own;
  /** The download is not the version's whole copy: no metadata is written to claim it, and the result says why. */
  const refuse = (message: string, code: string): TransferResult => ({ ...result, fatal: { message, code } });
  // A folder model with files refused for their names (unsafe here, or clashing but for case).
  if (result.notTransferred.length > 0) {
    const refused = result.notTransferred.length;
    const first = result.notTransferred[0]!;
    return refuse(refused === 1
      ? l10n.t('1 file of model {0} version {1} was not downloaded ({2}: {3}), so the download is not complete and {4} was not written.',
        version.name, version.version, first.path, first.reason, path.basename(metadataFile))
      : l10n.t('{0} files of model {1} version {2} were not downloaded (the first, {3}: {4}), so the download is not complete and {5} was not written.',
        refused, version.name, version.version, first.path, first.reason, path.basename(metadataFile)),
    'ModelFilesRefused');
  }
  if (!isVersionFile) {
    // An existing file kept by the 'skip' policy that is not this version's: the metadata beside
    // it is left as it was rather than claim a version the folder does not hold.
    const fileName = location.path.slice(location.path.lastIndexOf('/') + 1);
    return refuse(l10n.t('Kept the existing {0}, which is not the file of model {1} version {2}, so {3} was not written. To get version {2}, download again replacing changed files.',
      fileName, version.name, version.version, path.basename(metadataFile)), 'ModelFileKept');
  }
  // A folder model whose existing files 'skip' kept unread: they may be another version's. Only
  // metadata that already names this version stays true; none is written to claim it.
  if (kind === 'folder' && result.skipped.existing > 0 && !await namesVersion(metadataFile, version)) {
    return refuse(l10n.t('Kept {0} existing files, which may not be those of model {1} version {2}, so {3} was not written. To get version {2}, download again replacing changed files.',
      result.skipped.existing, version.name, version.version, path.basename(metadataFile)), 'ModelFileKept');
  }
  await writeAtomically(metadataFile, `${JSON.stringify(modelMetadata(version), null, 2)}\n`);
  return { ...result, metadataFile };
}

/** Whether the metadata this code wrote at `file` is that of `version`. */
async function namesVersion(file: string, version: ModelVersion): Promise<boolean> {
  try {
    return isMetadataOf(JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, unknown>, version);
  } catch {
    return false;
  }
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

/** A one-file model's download: the result, and whether the local file now is the version's file. */
interface OneFileOutcome {
  result: TransferResult;
  /** Downloaded, or found the same as the remote file (size and Content-MD5): metadata may claim the version. */
  isVersionFile: boolean;
}

/** The size and Content-MD5 (base64, when the service knows it) of a remote file; undefined when it is not there. */
async function remoteFileProperties(storage: DatastoreStorage, remotePath: string, signal: AbortSignal | undefined): Promise<{ size: number; md5?: string } | undefined> {
  const options = signal ? { abortSignal: signal } : {};
  try {
    const properties = storage.kind === 'blob'
      ? await storage.container.getBlobClient(remotePath).getProperties(options)
      : await storage.share.rootDirectoryClient.getFileClient(remotePath).getProperties(options);
    const md5 = properties.contentMD5 && properties.contentMD5.length > 0 ? Buffer.from(properties.contentMD5).toString('base64') : undefined;
    return { size: properties.contentLength ?? 0, ...(md5 ? { md5 } : {}) };
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
}

/** Downloads into a temporary file beside the final name, verifies it against the Content-MD5, then renames it into place. */
async function fetchOneFile(storage: DatastoreStorage, remotePath: string, localPath: string, md5: string | undefined, signal: AbortSignal | undefined): Promise<number> {
  const temporary = path.join(path.dirname(localPath), `.azml-download-${randomBytes(8).toString('hex')}`);
  const options = signal ? { abortSignal: signal } : {};
  try {
    const response = storage.kind === 'blob'
      ? await storage.container.getBlobClient(remotePath).downloadToFile(temporary, 0, undefined, options)
      : await storage.share.rootDirectoryClient.getFileClient(remotePath).downloadToFile(temporary, 0, undefined, options);
    if (md5 !== undefined && (await md5OfFile(temporary, signal)).toString('base64') !== md5) {
      throw new Error(l10n.t('the downloaded content does not match its Content-MD5'));
    }
    await fs.rename(temporary, localPath);
    return response.contentLength ?? (await fs.stat(localPath)).size;
  } catch (error) {
    await fs.rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}

async function downloadOneFile(
  storage: DatastoreStorage, remotePath: string, localRoot: string, policy: ExistingFilePolicy, options: TransferOptions,
): Promise<OneFileOutcome> {
  const started = Date.now();
  const name = remotePath.slice(remotePath.lastIndexOf('/') + 1);
  const place = localPathForRemoteName(localRoot, name);
  const base: TransferResult = {
    direction: 'download', datastoreName: storage.datastore.name, remotePath, localRoot,
    transferred: { files: 0, bytes: 0 }, skipped: { existing: 0, unchanged: 0, bytes: 0 }, ignored: { files: 0, folders: 0 },
    emptyFolders: 0, failed: [], notTransferred: [], canceled: false, elapsedMs: 0, filesFound: 1, foundAll: true,
  };
  const done = (outcome: Partial<TransferResult>, isVersionFile = false): OneFileOutcome =>
    ({ result: { ...base, ...outcome, elapsedMs: Date.now() - started }, isVersionFile });
  if (!place.ok) return done({ notTransferred: [{ path: name, reason: place.reason }] });
  await fs.mkdir(localRoot, { recursive: true });
  const signal = options.signal;
  try {
    const local = await fs.stat(place.localPath).catch(() => undefined);
    if (local?.isDirectory()) throw Object.assign(new Error(l10n.t('a local folder has that name')), { code: 'EISDIR' });
    const remote = await remoteFileProperties(storage, remotePath, signal);
    if (local && policy === 'skip') {
      // Kept as the policy asks; compared only so that the metadata does not claim a version the file is not.
      return done({ skipped: { existing: 1, unchanged: 0, bytes: local.size } }, remote !== undefined && await sameAsRemoteFile(place.localPath, local.size, remote, signal));
    }
    if (local && policy === 'skipUnchanged' && remote && await sameAsRemoteFile(place.localPath, local.size, remote, signal)) {
      return done({ skipped: { existing: 0, unchanged: 1, bytes: local.size } }, true);
    }
    const bytes = await fetchOneFile(storage, remotePath, place.localPath, remote?.md5, signal);
    return done({ transferred: { files: 1, bytes } }, true);
  } catch (error) {
    if (signal?.aborted) return done({ canceled: true });
    return done({ failed: [{ path: name, reason: failureReason(error) }] });
  }
}
