import { ContainerClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { toAzureMlError } from '../azure/errors';
import { demoTrainingOf, stdLogFile, type JobStatus, type JobView, type WorkspaceApi } from './workspaceApi';

export interface DemoProgressOptions {
  api: Pick<WorkspaceApi, 'jobs' | 'logToRun' | 'loggedPoints'>;
  /** The local storage account, for the runs' std_log blobs. */
  storage: { accountName: string; accountKey: string; blobEndpoint: string };
  /** Time between steps of progress; default 2 s. */
  tickMs?: number;
  log(line: string): void;
}

export interface DemoProgress {
  stop(): Promise<void>;
}

/** Ticks a queued demo run waits before it is Preparing, then Running. */
const ticksQueued = 8;
const ticksPreparing = 4;
/** A whole demo run trains in about this many ticks (3 minutes at 2 s). */
const ticksTraining = 90;

const storageTimeoutMs = 30_000;

const activeStatuses: readonly JobStatus[] = ['NotStarted', 'Queued', 'Preparing', 'Running'];

const fixed = (value: number): string => (Number.isFinite(value) ? value.toFixed(4) : String(value));

/**
 * Makes the demo's Queued and Running runs progress as real ones do while the service runs:
 * a queued run starts after a while, a running run logs its metrics and log lines step by step,
 * then completes. Progress is read back from what the run has logged, so after a restart a run
 * goes on where it was.
 */
export function startDemoProgress(options: DemoProgressOptions): DemoProgress {
  const { api } = options;
  const tickMs = options.tickMs ?? 2000;
  const container = new ContainerClient(
    `${options.storage.blobEndpoint}/azureml`, new StorageSharedKeyCredential(options.storage.accountName, options.storage.accountKey));
  const waited = new Map<string, number>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();

  const appendLog = async (job: JobView, lines: string[]): Promise<void> => {
    const blob = container.getAppendBlobClient(job.artifacts.stdLogBlob);
    if (!job.logFiles.includes(stdLogFile)) {
      await blob.createIfNotExists({ abortSignal: AbortSignal.timeout(storageTimeoutMs) });
      await api.jobs.updateJob({ workspace: job.workspace, name: job.name }, { logFiles: [...job.logFiles, stdLogFile] });
    }
    const text = lines.map((line) => `${line}\n`).join('');
    await blob.appendBlock(text, Buffer.byteLength(text), { abortSignal: AbortSignal.timeout(storageTimeoutMs) });
  };

  const advance = async (job: JobView): Promise<void> => {
    const ref = { workspace: job.workspace, name: job.name };
    const key = `${job.workspace}/${job.name}`;
    const ticks = (waited.get(key) ?? 0) + 1;
    waited.set(key, ticks);
    const training = demoTrainingOf({ name: job.name, experimentName: job.experimentName, inputs: job.inputs, tags: job.tags });

    if (job.status === 'NotStarted' || job.status === 'Queued') {
      if (ticks >= ticksQueued) {
        await api.jobs.updateJobStatus(ref, 'Preparing');
        await appendLog(job, [`[demo] ${job.displayName ?? job.name}: preparing the environment (sklearn-1.5)…`]);
      }
      return;
    }
    if (job.status === 'Preparing') {
      if (ticks >= ticksQueued + ticksPreparing) await api.jobs.updateJobStatus(ref, 'Running');
      return;
    }
    const done = await api.loggedPoints(ref, 'loss');
    if (done === 0) {
      await api.logToRun(ref, { params: training.params });
      await appendLog(job, [
        `[demo] training ${job.displayName ?? job.name} for ${training.totalSteps} steps`,
        ...training.params.map((p) => `  ${p.key} = ${p.value}`),
      ]);
    }
    if (done >= training.totalSteps) {
      await appendLog(job, [`[demo] training finished after ${training.totalSteps} steps; model saved to ./outputs/model`]);
      await api.jobs.updateJobStatus(ref, 'Completed');
      waited.delete(key);
      return;
    }
    const perTick = Math.max(1, Math.ceil(training.totalSteps / ticksTraining));
    const now = Date.now();
    const metrics = [];
    const lines = [];
    for (let step = done; step < Math.min(training.totalSteps, done + perTick); step++) {
      const points = training.pointsAt(step, now);
      metrics.push(...points);
      lines.push(`step ${String(step).padStart(4)}  ${points.map((p) => `${p.key}=${p.key === 'learning_rate' ? p.value.toExponential(3) : fixed(p.value)}`).join('  ')}`);
    }
    // The log lines first: whoever sees the new points can already read them in the log.
    await appendLog(job, lines);
    await api.logToRun(ref, { metrics });
  };

  const tick = async (): Promise<void> => {
    const jobs = api.jobs.listJobs({ statuses: activeStatuses, includeDemo: true }).filter((job) => job.isDemo);
    for (const job of jobs) {
      if (stopped) return;
      try {
        await advance(job);
      } catch (error) {
        options.log(`demo: run ${job.name} did not progress: ${toAzureMlError(error).message}`);
      }
    }
  };

  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      current = tick().finally(schedule);
    }, tickMs);
  };
  schedule();

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current.catch(() => undefined);
    },
  };
}
