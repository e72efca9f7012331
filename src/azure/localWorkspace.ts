import type { TokenCredential } from '@azure/core-auth';
import type { LocalWorkspaceConnection } from '../local/discovery';
import { localCloud, type Cloud } from './cloud';
import { createLocalWorkspaceCredential } from './credentials';
import { WorkspaceClient } from './workspaceClient';

export interface LocalWorkspaceClients {
  cloud: Cloud;
  credential: TokenCredential;
  workspaceClient: WorkspaceClient;
}

/** Clients for a running local workspace service, from its discovery file's connection. */
export function connectLocalWorkspace(connection: LocalWorkspaceConnection): LocalWorkspaceClients {
  const cloud = localCloud(connection);
  const credential = createLocalWorkspaceCredential(connection);
  const workspaceClient = new WorkspaceClient({
    cloud,
    credential,
    subscriptionId: connection.subscriptionId,
    resourceGroup: connection.resourceGroup,
    workspaceName: connection.workspace,
  });
  return { cloud, credential, workspaceClient };
}
