/** Paths inside a datastore: `/`-separated, relative to its root, no empty, `.` or `..` segments. */

/**
 * Why a folder path typed for a datastore is not usable, or undefined when it is. Leading and
 * trailing slashes and doubled slashes are fine (normalizeRemoteFolder removes them).
 */
export function remoteFolderProblem(input: string): string | undefined {
  if (input.includes('\\')) return 'Use "/" to separate folders, not "\\".';
  const segments = input.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '.' || s === '..')) return 'A folder path cannot contain "." or ".." segments.';
  if (/[\u0000-\u001f]/.test(input)) return 'A folder path cannot contain control characters.';
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
