import type { Datastore } from '../../azure/domain';
import type { DatastoreStorage } from '../../azure/datastoreStorage';
import type { WorkspaceClient } from '../../azure/workspaceClient';
import type { Connection, ActiveWorkspace } from '../../connection/connection';
import { loadAzureModules } from '../../connection/loadAzureModules';

/** Opens a datastore's storage with its own credentials (asking the workspace for its secret once). */
export class DatastoreStorageAccess {
  private storage: Promise<DatastoreStorage> | undefined;

  constructor(
    private readonly datastore: Datastore,
    private readonly client: WorkspaceClient,
    private readonly connection: Connection,
    readonly workspace: ActiveWorkspace,
  ) {}

  open(): Promise<DatastoreStorage> {
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
    const userCredential = this.connection.userCredential(this.workspace.tenantId);
    return sdk.openDatastoreStorage({
      cloud: this.connection.cloud,
      datastore: this.datastore,
      ...(secrets ? { secrets } : {}),
      ...(userCredential ? { userCredential } : {}),
    });
  }
}
