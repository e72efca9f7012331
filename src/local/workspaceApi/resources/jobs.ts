import { randomUUID } from 'node:crypto';
import { checkSubscription, scopeOf, wsPattern, workspaceFromParams, type ApiContext } from '../context';
import { envelope, newAudit, touchAudit } from '../arm/envelope';
import { parseWorkspaceChildId, resourceTypes, workspaceResourceId } from '../arm/ids';
import { ApiError, badRequest, notFound } from '../http/apiError';
import { createdHeaders, queryValue, type RequestContext } from '../http/requestContext';
import type { RouteDefinition } from '../http/router';
import { sendEmpty, sendJson } from '../http/respond';
import { isTerminal } from '../jobs/jobStatus';
import type { JobStoreImpl } from '../jobs/jobStore';
import { pageOf } from '../paging';
import type { JobRecord } from '../store/records';
import { versionKey, type WorkspaceData } from '../store/workspaceStore';
import { bodyProperties, checkAssetName, isObject, type JsonObject } from '../validation';
import { localComputeId, localComputeName } from './computes';
import { mergeJobUpdate, normalizeJobSpec, type JobSpecContext } from './jobValidation';
import { listViewTypeOf, matchesBagFilter, matchesViewType } from './listFilters';

const collection = `${wsPattern}/jobs`;
const item = `${collection}/{name}`;
const operationResults =
  '/subscriptions/{subscriptionId}/providers/Microsoft.MachineLearningServices/locations/{location}/mfeOperationResults/{operationId}';

export function mlflowTrackingUri(api: ApiContext, data: WorkspaceData, baseUrl: string): string {
  return `azureml://${new URL(baseUrl).host}/mlflow/v1.0${workspaceResourceId(scopeOf(api, data))}`;
}

export function renderJob(api: ApiContext, data: WorkspaceData, record: JobRecord, baseUrl: string): unknown {
  const spec = record.properties;
  const services = isObject(spec['services']) ? spec['services'] : {};
  const properties: JsonObject = {
    isArchived: false,
    tags: {},
    properties: {},
    ...spec,
    status: record.status,
    parameters: {},
    // No studio runs locally, so there is no `Studio` service; MLflow clients read `Tracking`.
    services: {
      ...services,
      Tracking: { jobServiceType: 'Tracking', endpoint: mlflowTrackingUri(api, data, baseUrl), status: null, errorMessage: null, port: null, properties: null },
    },
  };
  const id = `${workspaceResourceId(scopeOf(api, data))}/jobs/${record.name}`;
  return envelope(id, record.name, resourceTypes.job, properties, record);
}

function findJob(data: WorkspaceData, name: string): JobRecord {
  const record = data.jobs.get(name);
  if (!record) throw notFound(`The job '${name}' was not found in workspace '${data.record.name}'.`);
  return record;
}

export function specContext(api: ApiContext, data: WorkspaceData, jobName: string): JobSpecContext {
  const scope = scopeOf(api, data);
  const sameWorkspace = (s: { subscriptionId: string; resourceGroup: string; workspace: string }): boolean =>
    s.subscriptionId.toLowerCase() === scope.subscriptionId.toLowerCase()
    && s.resourceGroup.toLowerCase() === scope.resourceGroup.toLowerCase()
    && s.workspace.toLowerCase() === scope.workspace.toLowerCase();
  return {
    jobName,
    defaultComputeId: localComputeId(api, data),
    defaultOutputUri: (output) => `azureml://datastores/workspaceblobstore/paths/azureml/${jobName}/${output}/`,
    resolveCodeId(codeId) {
      const parsed = parseWorkspaceChildId(codeId, 'codes');
      if (!parsed || parsed.version === undefined || !sameWorkspace(parsed.scope)) {
        throw badRequest(`The field 'properties.codeId' must be the ARM id of a code version of this workspace (${workspaceResourceId(scope)}/codes/<name>/versions/<version>).`, 'properties.codeId');
      }
      if (!data.codes.versions.get(versionKey(parsed.name, parsed.version))) {
        throw badRequest(`The field 'properties.codeId' names code '${parsed.name}' version '${parsed.version}', which does not exist in workspace '${data.record.name}'.`, 'properties.codeId');
      }
      return `${workspaceResourceId(scope)}/codes/${parsed.name}/versions/${parsed.version}`;
    },
    resolveComputeId(computeId) {
      const parsed = parseWorkspaceChildId(computeId, 'computes');
      const name = parsed ? parsed.name : computeId.replace(/^azureml:/i, '');
      if ((parsed && !sameWorkspace(parsed.scope)) || name.toLowerCase() !== localComputeName) {
        throw badRequest(`The compute '${name}' does not exist in workspace '${data.record.name}'; its one compute is '${localComputeName}' (this machine).`, 'properties.computeId');
      }
      return localComputeId(api, data);
    },
  };
}

