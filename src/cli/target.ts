import { DefaultAzureCredential } from '@azure/identity';
import type { TokenCredential } from '@azure/core-auth';
import { azurePublicCloud, cloudByName, azureClouds, type Cloud } from '../azure/cloud';
import { connectLocalWorkspace } from '../azure/localWorkspace';
import { ResourceManagerClient } from '../azure/resourceManagerClient';
import { transportClientOptions } from '../azure/transport';
import type { WorkspaceClient } from '../azure/workspaceClient';
import { readDiscoveryFile, resolveLocalDataDir } from '../local/discovery';
import { UsageError } from './usage';

/** Options every command that talks to a workspace accepts. */
export const targetOptions = {
  local: { type: 'boolean' },
  data: { type: 'string' },
  subscription: { type: 'string' },
  'resource-group': { type: 'string' },
  workspace: { type: 'string' },
  cloud: { type: 'string' },
  tenant: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export interface TargetValues {
  local?: boolean;
  data?: string;
  subscription?: string;
  'resource-group'?: string;
  workspace?: string;
  cloud?: string;
  tenant?: string;
}

export interface ResolvedTarget {
  cloud: Cloud;
  resourceManager: ResourceManagerClient;
  /** The subscription the target names (the local one for --local). */
  subscriptionId: string | undefined;
  /** Set when the target names a workspace. */
  workspaceClient: WorkspaceClient | undefined;
  /** Who the command acts as: for identity-based datastores, whose token reaches storage. */
  credential: TokenCredential;
}

function azureCloud(name: string | undefined): Cloud {
  if (name === undefined) return azurePublicCloud;
  const cloud = cloudByName(name);
  if (!cloud) throw new UsageError(`Unknown --cloud "${name}". Use one of: ${azureClouds.map((c) => c.name).join(', ')}.`);
  return cloud;
}

/** Connects to the local workspace service or to Azure, as the flags say. */
export async function resolveTarget(values: TargetValues, needsWorkspace: boolean): Promise<ResolvedTarget> {
  if (values.local) {
    const connection = await readDiscoveryFile(resolveLocalDataDir(values.data));
    const { cloud, credential, workspaceClient } = connectLocalWorkspace(connection);
    return {
      cloud,
      resourceManager: new ResourceManagerClient(cloud, credential),
      subscriptionId: connection.subscriptionId,
      workspaceClient,
      credential,
    };
  }
  const cloud = azureCloud(values.cloud);
  const credential: TokenCredential = new DefaultAzureCredential({
    authorityHost: cloud.authorityHost,
    ...transportClientOptions('Microsoft Entra ID'),
    ...(values.tenant ? { tenantId: values.tenant } : {}),
  });
  const resourceManager = new ResourceManagerClient(cloud, credential);
  const { subscription, workspace } = values;
  const resourceGroup = values['resource-group'];
  if (needsWorkspace && !(subscription && resourceGroup && workspace)) {
    throw new UsageError('Name the workspace: --local, or --subscription <id> --resource-group <name> --workspace <name>.');
  }
  return {
    cloud,
    resourceManager,
    credential,
    subscriptionId: subscription,
    workspaceClient: subscription && resourceGroup && workspace
      ? resourceManager.workspaceClient({ subscriptionId: subscription, resourceGroup, workspaceName: workspace })
      : undefined,
  };
}
