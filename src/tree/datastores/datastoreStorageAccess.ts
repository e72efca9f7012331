import type { Datastore } from '../../azure/domain';
import { isSecretFresh } from '../../azure/secretExpiry';
import type { DatastoreStorage } from '../../azure/datastoreStorage';
import type { WorkspaceClient } from '../../azure/workspaceClient';
import type { Connection, ActiveWorkspace } from '../../connection/connection';
import { loadAzureModules } from '../../connection/loadAzureModules';

/**
 * Opens a datastore's storage with its own credentials, asking the workspace for its secret
 * again once the one it has is about to expire.
 */
export class DatastoreStorageAccess {
  private storage: Promise<DatastoreStorage> | undefined;
  private expiresAt: Date | undefined;

  constructor(
    private readonly datastore: Datastore,
    private readonly client: WorkspaceClient,
    private readonly connection: Connection,
    private readonly workspace: ActiveWorkspace,
  ) {}

  open(): Promise<DatastoreStorage> {
    if (!isSecretFresh(this.expiresAt)) this.storage = undefined;
    this.storage ??= this.create();
    this.storage.catch(() => {
      this.storage = undefined;
    });
    return this.storage;
  }

  private async create(): Promise<DatastoreStorage> {
    const sdk = await loadAzureModules();
    const needsSecret = this.datastore.credentialsType !== 'None';
    const secrets = needsSecret ? await this.client.datastores.listSecrets(this.datastore.name) : undefined;
    this.expiresAt = secrets?.expiresAt;
    const userCredential = this.connection.userCredential(this.workspace.tenantId);
    return sdk.openDatastoreStorage({
      cloud: this.connection.cloud,
      datastore: this.datastore,
      ...(secrets ? { secrets } : {}),
      ...(userCredential ? { userCredential } : {}),
    });
  }
}
