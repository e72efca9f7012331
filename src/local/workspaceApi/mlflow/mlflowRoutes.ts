import { toMlflowStatus } from '../../../azure/runMetrics';
import { workspaceFromParams, wsPattern, type ApiContext } from '../context';
import { experimentIdOf, experimentsOf } from '../history/runHistory';
import { MlflowError } from '../http/apiError';
import { queryValue, type RequestContext } from '../http/requestContext';
import type { RouteDefinition } from '../http/router';
import { sendJson } from '../http/respond';
import { decodeSkipToken, encodeSkipToken } from '../paging';
import type { JobRecord } from '../store/records';
import type { WorkspaceData } from '../store/workspaceStore';
import { isObject, type JsonObject } from '../validation';
import {
  batchLimits, int64, invalid, listOf, metricOf, paramOf, requestBody, runIdOf, tagOf,
} from './mlflowInput';
import { matchesFilter, parseFilter, parseOrderBy, sortRuns } from './runSearch';
import { isTrackingToken } from './trackingAddress';
import type { KeyValue, RunTracking, StoredMetric, TrackingEntry } from './trackingLog';

/**
 * The MLflow tracking API (REST 2.0) of a workspace, under the path its `mlFlowTrackingUri`
 * names (`/mlflow/v1.0/<workspace id>`; `/mlflow/v2.0/…` too, which current clients use).
 * Every job is an MLflow run whose id is the job's name. int64 fields are answered as strings
 * and non-finite values as "NaN"/"Infinity"/"-Infinity", as Azure ML does.
 */
const trackingPrefixes = ['v1.0', 'v2.0'].map((version) => `/mlflow/${version}${wsPattern}/api/2.0/mlflow`);

const historyPageDefault = 25_000;
const searchPageDefault = 1_000;
const searchPageMax = 50_000;

function runNotFound(runId: string): MlflowError {
  return new MlflowError(404, 'RESOURCE_DOES_NOT_EXIST', `Run with id=${runId} not found.`);
}

function findRun(data: WorkspaceData, runId: string): JobRecord {
  const job = data.jobs.get(runId);
  if (!job) throw runNotFound(runId);
  return job;
}

function experimentNameOf(job: JobRecord): string {
  return typeof job.properties['experimentName'] === 'string' ? job.properties['experimentName'] : 'Default';
}

/** A metric value as JSON: non-finite values as MLflow's strings. */
export function jsonValue(value: number): number | string {
  if (Number.isFinite(value)) return value;
  return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
}

function renderMetric(m: StoredMetric): JsonObject {
  return { key: m.key, value: jsonValue(m.value), timestamp: String(m.timestamp), step: String(m.step) };
}

const millis = (iso: string | undefined): string | undefined => (iso ? String(Date.parse(iso)) : undefined);

function runInfo(data: WorkspaceData, job: JobRecord): JsonObject {
  const spec = job.properties;
  const info: JsonObject = {
    run_id: job.name,
    run_uuid: job.name,
    experiment_id: experimentIdOf(data.record.workspaceId, experimentNameOf(job)),
    run_name: typeof spec['displayName'] === 'string' ? spec['displayName'] : job.name,
    user_id: job.createdBy,
    status: toMlflowStatus(job.status),
    start_time: millis(job.startTimeUtc ?? job.createdAt),
    artifact_uri: `azureml://experiments/${encodeURIComponent(experimentNameOf(job))}/runs/${encodeURIComponent(job.name)}/artifacts`,
    lifecycle_stage: 'active',
  };
  const end = millis(job.endTimeUtc);
  if (end) info['end_time'] = end;
  return info;
}

/** Tags of a run: the job's own, the ones MLflow adds, then what the run logged. */
function runTags(job: JobRecord, tracking: RunTracking): Map<string, string> {
  const tags = new Map<string, string>();
  if (isObject(job.properties['tags'])) {
    for (const [key, value] of Object.entries(job.properties['tags'])) if (typeof value === 'string') tags.set(key, value);
  }
  tags.set('mlflow.runName', typeof job.properties['displayName'] === 'string' ? job.properties['displayName'] : job.name);
  tags.set('mlflow.user', job.createdBy);
  for (const [key, value] of tracking.tags) tags.set(key, value);
  return tags;
}

