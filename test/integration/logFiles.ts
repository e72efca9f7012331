import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

/**
 * Every file under a folder (the extension's log folder, its storage) with its text: tests look
 * there for what the extension wrote, and for secrets it must not have. Read as latin1, so a
 * secret is found byte for byte whatever the file's encoding.
 */
export function filesUnder(dir: string): Array<[string, string]> {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((relative) => path.join(dir, relative))
    .filter((file) => statSync(file).isFile())
    .map((file) => [file, readFileSync(file, 'latin1')]);
}
