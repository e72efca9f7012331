import * as l10n from '@vscode/l10n';
import { promises as fs, type Stats } from 'node:fs';
import * as path from 'node:path';
import { isInside } from './pathSafety';

/** What to upload, from the files and folders a user chose. */
export interface UploadSelection {
  /** Relative paths (and the rules file) start here. */
  localRoot: string;
  /** The chosen entries, or undefined for the whole of localRoot. */
  entries?: string[];
  /** The target folder proposed in the datastore: the folder's name. */
  defaultTarget: string;
}

function commonParent(paths: readonly string[]): string {
  const split = paths.map((p) => path.dirname(p).split(path.sep));
  const first = split[0]!;
  let length = first.length;
  for (const parts of split.slice(1)) {
    let i = 0;
    while (i < length && i < parts.length && parts[i] === first[i]) i++;
    length = i;
  }
  return first.slice(0, length).join(path.sep) || path.parse(first.join(path.sep)).root;
}

/**
 * Refuses, before anything is sent, a chosen path that is missing or that an upload could only
 * skip: a pipe, socket or device, a broken link, or a link to a file outside the folder it is in
 * (links are followed only inside the folder). A link to a folder stands for that folder.
 */
async function checkChosen(chosen: string): Promise<void> {
  let stats: Stats;
  try {
    stats = await fs.lstat(chosen);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? l10n.t('{0} does not exist: check the path.', chosen) : l10n.t('{0} can\'t be read ({1}): check its permissions.', chosen, code ?? String(error)));
  }
  if (stats.isFile() || stats.isDirectory()) return;
  if (!stats.isSymbolicLink()) throw new Error(l10n.t('{0} is not a file or folder (a pipe, socket or device); only files and folders can be uploaded.', chosen));
  let real: string;
  let target: Stats;
  try {
    real = await fs.realpath(chosen);
    target = await fs.stat(real);
  } catch (error) {
    throw new Error((error as NodeJS.ErrnoException).code === 'ELOOP'
      ? l10n.t('{0} is a loop of symbolic links: fix or remove the link.', chosen)
      : l10n.t('{0} is a broken symbolic link: fix or remove the link.', chosen));
  }
  if (target.isDirectory()) return;
  if (!target.isFile()) throw new Error(l10n.t('{0} leads to {1}, which is not a file or folder; only files and folders can be uploaded.', chosen, real));
  if (!isInside(await fs.realpath(path.dirname(chosen)), real)) {
    throw new Error(l10n.t('{0} is a symbolic link to {1}, outside its folder; links are followed only inside the folder. Choose the file itself.', chosen, real));
  }
}

/**
 * One folder: its contents go into a datastore folder named like it. Anything else (files,
 * several folders): each keeps its path relative to their common parent, inside a datastore
 * folder named like that parent. Every chosen path is checked first (see checkChosen).
 */
export async function planUpload(chosen: readonly string[]): Promise<UploadSelection> {
  if (chosen.length === 0) throw new Error(l10n.t('Choose a file or folder to upload.'));
  const unique = [...new Set(chosen.map((p) => path.resolve(p)))];
  // A folder chosen together with something inside it: the folder covers it.
  const absolute = unique.filter((p) => !unique.some((other) => other !== p && p.startsWith(`${other}${path.sep}`)));
  for (const item of absolute) await checkChosen(item);
  if (absolute.length === 1 && (await fs.stat(absolute[0]!)).isDirectory()) {
    return { localRoot: absolute[0]!, defaultTarget: path.basename(absolute[0]!) };
  }
  const localRoot = commonParent(absolute);
  // Names below a file system root would carry the whole local path (home folder and all).
  if (localRoot === path.parse(localRoot).root && absolute.some((p) => path.dirname(p) !== localRoot)) {
    throw new Error(l10n.t('{0} have no folder in common: choose files and folders from one folder, or upload them one at a time.', absolute.join(', ')));
  }
  return { localRoot, entries: absolute, defaultTarget: path.basename(localRoot) };
}