const pairs = (map: ReadonlyMap<string, string>): KeyValue[] => [...map].map(([key, value]) => ({ key, value }));

function renderRun(data: WorkspaceData, job: JobRecord, tracking: RunTracking): JsonObject {
  const metrics = [...tracking.metrics.keys()].map((key) => renderMetric(tracking.latest(key)!));
  return {
    info: runInfo(data, job),
    data: { metrics, params: pairs(tracking.params), tags: pairs(runTags(job, tracking)) },
    inputs: {},
  };
}

function pageToken(token: string | undefined): number {
  try {
    return decodeSkipToken(token, 'page_token');
  } catch {
    throw invalid('The page_token is not valid: pass the next_page_token of the previous page as it is.');
  }
}

function maxResults(raw: unknown, fallback: number, max: number): number {
  if (raw === undefined || raw === null || raw === '') return fallback;
  const value = int64(raw, 'max_results');
  if (value < 1 || value > max) throw invalid(`max_results must be between 1 and ${max}; got ${value}.`);
  return value;
}

export function mlflowRoutes(api: ApiContext): RouteDefinition[] {
  const readRun = async (data: WorkspaceData, job: JobRecord): Promise<RunTracking> => api.tracking.read(data.dir, job.runUuid);

  /** Checks an entry against what the run holds (params never change value), then appends it. */
  const log = async (data: WorkspaceData, job: JobRecord, entry: TrackingEntry): Promise<void> => {
    const tracking = await readRun(data, job);
    const seen = new Map<string, string>();
    for (const param of entry.params ?? []) {
      const previous = seen.get(param.key) ?? tracking.params.get(param.key);
      if (previous !== undefined && previous !== param.value) {
        throw invalid(`Changing param values is not allowed. Param with key='${param.key}' was already logged with value='${previous}' for run ID='${job.name}'. Attempted logging new value '${param.value}'.`);
      }
      seen.set(param.key, param.value);
    }
    await api.tracking.append(data.dir, job.runUuid, entry);
  };

  const routes: Array<{ method: 'GET' | 'POST'; path: string; handler: (ctx: RequestContext, data: WorkspaceData) => Promise<void> }> = [
    {
      method: 'GET', path: '/runs/get',
      handler: async (ctx, data) => {
        const job = findRun(data, runIdOf(ctx.query));
        sendJson(ctx.res, 200, { run: renderRun(data, job, await readRun(data, job)) });
      },
    },
    {
      method: 'GET', path: '/metrics/get-history',
      handler: async (ctx, data) => {
        const job = findRun(data, runIdOf(ctx.query));
        const key = queryValue(ctx, 'metric_key');
        if (!key) throw invalid("Missing value for required parameter 'metric_key'.");
        const size = maxResults(queryValue(ctx, 'max_results'), historyPageDefault, historyPageDefault);
        const offset = pageToken(queryValue(ctx, 'page_token'));
        const points = (await readRun(data, job)).history(key);
        const end = offset + size;
        const body: JsonObject = { metrics: points.slice(offset, end).map(renderMetric) };
        if (end < points.length) body['next_page_token'] = encodeSkipToken(end);
        sendJson(ctx.res, 200, body);
      },
    },
    {
      method: 'POST', path: '/runs/search',
      handler: async (ctx, data) => {
        const body = requestBody(ctx.body);
        const ids = body['experiment_ids'];
        if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) throw invalid("'experiment_ids' must be a list of experiment ids.");
        const wanted = new Set((ids as string[]).map((id) => id.toLowerCase()));
        const clauses = parseFilter(typeof body['filter'] === 'string' ? body['filter'] : '');
        const order = parseOrderBy(body['order_by']);
        const size = maxResults(body['max_results'], searchPageDefault, searchPageMax);
        const offset = pageToken(typeof body['page_token'] === 'string' ? body['page_token'] : undefined);
        const candidates = [];
        for (const job of data.jobs.values()) {
          if (!wanted.has(experimentIdOf(data.record.workspaceId, experimentNameOf(job)))) continue;
          const run = renderRun(data, job, await readRun(data, job));
          if (matchesFilter(run, clauses)) candidates.push(run);
        }
        const sorted = sortRuns(candidates, order);
        const end = offset + size;
        const answer: JsonObject = { runs: sorted.slice(offset, end) };
        if (end < sorted.length) answer['next_page_token'] = encodeSkipToken(end);
        sendJson(ctx.res, 200, answer);
      },
    },
    {
      method: 'GET', path: '/experiments/get-by-name',
      handler: async (ctx, data) => {
        const name = queryValue(ctx, 'experiment_name');
        if (!name) throw invalid("Missing value for required parameter 'experiment_name'.");
        const experiment = experimentsOf(data).find((e) => e.name === name);
        if (!experiment) throw new MlflowError(404, 'RESOURCE_DOES_NOT_EXIST', `Could not find experiment with name ${name}`);
        sendJson(ctx.res, 200, {
          experiment: {
            experiment_id: experiment.experimentId,
            name: experiment.name,
            artifact_location: `azureml://experiments/${encodeURIComponent(experiment.name)}`,
            lifecycle_stage: 'active',
            creation_time: String(Date.parse(experiment.createdUtc)),
            last_update_time: String(Date.parse(experiment.latestCreatedRunCreatedUtc)),
            tags: [],
          },
        });
      },
    },
    {
      method: 'POST', path: '/runs/log-metric',
      handler: async (ctx, data) => {
        const body = requestBody(ctx.body);
        const job = findRun(data, runIdOf(body));
        await log(data, job, { metrics: [metricOf(body)] });
        sendJson(ctx.res, 200, {});
      },
    },
    {
      method: 'POST', path: '/runs/log-parameter',
      handler: async (ctx, data) => {
        const body = requestBody(ctx.body);
        const job = findRun(data, runIdOf(body));
        await log(data, job, { params: [paramOf(body)] });
        sendJson(ctx.res, 200, {});
      },
    },
    {
      method: 'POST', path: '/runs/set-tag',
      handler: async (ctx, data) => {
        const body = requestBody(ctx.body);
        const job = findRun(data, runIdOf(body));
        await log(data, job, { tags: [tagOf(body)] });
        sendJson(ctx.res, 200, {});
      },
    },
    {
      method: 'POST', path: '/runs/log-batch',
      handler: async (ctx, data) => {
        const body = requestBody(ctx.body);
        const job = findRun(data, runIdOf(body));
        const metrics = listOf(body, 'metrics').map(metricOf);
        const params = listOf(body, 'params').map(paramOf);
        const tags = listOf(body, 'tags').map(tagOf);
        if (metrics.length + params.length + tags.length > batchLimits.total) {
          throw invalid(`A batch may hold at most ${batchLimits.total} metrics, params and tags in total; this one has ${metrics.length + params.length + tags.length}.`);
        }
        if (metrics.length + params.length + tags.length > 0) await log(data, job, { metrics, params, tags });
        sendJson(ctx.res, 200, {});
      },
    },
    {
      // The job owns its status: a script's mlflow.start_run()/end_run() cannot end or restart it.
      method: 'POST', path: '/runs/update',
      handler: async (ctx, data) => {
        const job = findRun(data, runIdOf(requestBody(ctx.body)));
        sendJson(ctx.res, 200, { run_info: runInfo(data, job) });
      },
    },
  ];

  return trackingPrefixes.flatMap((prefix) => routes.map((route): RouteDefinition => ({
    method: route.method,
    pattern: `${prefix}${route.path}`,
    apiVersion: false,
    alsoAccepts: (token, params) => isTrackingToken(api.options.token, params['workspace']!, token),
    handler: async (ctx) => {
      const data = workspaceFromParams(api, ctx.params);
      await route.handler(ctx, data);
    },
  })));
}
