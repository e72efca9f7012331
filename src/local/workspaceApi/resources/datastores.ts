import { scopeOf, wsPattern, workspaceFromParams, type ApiContext } from '../context';
import { envelope, newAudit, touchAudit } from '../arm/envelope';
import { resourceTypes, workspaceResourceId } from '../arm/ids';
import { badRequest, conflict, notFound } from '../http/apiError';
import { createdHeaders, queryBoolean, queryInteger, queryValue, queryValues, type RequestContext } from '../http/requestContext';
import type { RouteDefinition } from '../http/router';
import { sendEmpty, sendJson } from '../http/respond';
import { pageOf } from '../paging';
import type { DatastoreRecord } from '../store/records';
import type { WorkspaceData } from '../store/workspaceStore';
import { bodyProperties, datastoreNamePattern, isObject, requireName } from '../validation';
import { accountSasFor, expirableSecretHours } from '../storage/expirableSas';
import { secretFieldOf, validateDatastoreProperties, withoutSecrets } from './datastoreValidation';

const collection = `${wsPattern}/datastores`;
const item = `${collection}/{name}`;

function render(api: ApiContext, data: WorkspaceData, record: DatastoreRecord): unknown {
  const id = `${workspaceResourceId(scopeOf(api, data))}/datastores/${record.name}`;
  return envelope(id, record.name, resourceTypes.datastore, withoutSecrets(record.properties), record);
}

function find(data: WorkspaceData, name: string): DatastoreRecord {
  const record = data.datastores.get(name);
  if (!record) throw notFound(`The datastore '${name}' was not found in workspace '${data.record.name}'.`);
  return record;
}

function sortKey(orderBy: string | undefined): (d: DatastoreRecord) => string {
  switch ((orderBy ?? 'name').toLowerCase()) {
    case 'name': return (d) => d.name.toLowerCase();
    case 'createdtime': case 'createdat': return (d) => d.createdAt;
    case 'modifiedtime': case 'lastmodifiedat': return (d) => d.lastModifiedAt;
    default: throw badRequest(`Query parameter 'orderBy' must be name, createdtime or modifiedtime.`, 'orderBy');
  }
}

function list(api: ApiContext, ctx: RequestContext): void {
  const data = workspaceFromParams(api, ctx.params);
  const isDefault = queryBoolean(ctx, 'isDefault');
  const names = queryValues(ctx, 'names').flatMap((v) => v.split(',')).map((n) => n.trim().toLowerCase()).filter(Boolean);
  const searchText = queryValue(ctx, 'searchText')?.toLowerCase();
  const orderBy = queryValue(ctx, 'orderBy');
  const ascending = orderBy === undefined ? true : queryBoolean(ctx, 'orderByAsc') ?? false;
  const count = queryInteger(ctx, 'count', 1);
  const key = sortKey(orderBy);
  const items = data.datastores.values()
    .filter((d) => isDefault === undefined || (d.properties['isDefault'] === true) === isDefault)
    .filter((d) => names.length === 0 || names.includes(d.name.toLowerCase()))
    .filter((d) => !searchText || d.name.toLowerCase().includes(searchText))
    .sort((a, b) => (ascending ? 1 : -1) * key(a).localeCompare(key(b)));
  const size = Math.min(api.pageSize, count ?? Number.POSITIVE_INFINITY);
  sendJson(ctx.res, 200, pageOf(ctx, items, size, (d) => render(api, data, d)));
}

async function put(api: ApiContext, ctx: RequestContext): Promise<void> {
  const data = workspaceFromParams(api, ctx.params);
  const name = ctx.params['name']!;
  requireName('datastore', name, datastoreNamePattern, 'use 1-255 letters, digits and underscores.');
  const existing = data.datastores.get(name);
  const properties = validateDatastoreProperties(bodyProperties(ctx.body), existing?.properties, api.options.storage.endpointSuffix);
  properties['isDefault'] = existing?.properties['isDefault'] === true;
  let record: DatastoreRecord;
  if (existing) {
    existing.properties = properties;
    touchAudit(existing, api.now(), api.user);
    data.datastores.touch();
    record = existing;
  } else {
    record = { ...newAudit(api.now(), api.user), name, properties };
    data.datastores.set(record);
  }
  await api.store.commit();
  sendJson(ctx.res, existing ? 200 : 201, render(api, data, record), existing ? {} : createdHeaders(ctx));
}

async function remove(api: ApiContext, ctx: RequestContext): Promise<void> {
  const data = workspaceFromParams(api, ctx.params);
  const record = data.datastores.get(ctx.params['name']!);
  if (!record) return sendEmpty(ctx.res, 204);
  if (record.properties['isDefault'] === true) {
    throw conflict(`The datastore '${record.name}' is the workspace's default datastore and cannot be deleted.`);
  }
  data.datastores.delete(record.name);
  await api.store.commit();
  sendEmpty(ctx.res, 200);
}

function listSecrets(api: ApiContext, ctx: RequestContext): void {
  const data = workspaceFromParams(api, ctx.params);
  const record = find(data, ctx.params['name']!);
  const credentials = record.properties['credentials'];
  const secrets = isObject(credentials) ? credentials['secrets'] : undefined;
  const type = isObject(credentials) ? credentials['credentialsType'] : undefined;
  if (!isObject(secrets) || typeof type !== 'string' || type === 'None') {
    throw badRequest(`The datastore '${record.name}' has no secrets: it uses credentials of type None (identity-based access).`);
  }
  const field = secretFieldOf[type as keyof typeof secretFieldOf];
  const hours = expirableSecretHours(ctx.body);
  const key = secrets[field];
  const accountName = record.properties['accountName'];
  // As Azure ML does when asked for an expiring secret: a SAS made from the key, never the key.
  if (hours !== undefined && type === 'AccountKey' && typeof key === 'string' && typeof accountName === 'string') {
    return sendJson(ctx.res, 200, { secretsType: 'Sas', sasToken: accountSasFor(accountName, key, hours, api.now()) });
  }
  sendJson(ctx.res, 200, { secretsType: type, [field]: key });
}

/**
 * The v1 data-plane call that changes the workspace default (ARM has none: `isDefault` is
 * read-only there). Answers 200 with an empty body.
 */
async function setDefault(api: ApiContext, ctx: RequestContext): Promise<void> {
  const data = workspaceFromParams(api, ctx.params);
  const chosen = find(data, ctx.params['name']!);
  for (const record of data.datastores.values()) {
    const isChosen = record === chosen;
    if ((record.properties['isDefault'] === true) === isChosen) continue;
    record.properties['isDefault'] = isChosen;
    touchAudit(record, api.now(), api.user);
  }
  data.datastores.touch();
  await api.store.commit();
  sendEmpty(ctx.res, 200);
}

export function datastoreRoutes(api: ApiContext): RouteDefinition[] {
  return [
    { method: 'PUT', pattern: `/datastore/v1.0${wsPattern}/default/{name}`, apiVersion: false, handler: (ctx) => setDefault(api, ctx) },
    { method: 'GET', pattern: collection, handler: (ctx) => list(api, ctx) },
    {
      method: 'GET', pattern: item,
      handler: (ctx) => {
        const data = workspaceFromParams(api, ctx.params);
        sendJson(ctx.res, 200, render(api, data, find(data, ctx.params['name']!)));
      },
    },
    { method: 'PUT', pattern: item, handler: (ctx) => put(api, ctx) },
    { method: 'DELETE', pattern: item, handler: (ctx) => remove(api, ctx) },
    { method: 'POST', pattern: `${item}/listSecrets`, handler: (ctx) => listSecrets(api, ctx) },
  ];
}
