import * as l10n from '@vscode/l10n';
import type { DatastoreStorage } from './datastoreStorage';
import { toAzureMlError } from './errors';

/** The artifact datastore of every workspace: job outputs and logs live under `ExperimentRun/dcid.<job>/`. */
export const artifactDatastoreName = 'workspaceartifactstore';

export function jobArtifactFolder(jobName: string): string {
  return `ExperimentRun/dcid.${jobName}/`;
}

/** Top-level folders of a job's artifacts that hold logs, not outputs worth registering. */
const logFolders = new Set(['user_logs', 'azureml-logs', 'logs', 'system_logs']);

export interface ArtifactPaths {
  /** Relative to the job's artifact folder; folders end with `/`. Sorted. */
  paths: string[];
  /** More files exist than were read. */
  truncated: boolean;
}

function trimSlashes(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}

/**
 * The files of a job's artifacts (outputs, MLflow models; not logs), and every folder above
 * them, read from the artifact datastore's container. Reads at most `maxFiles` files.
 */
export async function listJobArtifactPaths(storage: DatastoreStorage, jobName: string, maxFiles = 500): Promise<ArtifactPaths> {
  if (storage.kind !== 'blob') throw new Error(l10n.t('The artifact datastore must be a blob container, not a file share.'));
  const prefix = jobArtifactFolder(jobName);
  const paths = new Set<string>();
  let files = 0;
  let truncated = false;
  try {
    for await (const blob of storage.container.listBlobsFlat({ prefix })) {
      const relative = blob.name.slice(prefix.length);
      const segments = relative.split('/');
      if (!relative || logFolders.has(segments[0]!)) continue;
      if (files === maxFiles) {
        truncated = true;
        break;
      }
      files++;
      for (let i = 1; i < segments.length; i++) paths.add(`${segments.slice(0, i).join('/')}/`);
      paths.add(relative);
    }
  } catch (error) {
    throw toAzureMlError(error);
  }
  return { paths: [...paths].sort(), truncated };
}

/** Whether `path` (relative to the container or share root) is a file, a folder, or nothing. */
export async function storagePathKind(storage: DatastoreStorage, path: string): Promise<'file' | 'folder' | undefined> {
  const name = trimSlashes(path);
  try {
    if (storage.kind === 'blob') {
      if (name && await storage.container.getBlobClient(name).exists()) return 'file';
      // Blob containers have no folders: a folder is a prefix with blobs below it.
      const page = await storage.container.listBlobsFlat({ prefix: name ? `${name}/` : '' }).byPage({ maxPageSize: 1 }).next();
      return (page.value?.segment?.blobItems?.length ?? 0) > 0 ? 'folder' : undefined;
    }
    if (!name || await storage.share.getDirectoryClient(name).exists()) return 'folder';
    const slash = name.lastIndexOf('/');
    const folder = slash < 0 ? storage.share.rootDirectoryClient : storage.share.getDirectoryClient(name.slice(0, slash));
    return await folder.getFileClient(name.slice(slash + 1)).exists() ? 'file' : undefined;
  } catch (error) {
    throw toAzureMlError(error);
  }
}
