import * as l10n from '@vscode/l10n';
import { isLoopbackUrl, type Cloud } from './cloud';
import { AzureMlError } from './errors';
import type {
  LatestMetric, MetricHistoryPage, MetricPoint, MlflowRunStatus, RunMetricsSource, TrackedRun,
} from './runMetrics';
import { sendJson, type AbortSignalLike } from './serviceCall';
import { mayReceiveArmToken, untrustedHostError } from './trustedHosts';
import type { WorkspaceContext } from './workspaceContext';

/** A metric, param or tag as MLflow's log calls take it. */
export interface MetricToLog extends MetricPoint {
  key: string;
}

export interface TrackingBatch {
  metrics?: readonly MetricToLog[];
  params?: Readonly<Record<string, string>>;
  tags?: Readonly<Record<string, string>>;
}

export interface RunSearchOptions {
  /** MLflow filter syntax as Azure ML supports it (AND only), e.g. `attributes.status = 'FINISHED'`. */
  filter?: string;
  maxResults?: number;
  /** e.g. `['attributes.start_time DESC']`. */
  orderBy?: readonly string[];
  pageToken?: string;
  signal?: AbortSignal;
}

export interface RunSearchPage {
  runs: TrackedRun[];
  nextPageToken?: string;
}

export interface TrackedExperiment {
  experimentId: string;
  name: string;
  lifecycleStage: string;
}

/**
 * The tracking base URL from a workspace's `mlFlowTrackingUri`: `azureml://` read as
 * `https://` (as `http://` for a loopback host of the local workspace, which serves plain HTTP).
 * Whatever path it names is kept (`mlflow/v1.0` in the docs, `mlflow/v2.0` in current traffic).
 */
export function trackingBaseUrl(cloud: Cloud, mlFlowTrackingUri: string): string {
  const trimmed = mlFlowTrackingUri.trim().replace(/\/+$/, '');
  const match = /^azureml:\/\/(.*)$/i.exec(trimmed);
  if (!match) return trimmed;
  const https = `https://${match[1]}`;
  return cloud.allowsPlainHttpLoopback && isLoopbackUrl(https) ? `http://${match[1]}` : https;
}

/** An int64 as MLflow answers it: a JSON number or a string of digits. */
function int64(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value);
  return undefined;
}

/** A metric value: a number, or MLflow's "NaN", "Infinity", "-Infinity" strings. */
export function metricValueOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text === 'Infinity' || text === 'inf') return Infinity;
    if (text === '-Infinity' || text === '-inf') return -Infinity;
    if (text !== '' && text !== 'NaN') return Number(text);
  }
  return NaN;
}

/** A metric value as MLflow sends it: non-finite ones as strings (JSON has no NaN). */
function wireValue(value: number): number | string {
  if (Number.isFinite(value)) return value;
  return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
}

interface WireMetric { key?: unknown; value?: unknown; timestamp?: unknown; step?: unknown }
interface WireKeyValue { key?: unknown; value?: unknown }
interface WireRun {
  info?: Record<string, unknown>;
  data?: { metrics?: WireMetric[]; params?: WireKeyValue[]; tags?: WireKeyValue[] };
}

const mlflowStatuses: readonly MlflowRunStatus[] = ['SCHEDULED', 'RUNNING', 'FINISHED', 'FAILED', 'KILLED'];

function mlflowStatusOf(status: string | undefined): MlflowRunStatus {
  return mlflowStatuses.find((s) => s === status?.toUpperCase()) ?? 'RUNNING';
}

function pointOf(m: WireMetric): MetricPoint {
  return { step: int64(m.step) ?? 0, value: metricValueOf(m.value), timestamp: int64(m.timestamp) ?? 0 };
}

function keyValues(list: WireKeyValue[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list ?? []) if (typeof item.key === 'string') out[item.key] = typeof item.value === 'string' ? item.value : String(item.value ?? '');
  return out;
}

