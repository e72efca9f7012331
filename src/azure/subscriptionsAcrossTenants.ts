import type { TokenCredential } from '@azure/core-auth';
import type { Cloud } from './cloud';
import type { Subscription, Tenant } from './domain';
import { toAzureMlError, type AzureMlError } from './errors';
import { allItems } from './paging';
import { ResourceManagerClient } from './resourceManagerClient';

export interface TenantFailure {
  tenant: Tenant;
  error: AzureMlError;
}

export interface SubscriptionsAcrossTenants {
  subscriptions: Array<Subscription & { tenantId: string }>;
  /** Tenants whose subscriptions could not be listed; the others are still returned. */
  failures: TenantFailure[];
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/**
 * Every subscription the account reaches, in every tenant it belongs to. A tenant that fails
 * (MFA needed, conditional access, no permission) is reported, and hides no other tenant.
 */
export async function listSubscriptionsAcrossTenants(
  cloud: Cloud,
  homeTenantCredential: TokenCredential,
  credentialForTenant: (tenantId: string) => TokenCredential,
): Promise<SubscriptionsAcrossTenants> {
  const home = new ResourceManagerClient(cloud, homeTenantCredential);
  const tenants = await collect(allItems<Tenant>((continuationToken) => home.listTenants(continuationToken ? { continuationToken } : {})));
  const results = await Promise.all(tenants.map(async (tenant) => {
    try {
      const client = new ResourceManagerClient(cloud, credentialForTenant(tenant.tenantId));
      const subscriptions = await collect(allItems<Subscription>((continuationToken) =>
        client.listSubscriptions(continuationToken ? { continuationToken } : {})));
      return { tenant, subscriptions, error: undefined };
    } catch (e) {
      return { tenant, subscriptions: [], error: toAzureMlError(e) };
    }
  }));

  const seen = new Set<string>();
  const subscriptions: SubscriptionsAcrossTenants['subscriptions'] = [];
  const failures: TenantFailure[] = [];
  for (const result of results) {
    if (result.error) {
      failures.push({ tenant: result.tenant, error: result.error });
      continue;
    }
    for (const subscription of result.subscriptions) {
      if (seen.has(subscription.subscriptionId)) continue;
      seen.add(subscription.subscriptionId);
      subscriptions.push({ ...subscription, tenantId: subscription.tenantId ?? result.tenant.tenantId });
    }
  }
  subscriptions.sort((a, b) => a.displayName.localeCompare(b.displayName));
  return { subscriptions, failures };
}
