import type { ApiContext } from '../context';
import type { WorkspaceData } from '../store/workspaceStore';
import type { JsonObject } from '../validation';
import { builtInDatastoreNames } from './builtinDatastores';

// Known only to recognise datastores registered with it before each data folder had a key of its own.
export const azuritePublishedKey = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/**
 * At start: account-key datastores on this data folder's own storage account (its name, at the
 * local endpoint) get the folder's current key, an option of the service rather than part of the
 * saved state. The built-in ones always; those a user registered only when they hold Azurite's
 * published key, which the local storage no longer accepts (an older version's). Datastores of
 * other storage keep theirs. Answers how many a user registered it changed.
 */
export function refreshLocalAccountKeys(api: ApiContext, data: WorkspaceData): number {
  const { accountName, accountKey, endpointSuffix } = api.options.storage;
  const builtIn = new Set<string>(builtInDatastoreNames);
  let changed = false;
  let registeredChanged = 0;
  for (const { name, properties } of data.datastores.values()) {
    const credentials = properties['credentials'] as JsonObject | undefined;
    const secrets = credentials?.['secrets'] as JsonObject | undefined;
    if (credentials?.['credentialsType'] !== 'AccountKey' || !secrets || secrets['key'] === accountKey) continue;
    if (String(properties['accountName']).toLowerCase() !== accountName.toLowerCase() || properties['endpoint'] !== endpointSuffix) continue;
    if (!builtIn.has(name)) {
      if (secrets['key'] !== azuritePublishedKey) continue;
      registeredChanged += 1;
    }
    secrets['key'] = accountKey;
    changed = true;
  }
  if (changed) data.datastores.touch();
  return registeredChanged;
}
