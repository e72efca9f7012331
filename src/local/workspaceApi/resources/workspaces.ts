import { randomUUID } from 'node:crypto';
import { checkResourceGroup, checkSubscription, scopeOf, wsPattern, workspaceFromParams, type ApiContext } from '../context';
import { newAudit, systemDataOf, touchAudit } from '../arm/envelope';
import { resourceTypes, storageAccountResourceId, workspaceResourceId } from '../arm/ids';
import { conflict } from '../http/apiError';
import { queryValue, type RequestContext } from '../http/requestContext';
import type { RouteDefinition } from '../http/router';
import { sendEmpty, sendJson } from '../http/respond';
import { isTerminal } from '../jobs/jobStatus';
import { pageOf } from '../paging';
import { storageTargetsOf } from '../storage/layout';
import type { StorageNeeded } from '../storage/storageNeeded';
import type { WorkspaceRecord } from '../store/records';
import type { WorkspaceData } from '../store/workspaceStore';
import {
  optionalObject, optionalString, optionalStringMap, requireName, requireObject, workspaceNamePattern,
} from '../validation';
import { ensureBuiltInDatastores } from './builtinDatastores';
import { trackingPath } from '../mlflow/trackingAddress';

export interface WorkspaceHooks {
  /** Awaited after a workspace PUT (outside the state lock), so its containers exist before the client uses them. */
  storageNeeded: StorageNeeded;
}

export function newWorkspaceRecord(api: ApiContext, name: string, builtIn: boolean): WorkspaceRecord {
  return {
    ...newAudit(api.now(), api.user),
    name,
    workspaceId: randomUUID(),
    location: api.options.location,
    kind: 'Default',
    friendlyName: name,
    description: builtIn ? 'Local workspace: runs on this machine, no Azure account needed.' : '',
    tags: {},
    principalId: randomUUID(),
    builtIn,
  };
}

/** ARM view of a workspace; URLs point back at the address the client used. */
export function renderWorkspace(api: ApiContext, data: WorkspaceData, baseUrl: string): unknown {
  const { subscriptionId, resourceGroup, tenantId, storage } = api.options;
  const r = data.record;
  const id = workspaceResourceId(scopeOf(api, data));
  return {
    id,
    name: r.name,
    type: resourceTypes.workspace,
    location: r.location,
    tags: r.tags,
    kind: r.kind,
    identity: { type: 'SystemAssigned', principalId: r.principalId, tenantId },
    sku: { name: 'Basic', tier: 'Basic' },
    properties: {
      friendlyName: r.friendlyName,
      description: r.description,
      workspaceId: r.workspaceId,
      tenantId,
      storageAccount: storageAccountResourceId(subscriptionId, resourceGroup, storage.accountName),
      keyVault: null,
      applicationInsights: null,
      containerRegistry: null,
      discoveryUrl: `${baseUrl}/discovery`,
      mlFlowTrackingUri: `azureml://${new URL(baseUrl).host}${trackingPath(scopeOf(api, data))}`,
      provisioningState: 'Succeeded',
      hbiWorkspace: false,
      publicNetworkAccess: 'Enabled',
      allowPublicAccessWhenBehindVnet: false,
      privateLinkCount: 0,
      privateEndpointConnections: [],
      sharedPrivateLinkResources: [],
      storageHnsEnabled: false,
      v1LegacyMode: false,
      imageBuildCompute: null,
      serviceProvisionedResourceGroup: null,
      // What Azure ML says even when the storage account has key access disabled (see --no-shared-key).
      systemDatastoresAuthMode: 'accesskey',
    },
    systemData: systemDataOf(r),
  };
}

