import ignore from 'ignore';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** Which files of a folder an upload leaves out. */
export interface IgnoreRules {
  /** `.amlignore` or `.gitignore` when one was found at the root. */
  readonly rulesFile: string | undefined;
  /** Whether a path relative to the root (`/`-separated) is left out. */
  ignores(relativePath: string, isDirectory: boolean): boolean;
}

/** Rules files looked for at the root, first found wins (as Azure ML's own upload does). */
export const rulesFileNames = ['.amlignore', '.gitignore'] as const;

/** `.git` (the folder, or the file a submodule has) is never uploaded, whatever the rules say. */
function isGitEntry(relativePath: string): boolean {
  return relativePath.split('/').includes('.git');
}

/** Rules from the text of a gitignore-syntax file (none when undefined). */
export function ignoreRulesFrom(text: string | undefined, rulesFile?: string): IgnoreRules {
  // Git matches case-insensitively where the file system is case-insensitive.
  const matcher = ignore({ ignorecase: process.platform !== 'linux' });
  if (text !== undefined) matcher.add(text);
  return {
    rulesFile,
    ignores(relativePath, isDirectory) {
      if (isGitEntry(relativePath)) return true;
      if (text === undefined || relativePath === '') return false;
      return matcher.ignores(isDirectory ? `${relativePath}/` : relativePath);
    },
  };
}

/** Reads `.amlignore`, else `.gitignore`, at the root of the folder to upload. */
export async function loadIgnoreRules(root: string): Promise<IgnoreRules> {
  for (const name of rulesFileNames) {
    let text: string;
    try {
      text = await fs.readFile(path.join(root, name), 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') continue;
      throw e;
    }
    return ignoreRulesFrom(text, name);
  }
  return ignoreRulesFrom(undefined);
}
