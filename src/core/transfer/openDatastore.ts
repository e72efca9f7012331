import type { TokenCredential } from '@azure/core-auth';
import { openDatastoreStorage, type DatastoreStorage } from '../../azure/datastoreStorage';
import type { Datastore } from '../../azure/domain';
import type { WorkspaceClient } from '../../azure/workspaceClient';

/**
 * A datastore's storage, opened with the datastore's own credentials (its secret from the
 * workspace), or with the user's token for identity-based datastores.
 */
export async function openDatastoreForTransfer(
  client: WorkspaceClient,
  datastore: Datastore,
  userCredential: TokenCredential | undefined,
): Promise<DatastoreStorage> {
  const secrets = datastore.credentialsType === 'None' ? undefined : await client.datastores.listSecrets(datastore.name);
  return openDatastoreStorage({
    cloud: client.cloud,
    datastore,
    ...(secrets ? { secrets } : {}),
    ...(userCredential ? { userCredential } : {}),
  });
}
