import * as path from 'node:path';
import type { DatastoreStorage } from '../azure/datastoreStorage';
import type { AzureModules } from '../connection/loadAzureModules';
import { formatBytes } from '../core/format';
import { throttleProgress } from '../core/transfer/progressTracker';
import type { TransferProgress } from '../core/transfer/types';
import { UserCancelledError } from '../ui/prompts';

export interface LocalModelUpload {
  sdk: AzureModules;
  storage: DatastoreStorage;
  localPath: string;
  isFolder: boolean;
  /** Folder in the datastore that receives the file or folder, under its own name. */
  targetFolder: string;
  signal: AbortSignal;
  onProgress(message: string): void;
}

function progressText(name: string, p: TransferProgress): string {
  const files = p.filesTotal !== undefined ? `${p.filesDone} of ${p.filesTotal} files` : `${p.filesDone} files`;
  const bytes = p.bytesTotal !== undefined ? `${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)}` : formatBytes(p.bytesDone);
  return `Uploading ${name}: ${files}, ${bytes}…`;
}

/**
 * Uploads a model file or folder with the transfer engine. A folder goes with its own
 * `.amlignore` (else `.gitignore`) applied, as azure-ai-ml does; a chosen file always goes.
 * Throws with one readable sentence unless every file arrived.
 */
export async function uploadLocalModel(upload: LocalModelUpload): Promise<void> {
  const name = path.basename(upload.localPath);
  const progress = throttleProgress((p) => upload.onProgress(progressText(name, p)));
  const request = upload.isFolder
    ? { localRoot: upload.localPath, targetPath: `${upload.targetFolder}/${name}` }
    : { localRoot: path.dirname(upload.localPath), entries: [upload.localPath], targetPath: upload.targetFolder };
  const result = await upload.sdk.uploadToDatastore(
    { storage: upload.storage, ...request, policy: 'overwrite' },
    { signal: upload.signal, onProgress: progress.report });
  progress.flush();
  if (result.canceled) throw new UserCancelledError();
  if (result.fatal) throw new Error(`Uploading ${name} failed: ${result.fatal.message}`);
  if (result.failed.length > 0) {
    const first = result.failed[0]!;
    throw new Error(`${result.failed.length} of ${result.filesFound} files of ${name} could not be uploaded (${first.path}: ${first.reason}).`);
  }
  if (result.transferred.files === 0) {
    throw new Error(result.ignored.files + result.ignored.folders > 0
      ? `Nothing to upload: ${result.ignored.rulesFile ?? 'the ignore rules'} exclude every file of ${name}.`
      : `Nothing to upload: ${name} has no files.`);
  }
}
