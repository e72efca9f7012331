/**
 * One sentence for a file-system error on a path the user gave (a folder to upload, a job file,
 * a folder to download into): what is wrong with which path, and what to do. Undefined for
 * anything that is not a file-system error.
 */
export function localFileProblem(error: unknown): string | undefined {
  const e = error as Partial<NodeJS.ErrnoException> | null;
  if (!e || typeof e.code !== 'string' || typeof e.syscall !== 'string') return undefined;
  const where = e.path ?? 'A file';
  switch (e.code) {
    case 'ENOENT': return `${where} does not exist: check the path.`;
    case 'EACCES':
    case 'EPERM': return `${where} can't be ${e.syscall === 'open' || e.syscall === 'read' || e.syscall === 'scandir' ? 'read' : 'used'} `
      + '(permission denied): check its permissions or choose another.';
    case 'EISDIR': return `${where} is a folder: choose a file.`;
    case 'ENOTDIR': return `A part of ${where} is a file, not a folder: check the path.`;
    case 'ELOOP': return `${where} is a loop of symbolic links: fix or remove the link.`;
    case 'ENAMETOOLONG': return `${where.slice(0, 80)}… is too long a name for this file system: choose a shorter one.`;
    case 'ENOSPC': return 'The disk is full: free some space and try again.';
    case 'EROFS': return `${where} is on a read-only file system: choose another place.`;
    case 'EMFILE':
    case 'ENFILE': return 'Too many files are open: close some programs and try again.';
    default: return undefined;
  }
}
