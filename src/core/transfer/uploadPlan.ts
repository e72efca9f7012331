import { promises as fs } from 'node:fs';
import * as path from 'node:path';

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
 * One folder: its contents go into a datastore folder named like it. Anything else (files,
 * several folders): each keeps its name inside a datastore folder named like their parent.
 */
export async function planUpload(chosen: readonly string[]): Promise<UploadSelection> {
  if (chosen.length === 0) throw new Error('Choose a file or folder to upload.');
  const unique = [...new Set(chosen.map((p) => path.resolve(p)))];
  // A folder chosen together with something inside it: the folder covers it.
  const absolute = unique.filter((p) => !unique.some((other) => other !== p && p.startsWith(`${other}${path.sep}`)));
  if (absolute.length === 1 && (await fs.stat(absolute[0]!)).isDirectory()) {
    return { localRoot: absolute[0]!, defaultTarget: path.basename(absolute[0]!) };
  }
  const localRoot = commonParent(absolute);
  return { localRoot, entries: absolute, defaultTarget: path.basename(localRoot) };
}
