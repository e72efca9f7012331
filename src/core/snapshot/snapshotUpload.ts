import * as l10n from '@vscode/l10n';
import type { Datastore } from '../../azure/domain';
import { AzureMlError } from '../../azure/errors';
import { uploadToDatastore } from '../transfer/uploadFolder';
import type { UploadSnapshotFiles } from './codeSnapshot';

/** The pending upload's container, described as a datastore for the upload engine (SAS-authorised). */
const snapshotContainer: Datastore = {
  id: '', name: 'code snapshot', datastoreType: 'AzureBlob', isDefault: false, credentialsType: 'Sas', tags: {}, properties: {},
};

function abortError(): Error {
  return Object.assign(new Error(l10n.t('The snapshot upload was canceled.')), { name: 'AbortError' });
}

/**
 * Uploads exactly the hashed files (as explicit entries, so the upload and the hash can't
 * disagree) with the transfer engine; any file that fails fails the snapshot.
 */
export const uploadSnapshotFiles: UploadSnapshotFiles = async (container, folder, files, prefix, options) => {
  if (files.length === 0) return;
  const result = await uploadToDatastore(
    {
      storage: { kind: 'blob', datastore: snapshotContainer, container },
      localRoot: folder,
      entries: files.map((f) => f.absolutePath),
      targetPath: prefix,
      policy: 'overwrite',
    },
    {
      ...(options.signal ? { signal: options.signal } : {}),
      onProgress: (progress) => options.onProgress?.(progress.bytesDone, progress.bytesTotal ?? progress.bytesDone),
    });
  if (result.canceled) throw abortError();
  if (result.fatal) throw new AzureMlError(l10n.t('The snapshot upload stopped: {0}', result.fatal.message), result.fatal.status, result.fatal.code);
  const problems = [...result.failed, ...result.notTransferred];
  if (problems.length > 0) {
    const first = problems.slice(0, 3).map((p) => `${p.path} (${p.reason})`).join(', ');
    throw new AzureMlError(l10n.t('{0} snapshot file(s) could not be uploaded: {1}{2}.', problems.length, first, problems.length > 3 ? ', …' : ''), undefined, 'SnapshotUploadFailed');
  }
};
