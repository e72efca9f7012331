import { localCloud } from '../azure/cloud';
import { createFixedTokenCredential } from '../azure/credentials';
import { identityFallbackPolicy } from '../azure/identityFallback';
import { withStoragePolicy } from '../azure/transport';
import { devStorageAccount } from './devStorageAccount';
import type { StorageKeyAccess } from './storageKeyAccess';

/**
 * The local workspace's own storage clients (creating containers and shares, demo files, the job
 * runner's logs and outputs) sign with the account key; with key access disabled they send the
 * workspace's bearer token instead, as a compute node's managed identity would.
 */
export function asWorkspaceService<T extends object>(client: T, access: StorageKeyAccess, service: 'blob' | 'file', endpoint: string): T {
  if (access.sharedKeyAccess) return client;
  return withStoragePolicy(client, identityFallbackPolicy({
    cloud: localCloud({ armEndpoint: endpoint, blobEndpoint: endpoint, fileEndpoint: endpoint, queueEndpoint: endpoint }),
    credential: createFixedTokenCredential(access.bearerToken),
    target: `service:${endpoint}`,
    accountName: devStorageAccount.name,
    service,
    identityFromStart: true,
  }));
}
