import * as l10n from '@vscode/l10n';
import { loadIgnoreRules } from '../transfer/ignoreRules';
import { walkLocal } from '../transfer/localWalk';
import { AzureMlError } from '../../azure/errors';
import type { ListSnapshotFiles, SnapshotFile } from './snapshotFile';

/**
 * The files a snapshot of `folder` takes: the upload engine's walk with its ignore rules
 * (`.amlignore`, else `.gitignore`, at the folder's root; `.git` never). A file that can't be
 * read stops the snapshot rather than leaving a job without it.
 */
export const listSnapshotFiles: ListSnapshotFiles = async (folder, signal) => {
  const rules = await loadIgnoreRules(folder);
  const files: SnapshotFile[] = [];
  for await (const entry of walkLocal({ root: folder, rules, ...(signal ? { signal } : {}) })) {
    if (entry.kind === 'file') files.push({ relativePath: entry.relativePath, absolutePath: entry.absolutePath, size: entry.size });
    else if (entry.kind === 'unreadable') {
      throw new AzureMlError(l10n.t('Can\'t read {0} for the snapshot ({1}): fix or remove it, or list it in .amlignore.', entry.relativePath, entry.reason),
        undefined, 'SnapshotUnreadable');
    }
  }
  return files;
};