async function put(api: ApiContext, jobs: JobStoreImpl, ctx: RequestContext): Promise<void> {
  const data = workspaceFromParams(api, ctx.params);
  const name = ctx.params['name']!;
  checkAssetName('job', name);
  const input = bodyProperties(ctx.body);
  const existing = data.jobs.get(name);
  const context = specContext(api, data, name);
  if (existing) {
    existing.properties = mergeJobUpdate(name, existing.properties, normalizeJobSpec(input, context, false));
    touchAudit(existing, api.now(), api.user);
    data.jobs.touch();
    await api.store.commit();
    return sendJson(ctx.res, 200, renderJob(api, data, existing, ctx.baseUrl));
  }
  const record: JobRecord = {
    ...newAudit(api.now(), api.user),
    name,
    runUuid: randomUUID(),
    properties: normalizeJobSpec(input, context, true),
    // What the service answers right after a submission; the job runner moves it on.
    status: 'NotStarted',
    logFiles: [],
  };
  data.jobs.set(record);
  await api.store.commit();
  jobs.jobCreated(data, record);
  sendJson(ctx.res, 201, renderJob(api, data, record, ctx.baseUrl), createdHeaders(ctx));
}

function list(api: ApiContext, ctx: RequestContext): void {
  const data = workspaceFromParams(api, ctx.params);
  const view = listViewTypeOf(ctx);
  const jobType = queryValue(ctx, 'jobType')?.toLowerCase();
  const tag = queryValue(ctx, 'tag');
  const properties = queryValue(ctx, 'properties');
  const items = data.jobs.values()
    .filter((j) => matchesViewType(j.properties, view))
    .filter((j) => !jobType || String(j.properties['jobType']).toLowerCase() === jobType)
    .filter((j) => matchesBagFilter(j.properties['tags'], tag))
    .filter((j) => matchesBagFilter(j.properties['properties'], properties))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.name.localeCompare(b.name));
  sendJson(ctx.res, 200, pageOf(ctx, items, api.pageSize, (j) => renderJob(api, data, j, ctx.baseUrl)));
}

function operationLocation(api: ApiContext, ctx: RequestContext, data: WorkspaceData, record: JobRecord): string {
  const token = Buffer.from(JSON.stringify({ w: data.record.name, j: record.name })).toString('base64url');
  const version = encodeURIComponent(queryValue(ctx, 'api-version') ?? '');
  return `${ctx.baseUrl}/subscriptions/${api.options.subscriptionId}/providers/Microsoft.MachineLearningServices/locations/${data.record.location}/mfeOperationResults/jc-${token}?api-version=${version}`;
}

async function cancel(api: ApiContext, jobs: JobStoreImpl, ctx: RequestContext): Promise<void> {
  const data = workspaceFromParams(api, ctx.params);
  const record = findJob(data, ctx.params['name']!);
  if (isTerminal(record.status)) {
    throw badRequest(`The job '${record.name}' has already finished (${record.status}); only active jobs can be canceled.`);
  }
  await jobs.requestCancel(data, record);
  sendEmpty(ctx.res, 202, { Location: operationLocation(api, ctx, data, record), 'Retry-After': '1' });
}

/** Polling target of a cancel: 202 while the job is CancelRequested, then 200. */
function operationResult(api: ApiContext, ctx: RequestContext): void {
  checkSubscription(api, ctx.params['subscriptionId']!);
  const raw = ctx.params['operationId']!;
  // A workspace deletion (see workspaceRoutes) is finished before its operation is first polled.
  if (raw.startsWith('wd-')) return sendEmpty(ctx.res, 200);
  let ref: { w?: unknown; j?: unknown } = {};
  try {
    ref = raw.startsWith('jc-') ? (JSON.parse(Buffer.from(raw.slice(3), 'base64url').toString('utf8')) as typeof ref) : {};
  } catch {
    ref = {};
  }
  if (typeof ref.w !== 'string' || typeof ref.j !== 'string') throw notFound(`The operation '${raw}' was not found.`);
  const data = api.store.get(ref.w);
  const record = data?.jobs.get(ref.j);
  if (record?.status === 'CancelRequested') {
    const location = `${ctx.baseUrl}${ctx.rawPath}${ctx.rawQuery ? `?${ctx.rawQuery}` : ''}`;
    return sendEmpty(ctx.res, 202, { Location: location, 'Retry-After': '1' });
  }
  sendEmpty(ctx.res, 200);
}

async function remove(api: ApiContext, ctx: RequestContext): Promise<void> {
  const data = workspaceFromParams(api, ctx.params);
  const record = data.jobs.get(ctx.params['name']!);
  if (!record) return sendEmpty(ctx.res, 204);
  if (!isTerminal(record.status)) {
    throw new ApiError(409, 'Conflict', `The job '${record.name}' is still ${record.status}; cancel it before deleting it.`);
  }
  data.jobs.delete(record.name);
  await api.store.commit();
  await api.tracking.remove(data.dir, record.runUuid);
  sendEmpty(ctx.res, 200);
}

export function jobRoutes(api: ApiContext, jobs: JobStoreImpl): RouteDefinition[] {
  return [
    { method: 'GET', pattern: collection, handler: (ctx) => list(api, ctx) },
    {
      method: 'GET', pattern: item,
      handler: (ctx) => {
        const data = workspaceFromParams(api, ctx.params);
        sendJson(ctx.res, 200, renderJob(api, data, findJob(data, ctx.params['name']!), ctx.baseUrl));
      },
    },
    { method: 'PUT', pattern: item, handler: (ctx) => put(api, jobs, ctx) },
    { method: 'DELETE', pattern: item, handler: (ctx) => remove(api, ctx) },
    { method: 'POST', pattern: `${item}/cancel`, handler: (ctx) => cancel(api, jobs, ctx) },
    { method: 'GET', pattern: operationResults, handler: (ctx) => operationResult(api, ctx) },
  ];
}
