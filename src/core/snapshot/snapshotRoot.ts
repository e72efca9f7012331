import { existsSync } from 'node:fs';
import * as path from 'node:path';

function isInside(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/**
 * The folder a script's snapshot takes: the nearest folder above the script that has an
 * `.amlignore` (up to the workspace folder holding the script), else that workspace folder,
 * else the script's own folder when it is in no workspace folder.
 */
export function findSnapshotRoot(scriptPath: string, workspaceFolders: readonly string[]): string {
  const script = path.resolve(scriptPath);
  const containing = workspaceFolders
    .map((f) => path.resolve(f))
    .filter((f) => isInside(f, script))
    .sort((a, b) => b.length - a.length)[0];
  let dir = path.dirname(script);
  for (;;) {
    if (existsSync(path.join(dir, '.amlignore'))) return dir;
    if (containing === undefined || dir === containing) break;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return containing ?? path.dirname(script);
}
