import * as l10n from '@vscode/l10n';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/**
 * Whether the file system of `folder` tells apart names that differ only in upper and lower case
 * (Linux does; macOS and Windows, by default, do not). Asked of the folder itself, with a file
 * made and removed there.
 */
export async function isCaseInsensitive(folder: string): Promise<boolean> {
  const name = `.azml-case-${randomBytes(6).toString('hex')}`;
  const probe = path.join(folder, name);
  await fs.writeFile(probe, '', { flag: 'wx' });
  try {
    return await fs.stat(path.join(folder, name.toUpperCase())).then(() => true, () => false);
  } finally {
    await fs.rm(probe, { force: true });
  }
}

/**
 * Remote names that would land on the same local file: a blob container holds `Cat.png` and
 * `cat.png` apart, a case-insensitive folder does not, and the second download would replace the
 * first. Also folds Unicode normalization (macOS does), so `é` written two ways is one name too.
 */
export class CaseClashes {
  private readonly claimed = new Map<string, string>();

  constructor(private readonly caseInsensitive: boolean) {}

  /** Why `name` can't be downloaded to `localPath` next to a name already claimed, or undefined (and it is claimed). */
  claim(name: string, localPath: string): string | undefined {
    if (!this.caseInsensitive) return undefined;
    const key = localPath.normalize('NFC').toLowerCase();
    const first = this.claimed.get(key);
    if (first !== undefined && first !== name) {
      return l10n.t('{0} in the same download differs from it only in upper and lower case, which this folder does not tell apart', first);
    }
    this.claimed.set(key, name);
    return undefined;
  }
}
