import * as vscode from 'vscode';
import type { Job } from '../azure/domain';
import { maskSecretValues } from '../azure/secrets';
import type { MlflowRunStatus, TrackedRun } from '../azure/runMetrics';
import { formatDuration } from '../core/format';
import { runStatusText } from '../tree/experiments/runStatus';
import type { RunSummary } from './runMetricsProtocol';

/** The Azure ML status a person knows, for MLflow's. */
const azureStatus: Record<MlflowRunStatus, string> = {
  SCHEDULED: 'Queued', RUNNING: 'Running', FINISHED: 'Completed', FAILED: 'Failed', KILLED: 'Canceled',
};

export function isTerminal(status: MlflowRunStatus): boolean {
  return status === 'FINISHED' || status === 'FAILED' || status === 'KILLED';
}

function lastSegment(id: string | undefined): string | undefined {
  return id?.split('/').filter(Boolean).pop();
}

/** What the panel shows of a run: the tracking API's view, with the job's experiment and compute. */
export function runSummary(run: TrackedRun, job: Job | undefined): RunSummary {
  const start = run.startTime !== undefined ? new Date(run.startTime) : job?.startTime;
  const end = run.endTime !== undefined ? new Date(run.endTime) : job?.endTime;
  return {
    runId: run.runId,
    displayName: job?.displayName || run.runName || run.runId,
    statusText: runStatusText(azureStatus[run.status]),
    terminal: isTerminal(run.status),
    experiment: job?.experimentName,
    compute: lastSegment(job?.computeId),
    duration: formatDuration(start, isTerminal(run.status) ? end : undefined),
    startTime: start?.getTime(),
    tags: maskSecretValues(run.tags),
    params: maskSecretValues(run.params),
    metricKeys: Object.keys(run.metrics).sort(),
  };
}

/** A run the panel could not read: its name, and why. */
export function problemSummary(runId: string, job: Job | undefined, problem: string): RunSummary {
  return {
    runId,
    displayName: job?.displayName || runId,
    statusText: job ? runStatusText(job.status) : vscode.l10n.t('Unknown'),
    terminal: true,
    experiment: job?.experimentName,
    tags: maskSecretValues(job?.tags ?? {}),
    params: {},
    metricKeys: [],
    problem,
  };
}
