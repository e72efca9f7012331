import * as l10n from '@vscode/l10n';
import * as path from 'node:path';
import { AzureMlError } from '../../azure/errors';
import { LockHeldError, takePidLockFile } from '../pidLockFile';

export const exportLockFileName = '.azml-export.lock';

/**
 * Makes sure one export at a time writes into `folder` (two would append the same lines twice).
 * A lock left by a process that is gone is taken over. Returns the release function.
 */
export async function lockExportFolder(folder: string): Promise<() => Promise<void>> {
  try {
    return await takePidLockFile(path.join(folder, exportLockFileName));
  } catch (error) {
    if (!(error instanceof LockHeldError)) throw error;
    throw new AzureMlError(error.holder === undefined
      ? l10n.t('Another export keeps taking the folder {0}: run this one again when it has finished.', folder)
      : l10n.t('Another export (process {0}) is writing into {1}: wait for it to finish, or cancel it, then run this one again.', error.holder, folder),
    undefined, 'ExportInProgress');
  }
}
