import * as l10n from '@vscode/l10n';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { createWholeFile } from '../core/wholeFile';
import { syncDirectory } from './durability';

/**
 * The data folder's own key for its storage account (devstoreaccount1): Azurite, the blob front,
 * the file share service and the workspace's datastores all use it, so Azurite's published key
 * opens nothing. Made on the folder's first start, then kept.
 */
export const storageKeyFileName = 'storage-account.key';

/** As long as an Azure Storage account key: 64 bytes, 88 characters of base64. */
const keyBytes = 64;

export function storageKeyFilePath(dataDir: string): string {
  return path.join(dataDir, storageKeyFileName);
}

/** The key file exists but cannot be used; the message names the file and what to do. */
export class StorageKeyFileError extends Error {
  override readonly name = 'StorageKeyFileError';
}

export interface FolderStorageKey {
  key: string;
  /** True on the folder's first start, when the key was just made. */
  created: boolean;
  /** True when the file was readable by others and is now readable by its owner only. */
  madePrivate: boolean;
}

/**
 * The data folder's storage key, made on its first start. A key file that is there but empty or
 * damaged is an error, never replaced: a new key would lock out every datastore and SAS URL
 * made with the old one, so only the user may decide to start over (by deleting the file).
 */
export async function readOrCreateStorageKey(dataDir: string): Promise<FolderStorageKey> {
  const file = storageKeyFilePath(dataDir);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new StorageKeyFileError(l10n.t(
        'The local workspace cannot read its storage key file {0}: {1}. Make it readable by your user, then start the local workspace again.',
        file, (error as Error).message));
    }
    const made = await writeNewKey(file);
    // Another start of this folder made its key first: that one is the folder's.
    if (made === undefined) return readOrCreateStorageKey(dataDir);
    return { key: made, created: true, madePrivate: false };
  }
  return { key: parsedKey(file, text), created: false, madePrivate: await makePrivate(file) };
}

/** Group and others lose their access to a key file that was copied or restored with a looser mode (not on Windows, which has no modes). */
async function makePrivate(file: string): Promise<boolean> {
  if (process.platform === 'win32') return false;
  const { mode } = await fs.stat(file);
  if ((mode & 0o077) === 0) return false;
  await fs.chmod(file, 0o600);
  return true;
}

function parsedKey(file: string, text: string): string {
  const key = text.trim();
  const whatToDo = l10n.t(
    'Restore the file from a backup of the data folder. Only if the key is lost, delete the file: the next start makes a new key, which the workspace\'s own datastores take; datastores you registered with the old key then need the new one.');
  if (key === '') throw new StorageKeyFileError(l10n.t('The local workspace\'s storage key file {0} is empty. {1}', file, whatToDo));
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key) || Buffer.from(key, 'base64').length !== keyBytes) {
    throw new StorageKeyFileError(l10n.t(
      'The local workspace\'s storage key file {0} is damaged: it should hold one line of base64 text, a key of {1} bytes. {2}',
      file, keyBytes, whatToDo));
  }
  return key;
}

/**
 * Written whole (readable by the user only, fsynced, then its folder), never over a key another
 * start of the same folder made meanwhile: undefined when that happened.
 */
async function writeNewKey(file: string): Promise<string | undefined> {
  const key = randomBytes(keyBytes).toString('base64');
  if (!(await createWholeFile(file, `${key}\n`, { mode: 0o600, sync: true }))) return undefined;
  await syncDirectory(path.dirname(file));
  return key;
}