export function workspaceRoutes(api: ApiContext, hooks: WorkspaceHooks): RouteDefinition[] {
  const list = (ctx: RequestContext): void => {
    sendJson(ctx.res, 200, pageOf(ctx, api.store.list(), api.pageSize, (d) => renderWorkspace(api, d, ctx.baseUrl)));
  };
  return [
    {
      method: 'GET', pattern: '/subscriptions/{subscriptionId}/providers/Microsoft.MachineLearningServices/workspaces',
      handler: (ctx) => {
        checkSubscription(api, ctx.params['subscriptionId']!);
        list(ctx);
      },
    },
    {
      method: 'GET', pattern: '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces',
      handler: (ctx) => {
        checkResourceGroup(api, ctx.params['subscriptionId']!, ctx.params['resourceGroup']!);
        list(ctx);
      },
    },
    {
      method: 'GET', pattern: wsPattern,
      handler: (ctx) => sendJson(ctx.res, 200, renderWorkspace(api, workspaceFromParams(api, ctx.params), ctx.baseUrl)),
    },
    { method: 'PUT', pattern: wsPattern, handler: (ctx) => putWorkspace(api, hooks, ctx) },
    {
      method: 'DELETE', pattern: wsPattern,
      handler: async (ctx) => {
        checkResourceGroup(api, ctx.params['subscriptionId']!, ctx.params['resourceGroup']!);
        const data = api.store.get(ctx.params['workspace']!);
        if (!data) return sendEmpty(ctx.res, 204);
        const active = data.jobs.values().filter((j) => !isTerminal(j.status));
        if (active.length > 0) {
          throw conflict(`The workspace '${data.record.name}' has ${active.length} job(s) still running (${active.map((j) => j.name).join(', ')}); cancel them before deleting it.`);
        }
        const { name, builtIn } = data.record;
        await api.store.remove(name);
        // As in Azure, a long-running operation: done by the time its first poll is answered.
        const version = encodeURIComponent(queryValue(ctx, 'api-version') ?? '');
        const answer = (): void => sendEmpty(ctx.res, 202, {
          Location: `${ctx.baseUrl}/subscriptions/${api.options.subscriptionId}/providers/Microsoft.MachineLearningServices/locations/${data.record.location}/mfeOperationResults/wd-${encodeURIComponent(name)}?api-version=${version}`,
          'Retry-After': '1',
        });
        if (!builtIn) return answer();
        // The service always has its own workspace: deleting it deletes its data and starts it anew, empty.
        const fresh = await api.store.create(newWorkspaceRecord(api, name, true));
        ensureBuiltInDatastores(api, fresh);
        await api.store.commit();
        const targets = storageTargetsOf([fresh.record.workspaceId]);
        ctx.afterCommit(async () => {
          await hooks.storageNeeded(targets, `The workspace '${name}' was deleted and started anew, empty; its storage is created when the workspace is next updated or the local workspace restarts.`);
          answer();
        });
      },
    },
  ];
}

async function putWorkspace(api: ApiContext, hooks: WorkspaceHooks, ctx: RequestContext): Promise<void> {
  checkResourceGroup(api, ctx.params['subscriptionId']!, ctx.params['resourceGroup']!);
  const name = ctx.params['workspace']!;
  requireName('workspace', name, workspaceNamePattern, 'it must be 3-33 characters: letters, digits, \'-\' and \'_\', starting with a letter or digit.');
  const body = requireObject(ctx.body, 'body');
  const properties = optionalObject(body['properties'], 'properties') ?? {};
  const location = optionalString(body, 'location', 'location');
  const tags = optionalStringMap(body, 'tags', 'tags');
  const friendlyName = optionalString(properties, 'friendlyName', 'properties.friendlyName');
  const description = optionalString(properties, 'description', 'properties.description');
  const kind = optionalString(body, 'kind', 'kind');

  let data = api.store.get(name);
  const created = !data;
  if (!data) {
    const record = newWorkspaceRecord(api, name, false);
    data = await api.store.create(record);
    if (data.record === record) ensureBuiltInDatastores(api, data);
  }
  const r = data.record;
  if (location !== undefined) r.location = location;
  if (tags !== undefined) r.tags = tags;
  if (friendlyName !== undefined) r.friendlyName = friendlyName;
  if (description !== undefined) r.description = description;
  if (kind !== undefined) r.kind = kind;
  if (!created) touchAudit(r, api.now(), api.user);
  api.store.saveRecord(data);
  await api.store.commit();
  // Rendered now: once the lock is released, another request may change the workspace.
  const answer = renderWorkspace(api, data, ctx.baseUrl);
  const targets = storageTargetsOf([r.workspaceId]);
  ctx.afterCommit(async () => {
    await hooks.storageNeeded(targets, `The workspace '${r.name}' was saved; sending the same request again creates what is missing.`);
    sendJson(ctx.res, created ? 201 : 200, answer);
  });
}

/** The discovery document (public in Azure too): every data-plane service lives at this same address. */
export function discoveryRoutes(): RouteDefinition[] {
  return [{
    method: 'GET', pattern: '/discovery', auth: false,
    handler: (ctx) => {
      const base = ctx.baseUrl;
      sendJson(ctx.res, 200, {
        api: base, catalog: base, experimentation: base, gallery: base, history: base, hyperdrive: base,
        labeling: base, modelmanagement: base, pipelines: base, studiocoreservices: base,
      });
    },
  }];
}
