import * as l10n from '@vscode/l10n';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { AzureMlError } from '../../azure/errors';

const lockFileName = '.azml-export.lock';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Makes sure one export at a time writes into `folder` (two would append the same lines twice).
 * A lock left by a process that is gone is taken over. Returns the release function.
 */
export async function lockExportFolder(folder: string): Promise<() => Promise<void>> {
  const file = path.join(folder, lockFileName);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fs.writeFile(file, String(process.pid), { flag: 'wx' });
      return () => fs.rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number((await fs.readFile(file, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(holder) && holder > 0 && isRunning(holder)) {
        throw new AzureMlError(l10n.t('Another export (process {0}) is writing into {1}: wait for it to finish, or cancel it, then run this one again.', holder, folder), undefined, 'ExportInProgress');
      }
      await fs.rm(file, { force: true });
    }
  }
  throw new AzureMlError(l10n.t('Another export keeps taking the folder {0}: run this one again when it has finished.', folder), undefined, 'ExportInProgress');
}
