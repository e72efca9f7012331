/**
 * Run metrics as Azure ML's MLflow tracking API reports them (a v2 job's name is its MLflow
 * run id). Plain data: the MLflow client in src/azure and the local workspace both speak it,
 * and the run details / compare panels, the CLI and the export read it.
 */

/** MLflow run statuses; `toMlflowStatus` maps Azure ML job statuses onto them. */
export type MlflowRunStatus = 'SCHEDULED' | 'RUNNING' | 'FINISHED' | 'FAILED' | 'KILLED';

/** One logged value. `value` may be NaN, Infinity or -Infinity (MLflow sends those as strings). */
export interface MetricPoint {
  step: number;
  value: number;
  /** Milliseconds since the epoch, as logged. */
  timestamp: number;
}

/** The latest point of one metric, as `runs/get` reports it. */
export interface LatestMetric extends MetricPoint {
  key: string;
}

/** A run as the tracking API sees it: status, times, params, tags and latest metric values. */
export interface TrackedRun {
  runId: string;
  experimentId: string;
  runName?: string;
  status: MlflowRunStatus;
  /** Milliseconds since the epoch. */
  startTime?: number;
  endTime?: number;
  params: Record<string, string>;
  tags: Record<string, string>;
  /** Latest value of each metric, by key. */
  metrics: Record<string, LatestMetric>;
}

/** One page of a metric's history (`metrics/get-history`). */
export interface MetricHistoryPage {
  points: MetricPoint[];
  /** Pass back to get the next page; undefined on the last one. */
  nextPageToken?: string;
}

/**
 * What the panels, the CLI and the export need from a workspace's tracking API. The Azure
 * client and the local workspace client both provide it; every call takes an AbortSignal and
 * fails with AzureMlError only (code `RunNotFound` for a run the service does not know).
 */
export interface RunMetricsSource {
  getRun(runId: string, signal?: AbortSignal): Promise<TrackedRun>;
  /** One page of one metric's history, in the service's order (step order for MLflow). */
  getMetricHistoryPage(
    runId: string,
    metricKey: string,
    options?: { pageToken?: string; maxResults?: number; signal?: AbortSignal },
  ): Promise<MetricHistoryPage>;
}

const statusMap: Record<string, MlflowRunStatus> = {
  NotStarted: 'SCHEDULED',
  Queued: 'SCHEDULED',
  Preparing: 'SCHEDULED',
  Starting: 'SCHEDULED',
  Provisioning: 'SCHEDULED',
  Running: 'RUNNING',
  Finalizing: 'RUNNING',
  CancelRequested: 'RUNNING',
  Completed: 'FINISHED',
  Failed: 'FAILED',
  Canceled: 'KILLED',
};

/** Azure ML's job status as MLflow reports it (Azure ML's own mapping; unknown → RUNNING). */
export function toMlflowStatus(jobStatus: string): MlflowRunStatus {
  return statusMap[jobStatus] ?? 'RUNNING';
}
