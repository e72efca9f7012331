import { promises as fs } from 'node:fs';
import { DefaultAzureCredential } from '@azure/identity';
import type { TokenCredential } from '@azure/core-auth';
import { azurePublicCloud, cloudByName, azureClouds, type Cloud } from '../azure/cloud';
import { customCloud } from '../azure/customCloud';
import { accessTokenVariable, createEnvironmentTokenCredential } from '../azure/environmentAccessToken';
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
  'cloud-config': { type: 'string' },
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
  'cloud-config'?: string;
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
  /** The credential is the fixed token from AZML_ACCESS_TOKEN. */
  tokenFromEnvironment?: boolean;
}

export { accessTokenVariable };

async function cloudFromConfigFile(file: string): Promise<Cloud> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--cloud-config: can't read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)}).`);
  }
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--cloud-config: ${file} is not JSON (${(error as Error).message}).`);
  }
  try {
    return customCloud(config);
  } catch (error) {
    throw new UsageError(`--cloud-config ${file}: ${(error as Error).message}`);
  }
}

async function chosenCloud(values: TargetValues): Promise<Cloud> {
  const file = values['cloud-config'];
  if (file === undefined) return azureCloud(values.cloud);
  if (values.cloud !== undefined) throw new UsageError('Use either --cloud or --cloud-config, not both.');
  return cloudFromConfigFile(file);
}

/**
 * `AZML_ACCESS_TOKEN` when set (automation: a token from `az account get-access-token`), for the
 * cloud's Resource Manager only, as in the extension: a request for storage is refused saying so,
 * never sent that token. Else whatever @azure/identity finds.
 */
function credentialFor(cloud: Cloud, values: TargetValues): { credential: TokenCredential; fromEnvironment: boolean } {
  const token = process.env[accessTokenVariable]?.trim();
  if (token) return { credential: createEnvironmentTokenCredential(token, cloud), fromEnvironment: true };
  return {
    fromEnvironment: false,
    credential: new DefaultAzureCredential({
      authorityHost: cloud.authorityHost,
      // `az` (or azd, pwsh) that does not answer fails its credential after this, not never.
      processTimeoutInMs: 30_000,
      ...transportClientOptions('Microsoft Entra ID'),
      ...(values.tenant ? { tenantId: values.tenant } : {}),
    }),
  };
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
  const cloud = await chosenCloud(values);
  const { credential, fromEnvironment } = credentialFor(cloud, values);
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
    ...(fromEnvironment ? { tokenFromEnvironment: true } : {}),
    subscriptionId: subscription,
    workspaceClient: subscription && resourceGroup && workspace
      ? resourceManager.workspaceClient({ subscriptionId: subscription, resourceGroup, workspaceName: workspace })
      : undefined,
  };
}
