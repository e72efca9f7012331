import type { ApiContext } from '../context';
import { newAudit } from '../arm/envelope';
import { artifactContainer, blobStoreContainer, fileStoreShare } from '../storage/layout';
import type { DatastoreRecord } from '../store/records';
import type { WorkspaceData } from '../store/workspaceStore';
import type { JsonObject } from '../validation';

export const builtInDatastoreNames = ['workspaceblobstore', 'workspacefilestore', 'workspaceartifactstore'] as const;

function accountKeyCredentials(key: string): JsonObject {
  return { credentialsType: 'AccountKey', secrets: { secretsType: 'AccountKey', key } };
}

function builtInProperties(api: ApiContext, workspaceId: string): Record<(typeof builtInDatastoreNames)[number], JsonObject> {
  const { accountName, accountKey, endpointSuffix } = api.options.storage;
  const common = {
    accountName,
    endpoint: endpointSuffix,
    protocol: 'http',
    subscriptionId: api.options.subscriptionId,
    resourceGroup: api.options.resourceGroup,
    serviceDataAccessAuthIdentity: 'None',
    tags: {},
    properties: {},
  };
  return {
    workspaceblobstore: {
      ...common, description: 'Default blob store of the workspace.', datastoreType: 'AzureBlob',
      containerName: blobStoreContainer(workspaceId), credentials: accountKeyCredentials(accountKey), isDefault: true,
    },
    workspacefilestore: {
      ...common, description: 'File share of the workspace.', datastoreType: 'AzureFile',
      fileShareName: fileStoreShare(workspaceId), credentials: accountKeyCredentials(accountKey), isDefault: false,
    },
    workspaceartifactstore: {
      ...common, description: 'Job artifacts and logs (ExperimentRun/dcid.<job>/).', datastoreType: 'AzureBlob',
      containerName: artifactContainer, credentials: accountKeyCredentials(accountKey), isDefault: false,
    },
  };
}

/** Creates the built-in datastores of a new workspace. */
export function ensureBuiltInDatastores(api: ApiContext, data: WorkspaceData): void {
  const all = builtInProperties(api, data.record.workspaceId);
  for (const name of builtInDatastoreNames) {
    if (data.datastores.has(name)) continue;
    const record: DatastoreRecord = { ...newAudit(api.now(), 'Azure ML (local)'), name, properties: all[name] };
    data.datastores.set(record);
  }
}
