import type { DatastoreStorage } from './datastoreStorage';
import type { Page } from './domain';
import { toAzureMlError } from './errors';
import type { AbortSignalLike } from './serviceCall';

/** A file or folder inside a datastore. `path` is relative to the datastore root, `/`-separated. */
export interface StorageEntry {
  name: string;
  path: string;
  isFolder: boolean;
  size?: number;
  lastModified?: Date;
}

export interface ListFolderOptions {
  continuationToken?: string;
  pageSize?: number;
  /** Cancels the listing. */
  abortSignal?: AbortSignalLike;
}

function folderPrefix(folderPath: string): string {
  const trimmed = folderPath.replace(/^\/+|\/+$/g, '');
  return trimmed ? `${trimmed}/` : '';
}

/** One page of a folder's direct children: folders first, then files, each in service order. */
export async function listFolder(storage: DatastoreStorage, folderPath: string, options: ListFolderOptions = {}): Promise<Page<StorageEntry>> {
  const prefix = folderPrefix(folderPath);
  const byPage = { maxPageSize: options.pageSize ?? 200, ...(options.continuationToken ? { continuationToken: options.continuationToken } : {}) };
  const abort = options.abortSignal ? { abortSignal: options.abortSignal } : {};
  try {
    if (storage.kind === 'blob') {
      const pages = storage.container.listBlobsByHierarchy('/', { prefix, ...abort }).byPage(byPage);
      const { value } = await pages.next();
      const segment = value?.segment;
      const folders: StorageEntry[] = (segment?.blobPrefixes ?? []).map((p: { name: string }) => {
        const path = p.name.replace(/\/$/, '');
        return { name: path.slice(prefix.length), path, isFolder: true };
      });
      const files: StorageEntry[] = (segment?.blobItems ?? []).map((b: { name: string; properties: { contentLength?: number; lastModified?: Date } }) => ({
        name: b.name.slice(prefix.length), path: b.name, isFolder: false,
        ...(b.properties.contentLength !== undefined ? { size: b.properties.contentLength } : {}),
        ...(b.properties.lastModified ? { lastModified: b.properties.lastModified } : {}),
      }));
      return withToken([...folders, ...files], value?.continuationToken);
    }
    const directory = prefix ? storage.share.getDirectoryClient(prefix.slice(0, -1)) : storage.share.rootDirectoryClient;
    const pages = directory.listFilesAndDirectories(abort).byPage(byPage);
    const { value } = await pages.next();
    const segment = value?.segment;
    const folders: StorageEntry[] = (segment?.directoryItems ?? []).map((d: { name: string }) => ({
      name: d.name, path: `${prefix}${d.name}`, isFolder: true,
    }));
    const files: StorageEntry[] = (segment?.fileItems ?? []).map((f: { name: string; properties: { contentLength: number; lastModified?: Date } }) => ({
      name: f.name, path: `${prefix}${f.name}`, isFolder: false, size: f.properties.contentLength,
      ...(f.properties.lastModified ? { lastModified: f.properties.lastModified } : {}),
    }));
    return withToken([...folders, ...files], value?.continuationToken);
  } catch (e) {
    if ((e as { name?: unknown } | null)?.name === 'AbortError') throw e;
    throw toAzureMlError(e);
  }
}

function withToken(items: StorageEntry[], token: string | undefined): Page<StorageEntry> {
  return token ? { items, continuationToken: token } : { items };
}
