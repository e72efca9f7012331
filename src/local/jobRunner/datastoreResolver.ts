import { openDatastoreStorage, type DatastoreStorage } from '../../azure/datastoreStorage';
import { connectLocalWorkspace } from '../../azure/localWorkspace';
import { WorkspaceClient } from '../../azure/workspaceClient';
import type { LocalWorkspaceConnection } from '../discovery';

/** Opens a workspace's datastore by name, with its credentials. */
export interface DatastoreResolver {
  open(workspace: string, datastore: string): Promise<DatastoreStorage>;
}

/**
 * Reads datastores and their secrets through the workspace's own REST API, as a compute node
 * of a real workspace does; any datastore a user registered works, not only the built-in ones.
 */
export function restDatastoreResolver(connection: LocalWorkspaceConnection): DatastoreResolver {
  const { cloud, credential } = connectLocalWorkspace(connection);
  const clients = new Map<string, WorkspaceClient>();
  const clientOf = (workspace: string): WorkspaceClient => {
    let client = clients.get(workspace);
    if (!client) {
      client = new WorkspaceClient({
        cloud, credential, subscriptionId: connection.subscriptionId, resourceGroup: connection.resourceGroup, workspaceName: workspace,
      });
      clients.set(workspace, client);
    }
    return client;
  };
  return {
    async open(workspace, name) {
      const client = clientOf(workspace);
      const datastore = await client.datastores.get(name);
      const secrets = datastore.credentialsType === 'None' ? undefined : await client.datastores.listSecrets(name);
      // The workspace's token stands for the compute's identity when the storage refuses the datastore's key or SAS.
      return openDatastoreStorage({ cloud, datastore, ...(secrets ? { secrets, userCredential: credential } : {}) });
    },
  };
}
