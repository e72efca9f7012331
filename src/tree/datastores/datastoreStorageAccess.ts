import type { Datastore } from '../../azure/domain';
import type { SasScope } from '../../azure/datastoreSas';
import type { DatastoreStorage, DatastoreStorageOptions } from '../../azure/datastoreStorage';
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
    readonly workspace: ActiveWorkspace,
  ) {}

  open(): Promise<DatastoreStorage> {
    return this.storage.get();
  }

  /**
   * A SAS URL for a file (or the whole container), signed with the datastore's account key (asked
   * for this once and not kept) or a user delegation key. A secret.
   */
  async sasUrl(scope: SasScope, expiresOn: Date): Promise<string> {
    const sdk = await loadAzureModules();
    return sdk.datastoreSasUrl({ ...await this.storageOptions('signing'), scope, expiresOn });
  }

  private async storageOptions(use: 'access' | 'signing'): Promise<DatastoreStorageOptions> {
    const needsSecret = this.datastore.credentialsType !== 'None';
    const secrets = needsSecret
      ? await this.client.datastores.listSecrets(this.datastore.name, use === 'signing' ? { accountKey: true } : {})
      : undefined;
    const userCredential = this.connection.userCredential(this.workspace.tenantId);
    return {
      cloud: this.connection.cloud,
      datastore: this.datastore,
      ...(secrets ? { secrets } : {}),
      ...(userCredential ? { userCredential } : {}),
    };
  }

  private async create(): Promise<SecretBound<DatastoreStorage>> {
    const sdk = await loadAzureModules();
    const options = await this.storageOptions('access');
    const value = sdk.openDatastoreStorage(options);
    return options.secrets?.expiresAt ? { value, expiresAt: options.secrets.expiresAt } : { value };
  }
}
