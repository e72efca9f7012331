import { createHash } from 'node:crypto';
import { workspaceFromParams, wsPattern, type ApiContext } from '../context';
import { notFound } from '../http/apiError';
import { queryValue, type RequestContext } from '../http/requestContext';
import type { RouteDefinition } from '../http/router';
import { sendJson } from '../http/respond';
import { decodeSkipToken, encodeSkipToken } from '../paging';
import { artifactContainer, jobArtifactPrefix } from '../storage/layout';
import type { JobRecord } from '../store/records';
import type { WorkspaceData } from '../store/workspaceStore';
import { isObject, optionalObject, type JsonObject } from '../validation';

const historyBase = `/history/v1.0${wsPattern}`;
const logUrlLifetimeMs = 60 * 60 * 1000;

/** A stable id per (workspace, experiment name): experiments are derived from jobs, not stored. */
export function experimentIdOf(workspaceId: string, name: string): string {
  const hex = createHash('sha1').update(`${workspaceId}/experiment/${name}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

interface Experiment {
  experimentId: string;
  name: string;
  description: null;
  createdUtc: string;
  tags: Record<string, string>;
  archivedTime: null;
  retainForLifetimeOfWorkspace: boolean;
  artifactLocation: null;
  latestCreatedRunCreatedUtc: string;
}

function experimentNameOf(job: JobRecord): string {
  return typeof job.properties['experimentName'] === 'string' ? job.properties['experimentName'] : 'Default';
}

export function experimentsOf(data: WorkspaceData): Experiment[] {
  const byName = new Map<string, Experiment>();
  for (const job of data.jobs.values()) {
    const name = experimentNameOf(job);
    const known = byName.get(name);
    if (!known) {
      byName.set(name, {
        experimentId: experimentIdOf(data.record.workspaceId, name), name, description: null,
        createdUtc: job.createdAt, tags: {}, archivedTime: null, retainForLifetimeOfWorkspace: false,
        artifactLocation: null, latestCreatedRunCreatedUtc: job.createdAt,
      });
    } else {
      if (job.createdAt < known.createdUtc) known.createdUtc = job.createdAt;
      if (job.createdAt > known.latestCreatedRunCreatedUtc) known.latestCreatedRunCreatedUtc = job.createdAt;
    }
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function findExperiment(data: WorkspaceData, match: (e: Experiment) => boolean, label: string): Experiment {
  const found = experimentsOf(data).find(match);
  if (!found) throw notFound(`The experiment ${label} was not found in workspace '${data.record.name}'.`);
  return found;
}

/** RunDetails as the run-history service answers them; log URLs are read SAS URLs. */
export function runDetails(api: ApiContext, data: WorkspaceData, job: JobRecord): JsonObject {
  const spec = job.properties;
  const computeId = typeof spec['computeId'] === 'string' ? spec['computeId'] : '';
  const logFiles: Record<string, string> = {};
  for (const file of job.logFiles) {
    logFiles[file] = api.sas.blobReadUrl(artifactContainer, jobArtifactPrefix(job.name) + file, logUrlLifetimeMs);
  }
  return {
    runId: job.name,
    runUuid: job.runUuid,
    parentRunUuid: null,
    parentRunId: null,
    rootRunUuid: job.runUuid,
    rootRunId: job.name,
    experimentId: experimentIdOf(data.record.workspaceId, experimentNameOf(job)),
    displayName: spec['displayName'] ?? job.name,
    description: spec['description'] ?? null,
    target: computeId.split('/').pop() || null,
    status: job.status,
    dataContainerId: `dcid.${job.name}`,
    createdTimeUtc: job.createdAt,
    startTimeUtc: job.startTimeUtc ?? null,
    endTimeUtc: job.endTimeUtc ?? null,
    error: job.error
      ? { error: { code: job.error.code, message: job.error.message, messageFormat: null, details: [], innerError: null, debugInfo: job.error.details ? { message: job.error.details } : null }, time: job.endTimeUtc ?? job.lastModifiedAt }
      : null,
    warnings: job.warnings ?? [],
    tags: isObject(spec['tags']) ? spec['tags'] : {},
    properties: isObject(spec['properties']) ? spec['properties'] : {},
    parameters: {},
    services: {},
    inputDatasets: [],
    outputDatasets: [],
    runDefinition: null,
    logFiles,
    revision: 1,
    createdBy: { userName: job.createdBy },
  };
}

function findRun(data: WorkspaceData, runId: string): JobRecord {
  const job = data.jobs.get(runId);
  if (!job) throw notFound(`The run '${runId}' was not found in workspace '${data.record.name}'.`);
  return job;
}

function queryExperiments(api: ApiContext, ctx: RequestContext): void {
  const data = workspaceFromParams(api, ctx.params);
  const body = optionalObject(ctx.body, 'body') ?? {};
  const top = typeof body['top'] === 'number' && body['top'] > 0 ? Math.floor(body['top']) : api.pageSize;
  const token = typeof body['continuationToken'] === 'string' ? body['continuationToken'] : undefined;
  const viewType = typeof body['viewType'] === 'string' ? body['viewType'] : 'ActiveOnly';
  // Derived experiments are never archived.
  const all = viewType.toLowerCase() === 'archivedonly' ? [] : experimentsOf(data);
  const offset = decodeSkipToken(token, 'continuationToken');
  const end = offset + top;
  sendJson(ctx.res, 200, {
    value: all.slice(offset, end),
    continuationToken: end < all.length ? encodeSkipToken(end) : null,
    nextLink: null,
  });
}

export function runHistoryRoutes(api: ApiContext): RouteDefinition[] {
  const runDetailsHandler = (ctx: RequestContext): void => {
    const data = workspaceFromParams(api, ctx.params);
    sendJson(ctx.res, 200, runDetails(api, data, findRun(data, ctx.params['runId']!)));
  };
  return [
    { method: 'GET', pattern: `${historyBase}/runs/{runId}/details`, handler: runDetailsHandler },
    { method: 'GET', pattern: `${historyBase}/runs/{runId}`, handler: runDetailsHandler },
    { method: 'GET', pattern: `${historyBase}/experiments/{experiment}/runs/{runId}`, handler: runDetailsHandler },
    {
      method: 'GET', pattern: `${historyBase}/runs/{runId}/children`,
      handler: (ctx) => {
        const data = workspaceFromParams(api, ctx.params);
        findRun(data, ctx.params['runId']!);
        sendJson(ctx.res, 200, { value: [], continuationToken: null, nextLink: null });
      },
    },
    { method: 'POST', pattern: `${historyBase}/experiments:query`, handler: (ctx) => queryExperiments(api, ctx) },
    {
      method: 'GET', pattern: `${historyBase}/experiments`,
      handler: (ctx) => {
        const data = workspaceFromParams(api, ctx.params);
        const all = experimentsOf(data);
        const offset = decodeSkipToken(queryValue(ctx, 'continuationToken'), 'continuationToken');
        const end = offset + api.pageSize;
        sendJson(ctx.res, 200, { value: all.slice(offset, end), continuationToken: end < all.length ? encodeSkipToken(end) : null, nextLink: null });
      },
    },
    {
      method: 'GET', pattern: `${historyBase}/experiments/{experiment}`,
      handler: (ctx) => {
        const data = workspaceFromParams(api, ctx.params);
        const name = ctx.params['experiment']!;
        sendJson(ctx.res, 200, findExperiment(data, (e) => e.name === name, `'${name}'`));
      },
    },
    {
      method: 'GET', pattern: `${historyBase}/experimentids/{experimentId}`,
      handler: (ctx) => {
        const data = workspaceFromParams(api, ctx.params);
        const id = ctx.params['experimentId']!.toLowerCase();
        sendJson(ctx.res, 200, findExperiment(data, (e) => e.experimentId === id, `with id '${id}'`));
      },
    },
  ];
}
