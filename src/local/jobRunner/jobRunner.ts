import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ContainerClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import type { Disposable, JobStatus, JobStore, JobView } from '../workspaceApi';
import type { DatastoreResolver } from './datastoreResolver';
import { commandShell, preparePythonShim, type JobTracking } from './jobEnvironment';
import { JobExecution, type ExecutionServices } from './jobExecution';
import { reasonOf } from './jobFailure';
import { ProcessRegistry } from './processRegistry';

export interface JobRunnerOptions {
  jobs: JobStore;
  /** The runner's own folder (run folders, the python shim, the list of running processes). */
  workDir: string;
  /** The local storage account: code snapshots and the `azureml` artifact container. */
  storage: { accountName: string; accountKey: string; blobEndpoint: string };
  datastores: DatastoreResolver;
  /** The MLflow tracking URI and token a job's script gets (MLFLOW_TRACKING_URI, MLFLOW_TRACKING_TOKEN). */
  tracking?: (job: JobView) => JobTracking;
  log(line: string): void;
  /** Jobs run at once; default 2. */
  concurrency?: number;
  /** After SIGTERM, how long a job's processes get before SIGKILL; default 5 s. */
  graceMs?: number;
  /** Most time between output and it reaching the log blob; default 200 ms. */
  logFlushIntervalMs?: number;
}

export interface JobRunner {
  /** Stops taking jobs; running ones are stopped and end Failed (the service is going away). */
  stop(): Promise<void>;
}

/** Statuses a job only has while a runner works on it; after a restart nobody does. */
const inFlightStatuses: readonly JobStatus[] = ['Starting', 'Provisioning', 'Preparing', 'Running', 'Finalizing', 'CancelRequested'];

const keyOf = (job: Pick<JobView, 'workspace' | 'name'>): string => `${job.workspace}/${job.name}`;

/**
 * Jobs left mid-run by a service that stopped without finishing them: their processes are gone
 * (or were just stopped), so they end now rather than show "Running" forever.
 */
async function endInterruptedJobs(jobs: JobStore, log: (line: string) => void): Promise<void> {
  for (const job of jobs.listJobs({ statuses: inFlightStatuses })) {
    const ref = { workspace: job.workspace, name: job.name };
    try {
      if (job.status === 'CancelRequested') {
        await jobs.updateJobStatus(ref, 'Canceled');
      } else {
        await jobs.updateJobStatus(ref, 'Failed', {
          error: {
            code: 'ServiceError',
            message: `The local workspace restarted while this job was ${job.status}; its process did not survive. Submit the job again.`,
          },
        });
      }
      log(`job runner: job ${job.name} was ${job.status} when the service last stopped; now ${job.status === 'CancelRequested' ? 'Canceled' : 'Failed'}`);
    } catch (e) {
      log(`job runner: could not end job ${job.name}: ${reasonOf(e)}`);
    }
  }
}

class Runner implements JobRunner {
  private readonly queue: JobView[] = [];
  private readonly active = new Map<string, JobExecution>();
  private readonly subscriptions: Disposable[] = [];
  private stopping = false;

  constructor(private readonly options: JobRunnerOptions, private readonly services: ExecutionServices) {}

  start(): void {
    const { jobs } = this.options;
    this.subscriptions.push(
      // After the submission has been answered: its reply shows the job as submitted (NotStarted).
      jobs.onJobCreated((job) => void setImmediate(() => this.enqueue(job))),
      jobs.onCancelRequested((job) => this.cancel(job)),
    );
    for (const job of jobs.listJobs({ statuses: ['NotStarted', 'Queued'] })) this.enqueue(job);
  }

  private enqueue(seen: JobView): void {
    const key = keyOf(seen);
    const job = this.options.jobs.getJob({ workspace: seen.workspace, name: seen.name });
    if (this.stopping || !job || job.isDemo || job.jobType !== 'Command') return;
    if (job.status !== 'NotStarted' && job.status !== 'Queued') return;
    if (this.active.has(key) || this.queue.some((q) => keyOf(q) === key)) return;
    this.queue.push(job);
    if (job.status === 'NotStarted') {
      void this.options.jobs.updateJobStatus({ workspace: job.workspace, name: job.name }, 'Queued')
        .catch((e: unknown) => this.options.log(`job runner: could not queue job ${job.name}: ${reasonOf(e)}`));
    }
    this.startNext();
  }

  private startNext(): void {
    const limit = Math.max(1, this.options.concurrency ?? 2);
    while (!this.stopping && this.active.size < limit && this.queue.length > 0) {
      const queued = this.queue.shift()!;
      // Take the job as it is now: it may have been canceled while it waited.
      const job = this.options.jobs.getJob({ workspace: queued.workspace, name: queued.name });
      if (!job || (job.status !== 'NotStarted' && job.status !== 'Queued')) continue;
      const key = keyOf(job);
      const execution = new JobExecution(job, this.services);
      this.active.set(key, execution);
      void execution.done
        .catch((e: unknown) => this.options.log(`job runner: job ${job.name} ended unexpectedly: ${reasonOf(e)}`))
        .finally(() => {
          this.active.delete(key);
          this.startNext();
        });
    }
  }

  private async cancel(job: JobView): Promise<void> {
    const key = keyOf(job);
    const index = this.queue.findIndex((q) => keyOf(q) === key);
    // A queued job never starts; the job store marks it Canceled once listeners are done.
    if (index >= 0) this.queue.splice(index, 1);
    const execution = this.active.get(key);
    if (!execution) return;
    execution.stop('cancel');
    await execution.done;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
    this.queue.length = 0;
    const running = [...this.active.values()];
    for (const execution of running) execution.stop('shutdown');
    await Promise.allSettled(running.map((execution) => execution.done));
  }
}

/**
 * Starts running the jobs submitted to the local workspace on this machine: those created
 * from now on, and those still waiting from before. Jobs a previous service left mid-run end
 * Failed (Canceled when a cancel was asked), and processes it left behind are stopped.
 */
export async function startJobRunner(options: JobRunnerOptions): Promise<JobRunner> {
  const runsDir = path.join(options.workDir, 'runs');
  // Run folders of a previous service are leftovers: their jobs were ended above or below.
  await fs.rm(runsDir, { recursive: true, force: true });
  await fs.mkdir(runsDir, { recursive: true });
  const registry = new ProcessRegistry(path.join(options.workDir, 'processes.json'));
  await registry.stopLeftovers(options.log);
  await endInterruptedJobs(options.jobs, options.log);

  const credential = new StorageSharedKeyCredential(options.storage.accountName, options.storage.accountKey);
  const endpoint = options.storage.blobEndpoint.replace(/\/+$/, '');
  const containers = new Map<string, ContainerClient>();
  const services: ExecutionServices = {
    jobs: options.jobs,
    container(name) {
      let client = containers.get(name);
      if (!client) {
        client = new ContainerClient(`${endpoint}/${encodeURIComponent(name)}`, credential);
        containers.set(name, client);
      }
      return client;
    },
    blobEndpoint: endpoint,
    datastores: options.datastores,
    registry,
    runsDir,
    toolsDir: await preparePythonShim(path.join(options.workDir, 'bin')),
    shell: await commandShell(),
    ...(options.tracking ? { tracking: options.tracking } : {}),
    graceMs: options.graceMs ?? 5000,
    logFlushIntervalMs: options.logFlushIntervalMs ?? 200,
    log: options.log,
  };
  const runner = new Runner(options, services);
  runner.start();
  return runner;
}
