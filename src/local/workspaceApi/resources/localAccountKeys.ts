import type { ApiContext } from '../context';
import type { WorkspaceData } from '../store/workspaceStore';
import type { JsonObject } from '../validation';

// Known only to recognise datastores registered with it before each data folder had a key of its own.
export const azuritePublishedKey = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/**
 * Datastores a user registered on the local account with Azurite's published key, which the
 * local storage no longer accepts, get the data folder's key; answers how many. Datastores of
 * other storage (another endpoint) keep theirs.
 */
export function replacePublishedKey(api: ApiContext, data: WorkspaceData): number {
  const { accountName, accountKey, endpointSuffix } = api.options.storage;
  let replaced = 0;
  for (const { properties } of data.datastores.values()) {
    const credentials = properties['credentials'] as JsonObject | undefined;
    const secrets = credentials?.['secrets'] as JsonObject | undefined;
    if (credentials?.['credentialsType'] !== 'AccountKey' || secrets?.['key'] !== azuritePublishedKey) continue;
    if (String(properties['accountName']).toLowerCase() !== accountName.toLowerCase() || properties['endpoint'] !== endpointSuffix) continue;
    secrets['key'] = accountKey;
    replaced += 1;
  }
  if (replaced > 0) data.datastores.touch();
  return replaced;
}
