import * as l10n from '@vscode/l10n';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { TransferJournal } from './journal';
import type { RemoteVersion } from './remoteStore';

/** Where a large file of a journaled download starts: its temporary file, and the ranges already in it. */
export interface ResumePoint {
  handle: fs.FileHandle;
  /** The remote file's version the ranges belong to (recorded with every range). */
  version: string;
  /** Offset to length of the ranges that are in the temporary file and need not be fetched. */
  done: Map<number, number>;
  /** Why the interrupted run's ranges were not used, when there were some. */
  startedOver?: string;
}

export function versionText(version: RemoteVersion): string {
  return `${version.etag} ${version.lastModified} ${version.size}`;
}

/** The MD5 (base64) of `length` bytes of a file from `offset`, read a MiB at a time. */
async function md5OfRange(handle: fs.FileHandle, offset: number, length: number): Promise<string> {
  const hash = createHash('md5');
  const buffer = Buffer.allocUnsafe(Math.min(length, 1024 * 1024));
  for (let position = offset; position < offset + length;) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, offset + length - position), position);
    if (bytesRead === 0) break;
    hash.update(buffer.subarray(0, bytesRead));
    position += bytesRead;
  }
  return hash.digest('base64');
}

/**
 * Opens the temporary file of a large file for a journaled download. Resuming, the ranges the
 * journal confirmed (written and fsynced) are kept when the remote file is the same version
 * (ETag, last-modified, length) and each range on disk still has the MD5 recorded for it;
 * otherwise the file starts over. The file is made its full size at once, so a resume can tell
 * it is the one the journal speaks of.
 */
export async function openResumable(journal: TransferJournal, name: string, temporary: string, remote: RemoteVersion): Promise<ResumePoint> {
  const version = versionText(remote);
  const confirmed = journal.confirmedRanges(name);
  const done = new Map<number, number>();
  let startedOver: string | undefined;
  if (confirmed && confirmed.version !== version) {
    startedOver = l10n.t('it changed in the datastore after the interrupted download: downloaded again from the start');
  } else if (confirmed) {
    const handle = await fs.open(temporary, 'r+').catch(() => undefined);
    const size = handle ? (await handle.stat()).size : undefined;
    if (handle && size === remote.size) {
      for (const range of confirmed.ranges) {
        if (range.offset + range.length > remote.size || range.md5 === undefined) continue;
        if (await md5OfRange(handle, range.offset, range.length) === range.md5) done.set(range.offset, range.length);
      }
      return { handle, version, done };
    }
    await handle?.close();
    startedOver = l10n.t('the partly downloaded file the interrupted download left is missing or incomplete: downloaded again from the start');
  }
  await fs.rm(temporary, { force: true });
  const handle = await fs.open(temporary, 'wx');
  try {
    await handle.truncate(remote.size);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return { handle, version, done, ...(startedOver ? { startedOver } : {}) };
}
