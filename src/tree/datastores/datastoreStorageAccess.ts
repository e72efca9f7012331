import type { Datastore } from '../../azure/domain';
import type { DatastoreStorage } from '../../azure/datastoreStorage';
import type { WorkspaceClient } from '../../azure/workspaceClient';
import type { Connection, ActiveWorkspace } from '../../connection/connection';
import { loadAzureModules } from '../../connection/loadAzureModules';
import { SecretBoundValue, type SecretBound } from '../../core/secretBoundValue';

/**
 * Opens a datastore's storage with its own credentials, asking the workspace for its secret
 * again once the one it has is about to expire.
 */
export class DatastoreStorageAccess {
  private readonly storage = new SecretBoundValue(() => this.create());

  constructor(
    private readonly datastore: Datastore,
    private readonly client: WorkspaceClient,
    private readonly connection: Connection,
    private readonly workspace: ActiveWorkspace,
  ) {}

  open(): Promise<DatastoreStorage> {
    return this.storage.get();
  }

  private async create(): Promise<SecretBound<DatastoreStorage>> {
    const sdk = await loadAzureModules();
    const needsSecret = this.datastore.credentialsType !== 'None';
    const secrets = needsSecret ? await this.client.datastores.listSecrets(this.datastore.name) : undefined;
    const userCredential = this.connection.userCredential(this.workspace.tenantId);
    const value = sdk.openDatastoreStorage({
      cloud: this.connection.cloud,
      datastore: this.datastore,
      ...(secrets ? { secrets } : {}),
      ...(userCredential ? { userCredential } : {}),
    });
    return secrets?.expiresAt ? { value, expiresAt: secrets.expiresAt } : { value };
  }
}
