import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { sortSnapshotFiles, type SnapshotFile } from './snapshotFile';

/** The `hash_version` of contentHash: azure-ai-ml's folder hash since 2022-08. */
export const contentHashVersion = '202208';

async function addFileBytes(hash: Hash, file: string, signal?: AbortSignal): Promise<void> {
  const stream = createReadStream(file, signal ? { signal } : {});
  for await (const chunk of stream) hash.update(chunk as Buffer);
}

/**
 * The snapshot's content hash (version 202208), so an unchanged folder is recognised and not
 * uploaded again: sha256 over the file count, then `#<relative path>#<size>` of each file in
 * lower-cased path order, then every file's bytes in that order. Files are read streaming.
 */
export async function contentHash(files: readonly SnapshotFile[], signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  const sorted = sortSnapshotFiles(files);
  hash.update(String(sorted.length), 'utf8');
  for (const file of sorted) {
    hash.update(`#${file.relativePath}#`, 'utf8');
    hash.update(String(file.size), 'utf8');
  }
  for (const file of sorted) await addFileBytes(hash, file.absolutePath, signal);
  return hash.digest('hex');
}
