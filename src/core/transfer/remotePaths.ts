import * as l10n from '@vscode/l10n';
import { formatCount } from '../format';
/** Paths inside a datastore: `/`-separated, relative to its root, no empty, `.` or `..` segments. */

/** Blob names have at most 1,024 characters. */
export const maxRemotePathLength = 1024;
/** File share file and folder names have at most 255 characters (and most local file systems too). */
export const maxRemoteNameLength = 255;

/**
 * Why a folder path typed for a datastore is not usable, or undefined when it is. Leading and
 * trailing slashes and doubled slashes are fine (normalizeRemoteFolder removes them).
 */
export function remoteFolderProblem(input: string): string | undefined {
  if (input.includes('\\')) return l10n.t('Use "/" to separate folders, not "\\".');
  const segments = input.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '.' || s === '..')) return l10n.t('A folder path cannot contain "." or ".." segments.');
  if (/[\u0000-\u001f]/.test(input)) return l10n.t('A folder path cannot contain control characters.');
  const length = segments.join('/').length;
  if (length > maxRemotePathLength) {
    return l10n.t('The path is too long: a datastore path has at most 1,024 characters (this one has {0}).', formatCount(length));
  }
  const longSegment = segments.find((s) => s.length > maxRemoteNameLength);
  if (longSegment) return l10n.t('A folder name in a datastore path has at most 255 characters: shorten "{0}…".', longSegment.slice(0, 20));
  return undefined;
}

/** `/a//b/` → `a/b`; throws on paths remoteFolderProblem refuses. */
export function normalizeRemoteFolder(input: string): string {
  const problem = remoteFolderProblem(input);
  if (problem) throw new Error(problem);
  return input.split('/').filter((s) => s !== '').join('/');
}

/** Joins a normalized folder and a relative path. */
export function joinRemote(folder: string, relativePath: string): string {
  return folder ? (relativePath ? `${folder}/${relativePath}` : folder) : relativePath;
}

/** The parent folder of a relative path (`''` for top-level names). */
export function remoteParent(relativePath: string): string {
  const slash = relativePath.lastIndexOf('/');
  return slash < 0 ? '' : relativePath.slice(0, slash);
}

export function remoteBaseName(relativePath: string): string {
  return relativePath.slice(relativePath.lastIndexOf('/') + 1);
}
