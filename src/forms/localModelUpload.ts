import * as l10n from '@vscode/l10n';
import * as path from 'node:path';
import type { DatastoreStorage } from '../azure/datastoreStorage';
import type { AzureModules } from '../connection/loadAzureModules';
import { throttleProgress } from '../core/transfer/progressTracker';
import { UserCancelledError } from '../ui/prompts';
import { uploadProgressText } from './uploadProgress';

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

/**
 * Uploads a model file or folder with the transfer engine. A folder goes with its own
 * `.amlignore` (else `.gitignore`) applied, as azure-ai-ml does; a chosen file always goes.
 * Throws with one readable sentence unless every file arrived.
 */
export async function uploadLocalModel(upload: LocalModelUpload): Promise<void> {
  const name = path.basename(upload.localPath);
  const progress = throttleProgress((p) => upload.onProgress(uploadProgressText(name, p)));
  const request = upload.isFolder
    ? { localRoot: upload.localPath, targetPath: `${upload.targetFolder}/${name}` }
    : { localRoot: path.dirname(upload.localPath), entries: [upload.localPath], targetPath: upload.targetFolder };
  const result = await upload.sdk.uploadToDatastore(
    { storage: upload.storage, ...request, policy: 'overwrite' },
    { signal: upload.signal, onProgress: progress.report });
  progress.flush();
  if (result.canceled) throw new UserCancelledError();
  if (result.fatal) throw new Error(l10n.t('Uploading {0} failed: {1}', name, result.fatal.message));
  if (result.failed.length > 0) {
    const first = result.failed[0]!;
    throw new Error(l10n.t('{0} of {1} files of {2} could not be uploaded ({3}: {4}).', result.failed.length, result.filesFound, name, first.path, first.reason));
  }
  if (result.transferred.files === 0) {
    throw new Error(result.ignored.files + result.ignored.folders > 0
      ? (result.ignored.rulesFile
        ? l10n.t('Nothing to upload: {0} excludes every file of {1}.', result.ignored.rulesFile, name)
        : l10n.t('Nothing to upload: the ignore rules exclude every file of {0}.', name))
      : l10n.t('Nothing to upload: {0} has no files.', name));
  }
}