function trackedRunOf(run: WireRun | undefined, requestedId?: string): TrackedRun {
  const info = run?.info ?? {};
  const text = (key: string): string | undefined => (typeof info[key] === 'string' ? (info[key] as string) : undefined);
  const metrics: Record<string, LatestMetric> = {};
  for (const m of run?.data?.metrics ?? []) if (typeof m.key === 'string') metrics[m.key] = { key: m.key, ...pointOf(m) };
  const tracked: TrackedRun = {
    runId: text('run_id') ?? text('run_uuid') ?? requestedId ?? '',
    experimentId: text('experiment_id') ?? String(info['experiment_id'] ?? ''),
    status: mlflowStatusOf(text('status')),
    params: keyValues(run?.data?.params),
    tags: keyValues(run?.data?.tags),
    metrics,
  };
  const runName = text('run_name') ?? tracked.tags['mlflow.runName'];
  if (runName !== undefined) tracked.runName = runName;
  const start = int64(info['start_time']);
  if (start !== undefined) tracked.startTime = start;
  const end = int64(info['end_time']);
  if (end !== undefined) tracked.endTime = end;
  return tracked;
}

/**
 * The workspace's MLflow tracking API (REST 2.0 under its `mlFlowTrackingUri`), through the
 * same pipeline as every other call: the ARM token, retries, timeouts, and the check that the
 * token goes only to the cloud's own hosts.
 */
export class MlflowTracking implements RunMetricsSource {
  constructor(
    private readonly context: WorkspaceContext,
    /** The workspace's `mlFlowTrackingUri`, as the workspace reports it. */
    private readonly trackingUri: () => Promise<string>,
  ) {}

