import type { TokenCredential } from '@azure/core-auth';
import type { Cloud } from '../azure/cloud';
import type { Subscription, Tenant } from '../azure/domain';
import type { TenantFailure } from '../azure/subscriptionsAcrossTenants';
import type { ResourceManagerClient } from '../azure/resourceManagerClient';
import type { WorkspaceClient } from '../azure/workspaceClient';

/** Which workspace the Datastores, Experiments and Models views show; remembered across restarts. */
export interface ActiveWorkspace {
  connectionKind: ConnectionKind;
  tenantId?: string;
  subscriptionId: string;
  resourceGroup: string;
  workspaceName: string;
}

export type ConnectionKind = 'azure' | 'local';

export interface SubscriptionWithTenant extends Subscription {
  tenantId: string;
}

export interface SubscriptionListing {
  subscriptions: SubscriptionWithTenant[];
  failures: TenantFailure[];
  /** Tenants whose subscriptions are still being listed. */
  loading: Tenant[];
}

/** A live connection: to Azure through a signed-in account, or to the local workspace service. */
export interface Connection {
  readonly kind: ConnectionKind;
  readonly cloud: Cloud;
  /**
   * Subscriptions to show (every tenant's, for Azure). `onProgress` gets the listing so far
   * each time a tenant answers or fails, so a slow tenant holds up no other.
   */
  listSubscriptions(onProgress?: (listing: SubscriptionListing) => void): Promise<SubscriptionListing>;
  /** Every subscription the account has, azureml.subscriptions not applied: what Select Subscriptions offers. */
  listAllSubscriptions(): Promise<SubscriptionListing>;
  resourceManager(tenantId: string | undefined): ResourceManagerClient;
  workspaceClient(workspace: ActiveWorkspace): WorkspaceClient;
  /** The signed-in user's credential, for identity-based datastores. */
  userCredential(tenantId: string | undefined): TokenCredential | undefined;
}
