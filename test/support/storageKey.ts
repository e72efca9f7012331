import { readFileSync } from 'node:fs';
import { storageKeyFilePath } from '../../src/local/storageKeyFile';

/** The storage account key of a local workspace's data folder: the one its service accepts. */
export function localStorageKey(dataDir: string): string {
  return readFileSync(storageKeyFilePath(dataDir), 'utf8').trim();
}
