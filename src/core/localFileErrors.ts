import * as l10n from '@vscode/l10n';
/**
 * One sentence for a file-system error on a path the user gave (a folder to upload, a job file,
 * a folder to download into): what is wrong with which path, and what to do. Undefined for
 * anything that is not a file-system error.
 */
export function localFileProblem(error: unknown): string | undefined {
  const e = error as Partial<NodeJS.ErrnoException> | null;
  if (!e || typeof e.code !== 'string' || typeof e.syscall !== 'string') return undefined;
  const where = e.path ?? l10n.t('A file');
  switch (e.code) {
    case 'ENOENT': return l10n.t('{0} does not exist: check the path.', where);
    case 'EACCES':
    case 'EPERM': return e.syscall === 'open' || e.syscall === 'read' || e.syscall === 'scandir'
      ? l10n.t('{0} can\'t be read (permission denied): check its permissions or choose another.', where)
      : l10n.t('{0} can\'t be used (permission denied): check its permissions or choose another.', where);
    case 'EISDIR': return l10n.t('{0} is a folder: choose a file.', where);
    case 'ENOTDIR': return l10n.t('A part of {0} is a file, not a folder: check the path.', where);
    case 'ELOOP': return l10n.t('{0} is a loop of symbolic links: fix or remove the link.', where);
    case 'ENAMETOOLONG': return l10n.t('{0}… is too long a name for this file system: choose a shorter one.', where.slice(0, 80));
    case 'ENOSPC': return l10n.t('The disk is full: free some space and try again.');
    case 'EROFS': return l10n.t('{0} is on a read-only file system: choose another place.', where);
    case 'EMFILE':
    case 'ENFILE': return l10n.t('Too many files are open: close some programs and try again.');
    default: return undefined;
  }
}
