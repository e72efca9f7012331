import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ContainerClient } from '@azure/storage-blob';
import type { ShareClient, ShareDirectoryClient } from '@azure/storage-file-share';
import { localPathForRemote } from '../../core/transfer/pathSafety';

/** Files moved at once per folder transfer. */
const parallelTransfers = 8;

async function forEachLimit<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** `root/relative`, refusing names that could land outside `root` (the one path-safety check). */
function pathInside(root: string, relative: string): string {
  const target = localPathForRemote(root, relative);
  if (!target.ok) throw new Error(`The storage name ${JSON.stringify(relative)} can't be downloaded: ${target.reason}.`);
  return target.localPath;
}

function joinName(prefix: string, relative: string): string {
  return prefix ? `${prefix.replace(/\/+$/, '')}/${relative}` : relative;
}

/** Relative paths (with `/`) of the files under `dir`; empty when it does not exist. */
export async function listLocalFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (current: string, relative: string): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(current, { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' && relative === '') return;
      throw e;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(current, entry.name);
      const rel = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(full, rel);
      else if (entry.isFile()) found.push(rel);
      // A symbolic link counts when it leads to a file; linked folders are skipped (no cycles).
      else if (entry.isSymbolicLink() && (await fs.stat(full).catch(() => undefined))?.isFile()) found.push(rel);
    }
  };
  await walk(dir, '');
  return found;
}

// ---- Blob containers ------------------------------------------------------------------------

/** Downloads every blob under `folder/` into `targetDir`; answers how many files. */
export async function downloadBlobFolder(container: ContainerClient, folder: string, targetDir: string, signal?: AbortSignal): Promise<number> {
  const prefix = folder ? `${folder.replace(/\/+$/, '')}/` : '';
  const names: string[] = [];
  for await (const blob of container.listBlobsFlat({ prefix, includeMetadata: true, abortSignal: signal })) {
    const relative = blob.name.slice(prefix.length);
    // Folder markers (ADLS, Storage Explorer) are not files.
    if (!relative || relative.endsWith('/') || blob.metadata?.['hdi_isfolder'] === 'true') continue;
    names.push(blob.name);
  }
  await fs.mkdir(targetDir, { recursive: true });
  await forEachLimit(names, parallelTransfers, async (name) => {
    const target = pathInside(targetDir, name.slice(prefix.length));
    await fs.mkdir(path.dirname(target), { recursive: true });
    await container.getBlobClient(name).downloadToFile(target, 0, undefined, { abortSignal: signal });
  });
  return names.length;
}

/** Downloads one blob to `targetFile`; false when there is no such blob. */
export async function downloadBlobFile(container: ContainerClient, name: string, targetFile: string, signal?: AbortSignal): Promise<boolean> {
  const blob = container.getBlobClient(name);
  if (!(await blob.exists({ abortSignal: signal }))) return false;
  await fs.mkdir(path.dirname(targetFile), { recursive: true });
  await blob.downloadToFile(targetFile, 0, undefined, { abortSignal: signal });
  return true;
}

/** Uploads every file under `localDir` to blobs under `folder/`; answers how many files. */
export async function uploadFolderToBlobs(container: ContainerClient, localDir: string, folder: string, signal?: AbortSignal): Promise<number> {
  const files = await listLocalFiles(localDir);
  await forEachLimit(files, parallelTransfers, async (relative) => {
    await container.getBlockBlobClient(joinName(folder, relative))
      .uploadFile(path.join(localDir, ...relative.split('/')), { abortSignal: signal });
  });
  return files.length;
}

// ---- File shares ----------------------------------------------------------------------------

function directoryOf(share: ShareClient, dirPath: string): ShareDirectoryClient {
  const clean = dirPath.replace(/^\/+|\/+$/g, '');
  return clean ? share.getDirectoryClient(clean) : share.rootDirectoryClient;
}

/** Downloads a share folder (recursively) into `targetDir`; answers how many files. */
export async function downloadShareFolder(share: ShareClient, dirPath: string, targetDir: string, signal?: AbortSignal): Promise<number> {
  const files: Array<{ client: ReturnType<ShareDirectoryClient['getFileClient']>; relative: string }> = [];
  const walk = async (dir: ShareDirectoryClient, relative: string): Promise<void> => {
    for await (const item of dir.listFilesAndDirectories({ abortSignal: signal })) {
      const rel = relative ? `${relative}/${item.name}` : item.name;
      if (item.kind === 'directory') await walk(dir.getDirectoryClient(item.name), rel);
      else files.push({ client: dir.getFileClient(item.name), relative: rel });
    }
  };
  await walk(directoryOf(share, dirPath), '');
  await fs.mkdir(targetDir, { recursive: true });
  await forEachLimit(files, parallelTransfers, async ({ client, relative }) => {
    const target = pathInside(targetDir, relative);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await client.downloadToFile(target, 0, undefined, { abortSignal: signal });
  });
  return files.length;
}

/** Downloads one share file to `targetFile`; false when there is no such file. */
export async function downloadShareFile(share: ShareClient, filePath: string, targetFile: string, signal?: AbortSignal): Promise<boolean> {
  const segments = filePath.split('/').filter(Boolean);
  const name = segments.pop();
  if (!name) return false;
  const file = directoryOf(share, segments.join('/')).getFileClient(name);
  if (!(await file.exists({ abortSignal: signal }))) return false;
  await fs.mkdir(path.dirname(targetFile), { recursive: true });
  await file.downloadToFile(targetFile, 0, undefined, { abortSignal: signal });
  return true;
}

async function ensureShareDirectory(share: ShareClient, dirPath: string, created: Set<string>, signal?: AbortSignal): Promise<ShareDirectoryClient> {
  const segments = dirPath.split('/').filter(Boolean);
  for (let i = 1; i <= segments.length; i++) {
    const partial = segments.slice(0, i).join('/');
    if (created.has(partial)) continue;
    await share.getDirectoryClient(partial).createIfNotExists({ abortSignal: signal });
    created.add(partial);
  }
  return directoryOf(share, segments.join('/'));
}

/** Uploads every file under `localDir` into the share folder `dirPath`; answers how many files. */
export async function uploadFolderToShare(share: ShareClient, localDir: string, dirPath: string, signal?: AbortSignal): Promise<number> {
  const files = await listLocalFiles(localDir);
  const created = new Set<string>();
  // Folders first, one at a time (parents before children), then the files in parallel.
  for (const relative of files) {
    await ensureShareDirectory(share, joinName(dirPath, relative).split('/').slice(0, -1).join('/'), created, signal);
  }
  await forEachLimit(files, parallelTransfers, async (relative) => {
    const segments = joinName(dirPath, relative).split('/').filter(Boolean);
    const name = segments.pop()!;
    await directoryOf(share, segments.join('/')).getFileClient(name)
      .uploadFile(path.join(localDir, ...relative.split('/')), { abortSignal: signal });
  });
  return files.length;
}
