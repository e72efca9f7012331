/** A path in a datastore, from `azureml://datastores/<ds>/paths/<path>`. */
export interface DatastorePath {
  datastore: string;
  /** Without a leading slash; a trailing slash (a folder) is kept. */
  path: string;
}

// The short form, and the long form that names the workspace first.
const datastoreUri =
  /^azureml:\/\/(?:subscriptions\/[^/]+\/resource[gG]roups\/[^/]+\/(?:providers\/Microsoft\.MachineLearningServices\/)?workspaces\/[^/]+\/)?datastores\/([^/]+)\/paths\/(.*)$/i;

export function parseDatastoreUri(uri: string): DatastorePath | undefined {
  const m = datastoreUri.exec(uri.trim());
  if (!m) return undefined;
  return { datastore: decodeURIComponent(m[1]!), path: decodeURIComponent(m[2]!).replace(/^\/+/, '') };
}

/** A blob folder (or single blob) in the local storage account. */
export interface BlobLocation {
  container: string;
  /** Blob name prefix without a trailing slash; empty for the whole container. */
  path: string;
}

/**
 * Where a code version's `codeUri` points in the local blob storage (`<blobEndpoint>/<container>/<path>`),
 * or undefined when it is somewhere else.
 */
export function parseLocalBlobUri(uri: string, blobEndpoint: string): BlobLocation | undefined {
  let target: URL;
  let endpoint: URL;
  try {
    target = new URL(uri);
    endpoint = new URL(blobEndpoint);
  } catch {
    return undefined;
  }
  const base = endpoint.pathname.replace(/\/+$/, '');
  if (target.origin !== endpoint.origin || !target.pathname.startsWith(`${base}/`)) return undefined;
  const [container, ...rest] = target.pathname.slice(base.length + 1).split('/').map(decodeURIComponent);
  if (!container) return undefined;
  return { container, path: rest.join('/').replace(/\/+$/, '') };
}
