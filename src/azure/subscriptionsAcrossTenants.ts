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
  /** Tenants still being listed (only in the listings given to `onProgress`). */
  loading: Tenant[];
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

type TenantResult =
  | { tenant: Tenant; state: 'loading' }
  | { tenant: Tenant; state: 'listed'; subscriptions: Subscription[] }
  | { tenant: Tenant; state: 'failed'; error: AzureMlError };

function listingOf(results: readonly TenantResult[]): SubscriptionsAcrossTenants {
  const seen = new Set<string>();
  const subscriptions: SubscriptionsAcrossTenants['subscriptions'] = [];
  const failures: TenantFailure[] = [];
  const loading: Tenant[] = [];
  for (const result of results) {
    if (result.state === 'loading') {
      loading.push(result.tenant);
      continue;
    }
    if (result.state === 'failed') {
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
  return { subscriptions, failures, loading };
}

/**
 * Every subscription the account reaches, in every tenant it belongs to. Each tenant is listed
 * on its own: one that fails (MFA needed, conditional access, no permission, no answer) is
 * reported and hides no other, and one that is slow holds up no other: `onProgress` gets the
 * listing so far once the tenants are known and again each time a tenant answers or fails.
 * Resolves with the complete listing.
 */
export async function listSubscriptionsAcrossTenants(
  cloud: Cloud,
  homeTenantCredential: TokenCredential,
  credentialForTenant: (tenantId: string) => TokenCredential,
  onProgress?: (listing: SubscriptionsAcrossTenants) => void,
): Promise<SubscriptionsAcrossTenants> {
  const home = new ResourceManagerClient(cloud, homeTenantCredential);
  const tenants = await collect(allItems<Tenant>((continuationToken) => home.listTenants(continuationToken ? { continuationToken } : {})));
  const results: TenantResult[] = tenants.map((tenant) => ({ tenant, state: 'loading' }));
  onProgress?.(listingOf(results));
  await Promise.all(tenants.map(async (tenant, index) => {
    try {
      const client = new ResourceManagerClient(cloud, credentialForTenant(tenant.tenantId));
      const subscriptions = await collect(allItems<Subscription>((continuationToken) =>
        client.listSubscriptions(continuationToken ? { continuationToken } : {})));
      results[index] = { tenant, state: 'listed', subscriptions };
    } catch (e) {
      results[index] = { tenant, state: 'failed', error: toAzureMlError(e) };
    }
    onProgress?.(listingOf(results));
  }));
  return listingOf(results);
}
