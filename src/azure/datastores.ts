import type { DatastoreSecretsUnion } from '@azure/arm-machinelearning';
import type { Datastore, DatastoreInput, DatastoreSecrets, Page } from './domain';
import { mapDatastore, mapDatastoreSecrets, toSdkDatastore } from './mappers';
import { allItems, findItem, readSdkPage } from './paging';
import { callService, sendJson } from './serviceCall';
import { requestedSecretLifetimeHours, secretExpiresAt } from './secretExpiry';
import { workspaceArmUrl, workspaceResourceId, type WorkspaceContext } from './workspaceContext';

export interface DatastoreListOptions {
  continuationToken?: string;
  /** Only the default datastore (`isDefault=true`). */
  isDefault?: boolean;
  searchText?: string;
}

/** Datastores of one workspace (ARM, through @azure/arm-machinelearning). */
export class DatastoreOperations {
  constructor(
    private readonly context: WorkspaceContext,
    /** The discovered data-plane `api` base URL, without a trailing slash. */
    private readonly apiBaseUrl: () => Promise<string>,
  ) {}

  private get rg(): string {
    return this.context.workspace.resourceGroup;
  }
  private get ws(): string {
    return this.context.workspace.workspaceName;
  }

  list(options: DatastoreListOptions = {}): Promise<Page<Datastore>> {
    const list = this.context.client.datastores.list(this.rg, this.ws, {
      ...(options.isDefault !== undefined ? { isDefault: options.isDefault } : {}),
      ...(options.searchText ? { searchText: options.searchText } : {}),
    });
    return readSdkPage(list, options.continuationToken, mapDatastore);
  }

  /** Every datastore, one page at a time as the caller iterates. */
  listAll(): AsyncGenerator<Datastore> {
    return allItems((continuationToken) => this.list({ continuationToken }));
  }

  get(name: string): Promise<Datastore> {
    return callService(async () => mapDatastore(await this.context.client.datastores.get(this.rg, this.ws, name)));
  }

  /**
   * The workspace default datastore, or undefined when there is none. Asks the service for
   * `isDefault=true` and checks each item, since a service may ignore the filter.
   */
  getDefault(): Promise<Datastore | undefined> {
    return findItem((continuationToken) => this.list({ continuationToken, isDefault: true }), (d) => d.isDefault);
  }

  /** Creates or replaces a datastore. `skipValidation` skips the service's access check of the storage. */
  createOrUpdate(input: DatastoreInput, options: { skipValidation?: boolean } = {}): Promise<Datastore> {
    return callService(async () => mapDatastore(await this.context.client.datastores.createOrUpdate(
      this.rg, this.ws, input.name, toSdkDatastore(input, this.context.cloud),
      { skipValidation: options.skipValidation ?? false })));
  }

  /**
   * Makes a datastore the workspace default. ARM has no such operation (`isDefault` is
   * read-only), so this is the data-plane call SDK v1 made: `PUT {api}/datastore/v1.0/{WS}/default/{name}`.
   */
  async setDefault(name: string): Promise<void> {
    const url = `${await this.apiBaseUrl()}/datastore/v1.0${workspaceResourceId(this.context.workspace)}/default/${encodeURIComponent(name)}`;
    await sendJson(this.context.client, { method: 'PUT', url });
  }

  delete(name: string): Promise<void> {
    return callService(() => this.context.client.datastores.delete(this.rg, this.ws, name));
  }

  /**
   * The datastore's secret (account key, SAS token, client secret), with when it expires. Keep
   * it out of logs. Asks for an expirable secret as current clients do: an account-key datastore
   * then answers a SAS (with or without "?", possibly bound to a stored access policy).
   */
  async listSecrets(name: string, options: { accountKey?: boolean } = {}): Promise<DatastoreSecrets> {
    const url = workspaceArmUrl(this.context, `/datastores/${encodeURIComponent(name)}/listSecrets`);
    const receivedAt = new Date();
    // Expiring secrets by default, as current clients ask; only signing a SAS needs the account key itself (no body).
    const { body } = await sendJson<unknown>(this.context.client, {
      method: 'POST', url, ...(options.accountKey ? {} : { body: { expirableSecret: true, expireAfterHours: requestedSecretLifetimeHours } }),
    });
    const secrets = mapDatastoreSecrets((body ?? {}) as DatastoreSecretsUnion, name);
    return { ...secrets, expiresAt: secretExpiresAt(secrets, receivedAt) };
  }
}
