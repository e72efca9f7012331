import type { Cloud } from '../azure/cloud';
import type { ResourceManagerClient } from '../azure/resourceManagerClient';
import type { WorkspaceClient } from '../azure/workspaceClient';
import type { AccessTokenAccount } from './accessTokenAccount';
import type { AzureAccount } from './azureAccount';
import type { ActiveWorkspace, Connection, SubscriptionListing } from './connection';
import type { AzureModules } from './loadAzureModules';

/**
 * Azure through the account signed in to VS Code, or the token from AZML_ACCESS_TOKEN when the
 * user turned that on; one Resource Manager client per tenant.
 */
export class AzureConnection implements Connection {
  readonly kind = 'azure';
  private readonly resourceManagers = new Map<string, ResourceManagerClient>();

  constructor(
    readonly cloud: Cloud,
    readonly account: AzureAccount | AccessTokenAccount,
    private readonly sdk: AzureModules,
    /** Subscription ids to show; empty shows all. */
    private readonly subscriptionFilter: () => readonly string[],
  ) {}

  async listSubscriptions(onProgress?: (listing: SubscriptionListing) => void): Promise<SubscriptionListing> {
    const filter = this.subscriptionFilter();
    const filtered = (listing: SubscriptionListing): SubscriptionListing => (filter.length === 0
      ? listing
      : { ...listing, subscriptions: listing.subscriptions.filter((s) => filter.includes(s.subscriptionId)) });
    return filtered(await this.listAcrossTenants(onProgress && ((listing) => onProgress(filtered(listing)))));
  }

  listAllSubscriptions(): Promise<SubscriptionListing> {
    return this.listAcrossTenants(undefined);
  }

  private listAcrossTenants(onProgress: ((listing: SubscriptionListing) => void) | undefined): Promise<SubscriptionListing> {
    return this.sdk.listSubscriptionsAcrossTenants(
      this.cloud, this.account.credential(undefined), (tenantId) => this.account.credential(tenantId), onProgress);
  }

  resourceManager(tenantId: string | undefined): ResourceManagerClient {
    const key = tenantId ?? '';
    let client = this.resourceManagers.get(key);
    if (!client) {
      client = new this.sdk.ResourceManagerClient(this.cloud, this.account.credential(tenantId));
      this.resourceManagers.set(key, client);
    }
    return client;
  }

  workspaceClient(workspace: ActiveWorkspace): WorkspaceClient {
    return this.resourceManager(workspace.tenantId).workspaceClient({
      subscriptionId: workspace.subscriptionId,
      resourceGroup: workspace.resourceGroup,
      workspaceName: workspace.workspaceName,
    });
  }

  userCredential(tenantId: string | undefined) {
    return this.account.credential(tenantId);
  }
}
