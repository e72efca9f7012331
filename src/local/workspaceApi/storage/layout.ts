/**
 * Where the local workspaces keep things in the one local storage account. Every workspace
 * has its own blob store container and file share; job artifacts of all workspaces share the
 * `azureml` container (as a real workspace's storage account does).
 */
export const artifactContainer = 'azureml';

export function blobStoreContainer(workspaceId: string): string {
  return `azureml-blobstore-${workspaceId}`;
}

export function fileStoreShare(workspaceId: string): string {
  return `azureml-filestore-${workspaceId}`;
}

/**
 * Container that one startPendingUpload hands out: a new one each time, so snapshots of
 * folders with the same name never overwrite each other (or a code version already registered).
 */
export function codeUploadContainer(uploadId: string): string {
  return `code-${uploadId}`;
}

/** Folder of one job's artifacts and logs in the artifact container. */
export function jobArtifactPrefix(jobName: string): string {
  return `ExperimentRun/dcid.${jobName}/`;
}

export const stdLogFile = 'user_logs/std_log.txt';

export interface StorageTargets {
  blobContainers: string[];
  fileShares: string[];
}

/** Containers and shares of the given workspaces; the first workspace's blob store container comes first. */
export function storageTargetsOf(workspaceIds: readonly string[]): StorageTargets {
  return {
    blobContainers: [
      ...workspaceIds.map(blobStoreContainer),
      artifactContainer,
    ],
    fileShares: workspaceIds.map(fileStoreShare),
  };
}
