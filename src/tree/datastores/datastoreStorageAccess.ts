import type { Datastore } from '../../azure/domain';
import type { SasScope } from '../../azure/datastoreSas';
import type { DatastoreStorage, DatastoreStorageOptions } from '../../azure/datastoreStorage';
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
    private readonly workspace: ActiveWorkspace,
  ) {}

  open(): Promise<DatastoreStorage> {
    this.storage ??= this.create();
    this.storage.catch(() => {
      this.storage = undefined;
    });
    return this.storage;
  }

  /** A SAS URL for a file (or the whole container), signed with the datastore's key or a user delegation key. A secret. */
  async sasUrl(scope: SasScope, expiresOn: Date): Promise<string> {
    const sdk = await loadAzureModules();
    return sdk.datastoreSasUrl({ ...await this.storageOptions(), scope, expiresOn });
  }

  private async storageOptions(): Promise<DatastoreStorageOptions> {
    const needsSecret = this.datastore.credentialsType !== 'None';
    const secrets = needsSecret ? await this.client.datastores.listSecrets(this.datastore.name) : undefined;
    const userCredential = this.connection.userCredential(this.workspace.tenantId);
    return {
      cloud: this.connection.cloud,
      datastore: this.datastore,
      ...(secrets ? { secrets } : {}),
      ...(userCredential ? { userCredential } : {}),
    };
  }

  private async create(): Promise<DatastoreStorage> {
    const sdk = await loadAzureModules();
    return sdk.openDatastoreStorage(await this.storageOptions());
  }
}
