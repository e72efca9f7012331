/** The `modelUri` forms the service takes, built from what the Register Model form collects. */

function trimSlashes(path: string): string {
  return path.trim().replace(/^\/+|\/+$/g, '');
}

/** A folder keeps its trailing slash: the service registers its whole content. */
function withFolderSlash(path: string, isFolder: boolean): string {
  return isFolder ? `${trimSlashes(path)}/` : trimSlashes(path);
}

/** `path` is relative to the job's artifact folder (e.g. `outputs/model.pkl`, `model/`). */
export function jobArtifactModelUri(jobName: string, path: string, isFolder: boolean): string {
  return `azureml://jobs/${jobName}/outputs/artifacts/paths/${withFolderSlash(path, isFolder)}`;
}

export function datastoreModelUri(datastoreName: string, path: string, isFolder: boolean): string {
  return `azureml://datastores/${datastoreName}/paths/${withFolderSlash(path, isFolder)}`;
}

/** Where a local file or folder goes in the upload datastore: `LocalUpload/<id>/<its name>`. */
export function localUploadFolder(uploadId: string): string {
  return `LocalUpload/${uploadId}`;
}

export function baseName(localPath: string): string {
  const parts = localPath.replace(/[\\/]+$/, '').split(/[\\/]/);
  return parts[parts.length - 1] ?? localPath;
}
