import * as l10n from '@vscode/l10n';
import { formatBytes, formatCount } from '../core/format';
import type { TransferProgress } from '../core/transfer/types';

/**
 * The upload's progress under the form, as one whole sentence per case (a translation
 * orders the numbers and words as its language needs). One file: the bytes only.
 */
export function uploadProgressText(name: string, p: TransferProgress): string {
  const done = formatBytes(p.bytesDone);
  if (p.filesTotal === 1) {
    return p.bytesTotal !== undefined
      ? l10n.t('Uploading {0}: {1} of {2}…', name, done, formatBytes(p.bytesTotal))
      : l10n.t('Uploading {0}: {1}…', name, done);
  }
  if (p.filesTotal !== undefined) {
    return p.bytesTotal !== undefined
      ? l10n.t('Uploading {0}: {1} of {2} files, {3} of {4}…', name, formatCount(p.filesDone), formatCount(p.filesTotal), done, formatBytes(p.bytesTotal))
      : l10n.t('Uploading {0}: {1} of {2} files, {3}…', name, formatCount(p.filesDone), formatCount(p.filesTotal), done);
  }
  return p.bytesTotal !== undefined
    ? l10n.t('Uploading {0}: {1} files so far, {2} of {3}…', name, formatCount(p.filesDone), done, formatBytes(p.bytesTotal))
    : l10n.t('Uploading {0}: {1} files so far, {2}…', name, formatCount(p.filesDone), done);
}