  private async url(apiPath: string, query: Record<string, string | undefined> = {}): Promise<string> {
    const base = trackingBaseUrl(this.context.cloud, await this.trackingUri());
    if (!mayReceiveArmToken(this.context.cloud, base)) throw untrustedHostError(this.context.cloud, base, l10n.t('your Azure sign-in'));
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, value);
    const search = params.toString();
    return `${base}/api/2.0/mlflow/${apiPath}${search ? `?${search}` : ''}`;
  }

  /** Runs one call about `runId`; the service's "no such run" becomes code RunNotFound. */
  private async aboutRun<T>(runId: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof AzureMlError && (error.code === 'RESOURCE_DOES_NOT_EXIST' || (error.status === 404 && error.message.includes(runId)))) {
        throw new AzureMlError(
          l10n.t('The run "{0}" was not found in workspace "{1}": it may have been deleted, or its name is mistyped.', runId, this.context.workspace.workspaceName),
          404, 'RunNotFound');
      }
      throw error;
    }
  }

  private async get<T>(apiPath: string, query: Record<string, string | undefined>, signal?: AbortSignal): Promise<T | undefined> {
    const url = await this.url(apiPath, query);
    return (await sendJson<T>(this.context.client, { method: 'GET', url, ...abortOption(signal) })).body;
  }

  private async post<T>(apiPath: string, body: unknown, signal?: AbortSignal): Promise<T | undefined> {
    const url = await this.url(apiPath);
    return (await sendJson<T>(this.context.client, { method: 'POST', url, body, ...abortOption(signal) })).body;
  }

  async getRun(runId: string, signal?: AbortSignal): Promise<TrackedRun> {
    return this.aboutRun(runId, async () => {
      const body = await this.get<{ run?: WireRun }>('runs/get', { run_id: runId }, signal);
      return trackedRunOf(body?.run, runId);
    });
  }

  async getMetricHistoryPage(
    runId: string,
    metricKey: string,
    options: { pageToken?: string; maxResults?: number; signal?: AbortSignal } = {},
  ): Promise<MetricHistoryPage> {
    return this.aboutRun(runId, async () => {
      const body = await this.get<{ metrics?: WireMetric[]; next_page_token?: unknown }>('metrics/get-history', {
        run_id: runId,
        metric_key: metricKey,
        max_results: options.maxResults !== undefined ? String(options.maxResults) : undefined,
        page_token: options.pageToken,
      }, options.signal);
      const page: MetricHistoryPage = { points: (body?.metrics ?? []).map(pointOf) };
      if (typeof body?.next_page_token === 'string' && body.next_page_token !== '') page.nextPageToken = body.next_page_token;
      return page;
    });
  }

  /** One page of the runs of some experiments (`runs/search`). */
  async searchRuns(experimentIds: readonly string[], options: RunSearchOptions = {}): Promise<RunSearchPage> {
    const body = await this.post<{ runs?: WireRun[]; next_page_token?: unknown }>('runs/search', {
      experiment_ids: experimentIds,
      ...(options.filter ? { filter: options.filter } : {}),
      ...(options.maxResults !== undefined ? { max_results: options.maxResults } : {}),
      ...(options.orderBy ? { order_by: options.orderBy } : {}),
      ...(options.pageToken ? { page_token: options.pageToken } : {}),
    }, options.signal);
    const page: RunSearchPage = { runs: (body?.runs ?? []).map((run) => trackedRunOf(run)) };
    if (typeof body?.next_page_token === 'string' && body.next_page_token !== '') page.nextPageToken = body.next_page_token;
    return page;
  }

  async getExperimentByName(name: string, signal?: AbortSignal): Promise<TrackedExperiment> {
    try {
      const body = await this.get<{ experiment?: Record<string, unknown> }>('experiments/get-by-name', { experiment_name: name }, signal);
      const experiment = body?.experiment ?? {};
      return {
        experimentId: String(experiment['experiment_id'] ?? ''),
        name: typeof experiment['name'] === 'string' ? experiment['name'] : name,
        lifecycleStage: typeof experiment['lifecycle_stage'] === 'string' ? experiment['lifecycle_stage'] : 'active',
      };
    } catch (error) {
      if (error instanceof AzureMlError && error.code === 'RESOURCE_DOES_NOT_EXIST') {
        throw new AzureMlError(l10n.t('The experiment "{0}" was not found in workspace "{1}".', name, this.context.workspace.workspaceName), 404, 'ExperimentNotFound');
      }
      throw error;
    }
  }

  /** Logs metrics, params and tags in one request (`runs/log-batch`; MLflow takes at most 1,000 metrics, 100 params, 100 tags). */
  async logBatch(runId: string, batch: TrackingBatch, signal?: AbortSignal): Promise<void> {
    await this.aboutRun(runId, () => this.post('runs/log-batch', {
      run_id: runId,
      metrics: (batch.metrics ?? []).map((m) => ({ key: m.key, value: wireValue(m.value), timestamp: String(m.timestamp), step: String(m.step) })),
      params: Object.entries(batch.params ?? {}).map(([key, value]) => ({ key, value })),
      tags: Object.entries(batch.tags ?? {}).map(([key, value]) => ({ key, value })),
    }, signal));
  }

  async logMetric(runId: string, metric: MetricToLog, signal?: AbortSignal): Promise<void> {
    await this.aboutRun(runId, () => this.post('runs/log-metric', {
      run_id: runId, key: metric.key, value: wireValue(metric.value), timestamp: String(metric.timestamp), step: String(metric.step),
    }, signal));
  }

  async logParameter(runId: string, key: string, value: string, signal?: AbortSignal): Promise<void> {
    await this.aboutRun(runId, () => this.post('runs/log-parameter', { run_id: runId, key, value }, signal));
  }

  async setTag(runId: string, key: string, value: string, signal?: AbortSignal): Promise<void> {
    await this.aboutRun(runId, () => this.post('runs/set-tag', { run_id: runId, key, value }, signal));
  }
}

function abortOption(signal: AbortSignal | undefined): { abortSignal?: AbortSignalLike } {
  return signal ? { abortSignal: signal as AbortSignalLike } : {};
}
