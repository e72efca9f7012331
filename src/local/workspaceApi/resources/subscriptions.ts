import { checkResourceGroup, checkSubscription, type ApiContext } from '../context';
import type { RouteDefinition } from '../http/router';
import { sendJson } from '../http/respond';
import { resourceGroupId } from '../arm/ids';

/** The one tenant, subscription and resource group of the local cloud (Microsoft.Resources shapes). */
export function subscriptionRoutes(api: ApiContext): RouteDefinition[] {
  const { subscriptionId, tenantId, resourceGroup, location } = api.options;
  const subscription = () => ({
    id: `/subscriptions/${subscriptionId}`,
    authorizationSource: 'RoleBased',
    managedByTenants: [],
    subscriptionId,
    tenantId,
    displayName: 'Local subscription',
    state: 'Enabled',
    subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'Internal_2014-09-01', spendingLimit: 'Off' },
    tags: {},
  });
  const group = () => ({
    id: resourceGroupId(subscriptionId, resourceGroup),
    name: resourceGroup,
    type: 'Microsoft.Resources/resourceGroups',
    location,
    properties: { provisioningState: 'Succeeded' },
    tags: {},
  });
  const tenant = () => ({
    id: `/tenants/${tenantId}`,
    tenantId,
    tenantCategory: 'Home',
    displayName: 'Local tenant',
    defaultDomain: 'local.invalid',
    tenantType: 'AAD',
  });
  return [
    { method: 'GET', pattern: '/tenants', apiVersion: true, handler: (ctx) => sendJson(ctx.res, 200, { value: [tenant()] }) },
    { method: 'GET', pattern: '/subscriptions', handler: (ctx) => sendJson(ctx.res, 200, { value: [subscription()] }) },
    {
      method: 'GET', pattern: '/subscriptions/{subscriptionId}',
      handler: (ctx) => {
        checkSubscription(api, ctx.params['subscriptionId']!);
        sendJson(ctx.res, 200, subscription());
      },
    },
    {
      method: 'GET', pattern: '/subscriptions/{subscriptionId}/resourcegroups',
      handler: (ctx) => {
        checkSubscription(api, ctx.params['subscriptionId']!);
        sendJson(ctx.res, 200, { value: [group()] });
      },
    },
    {
      method: 'GET', pattern: '/subscriptions/{subscriptionId}/resourcegroups/{resourceGroup}',
      handler: (ctx) => {
        checkResourceGroup(api, ctx.params['subscriptionId']!, ctx.params['resourceGroup']!);
        sendJson(ctx.res, 200, group());
      },
    },
  ];
}
