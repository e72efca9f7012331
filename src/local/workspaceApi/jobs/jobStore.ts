import { defaultWorkspaceName, type ApiContext } from '../context';
import { touchAudit } from '../arm/envelope';
import type { JobError, JobRecord } from '../store/records';
import { parseWorkspaceChildId } from '../arm/ids';
import { versionKey, type WorkspaceData } from '../store/workspaceStore';
import { artifactContainer, jobArtifactPrefix, stdLogFile } from '../storage/layout';
import type { Disposable } from '../types';
import { clone, isObject, type JsonObject } from '../validation';
import { isJobStatus, isTerminal, type JobStatus } from './jobStatus';

export type { JobStatus } from './jobStatus';
export type { JobError } from '../store/records';

/** A job by name in the `local` workspace, or by workspace and name. */
export type JobRef = string | { workspace: string; name: string };

/** Property that marks jobs made by seedDemo(); a runner leaves those alone. */
export const demoJobProperty = 'azureml.demo';

/** What the job runner sees of a job (a snapshot; changes go through updateJob*). */
export interface JobView {
  workspace: string;
  workspaceId: string;
  name: string;
  runUuid: string;
  experimentName: string;
  displayName?: string;
  status: JobStatus;
  jobType: string;
  command: string;
  environmentId: string;
  /** ARM id of the code version (`.../codes/<n>/versions/<v>`), if the job has code. */
  codeId?: string;
  /** That code version's `codeUri` (the uploaded snapshot folder), if it still exists. */
  codeUri?: string;
  computeId?: string;
  inputs: Record<string, JsonObject>;
  outputs: Record<string, JsonObject>;
  environmentVariables: Record<string, string>;
  /** `limits.timeout` (ISO 8601 duration), if any. */
  timeout?: string;
  tags: Record<string, string>;
  properties: Record<string, string>;
  /** Made by seedDemo(): not to be run. */
  isDemo: boolean;
  createdAt: string;
  startTimeUtc?: string;
  endTimeUtc?: string;
  error?: JobError;
  /** Files under the artifact prefix that exist (as told by updateJob). */
  logFiles: string[];
  /** Where the job's logs and artifacts go: container `azureml`, prefix `ExperimentRun/dcid.<job>/`. */
  artifacts: { container: string; prefix: string; stdLogBlob: string };
  /** The job's full ARM `properties` as stored. */
  spec: JsonObject;
}

export interface JobUpdate {
  startTimeUtc?: string;
  endTimeUtc?: string;
  error?: JobError;
  /** Log files now present under the artifact prefix (replaces the list), e.g. `user_logs/std_log.txt`. */
  logFiles?: string[];
  /** Properties to add; existing keys keep their values. */
  properties?: Record<string, string>;
  warnings?: Array<{ source: string; message: string }>;
}

export interface JobListFilter {
  workspace?: string;
  statuses?: readonly JobStatus[];
  /** Default false: seeded demo jobs are left out. */
  includeDemo?: boolean;
}

export interface JobStore {
  getJob(ref: JobRef): JobView | undefined;
  /** Jobs oldest first (the order a runner should pick them up in). */
  listJobs(filter?: JobListFilter): JobView[];
  /**
   * Moves a job to `status` and saves it (resolves once written). Sets startTimeUtc when it
   * first reaches Running and endTimeUtc when it reaches a terminal status, unless given.
   * Rejects for unknown jobs and for jobs already in a terminal status.
   */
  updateJobStatus(ref: JobRef, status: JobStatus, extra?: JobUpdate): Promise<JobView>;
  /** Changes details (log files, error, properties) without changing the status. */
  updateJob(ref: JobRef, update: JobUpdate): Promise<JobView>;
  onJobCreated(listener: (job: JobView) => void): Disposable;
  /**
   * A client asked to cancel an active job (its status is now CancelRequested). Once all
   * listeners have settled, a job still in CancelRequested becomes Canceled; a runner may
   * instead set Canceled itself when the process has stopped.
   */
  onCancelRequested(listener: (job: JobView) => void | Promise<void>): Disposable;
  onJobChanged(listener: (job: JobView) => void): Disposable;
}

class Listeners<T> {
  private readonly items = new Set<(value: T) => unknown>();
  add(listener: (value: T) => unknown): Disposable {
    this.items.add(listener);
    return { dispose: () => this.items.delete(listener) };
  }
  /** Calls every listener; a throwing listener does not stop the others. */
  async emit(value: T): Promise<void> {
    await Promise.all([...this.items].map(async (listener) => {
      try {
        await listener(value);
      } catch {
        // The API must not fail because an observer did.
      }
    }));
  }
}

function stringMap(value: unknown): Record<string, string> {
  return isObject(value) ? (clone(value) as Record<string, string>) : {};
}

function objectMap(value: unknown): Record<string, JsonObject> {
  return isObject(value) ? (clone(value) as Record<string, JsonObject>) : {};
}

export function toJobView(data: WorkspaceData, record: JobRecord): JobView {
  const spec = clone(record.properties);
  const str = (key: string): string | undefined => (typeof spec[key] === 'string' ? (spec[key] as string) : undefined);
  const limits = isObject(spec['limits']) ? spec['limits'] : {};
  const properties = stringMap(spec['properties']);
  const prefix = jobArtifactPrefix(record.name);
  const view: JobView = {
    workspace: data.record.name,
    workspaceId: data.record.workspaceId,
    name: record.name,
    runUuid: record.runUuid,
    experimentName: str('experimentName') ?? 'Default',
    status: record.status,
    jobType: str('jobType') ?? 'Command',
    command: str('command') ?? '',
    environmentId: str('environmentId') ?? '',
    inputs: objectMap(spec['inputs']),
    outputs: objectMap(spec['outputs']),
    environmentVariables: stringMap(spec['environmentVariables']),
    tags: stringMap(spec['tags']),
    properties,
    isDemo: properties[demoJobProperty] === 'true',
    createdAt: record.createdAt,
    logFiles: [...record.logFiles],
    artifacts: { container: artifactContainer, prefix, stdLogBlob: prefix + stdLogFile },
    spec,
  };
  const codeId = str('codeId');
  const code = codeId ? parseWorkspaceChildId(codeId, 'codes') : undefined;
  const codeUri = code?.version !== undefined ? data.codes.versions.get(versionKey(code.name, code.version))?.properties['codeUri'] : undefined;
  const optional = {
    displayName: str('displayName'), codeId, computeId: str('computeId'),
    codeUri: typeof codeUri === 'string' ? codeUri : undefined,
    timeout: typeof limits['timeout'] === 'string' ? limits['timeout'] : undefined,
    startTimeUtc: record.startTimeUtc, endTimeUtc: record.endTimeUtc,
    error: record.error ? { ...record.error } : undefined,
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) Object.assign(view, { [key]: value });
  return view;
}

/** The job store: the API's handlers and the job runner change jobs only through it. */
export class JobStoreImpl implements JobStore {
  private readonly created = new Listeners<JobView>();
  private readonly cancelRequested = new Listeners<JobView>();
  private readonly changed = new Listeners<JobView>();

  constructor(private readonly api: ApiContext) {}

  private locate(ref: JobRef): { data: WorkspaceData; record: JobRecord } | undefined {
    const { workspace, name } = typeof ref === 'string' ? { workspace: defaultWorkspaceName, name: ref } : ref;
    const data = this.api.store.get(workspace);
    const record = data?.jobs.get(name);
    return data && record ? { data, record } : undefined;
  }

  getJob(ref: JobRef): JobView | undefined {
    const found = this.locate(ref);
    return found ? toJobView(found.data, found.record) : undefined;
  }

  listJobs(filter: JobListFilter = {}): JobView[] {
    const workspaces = filter.workspace ? [this.api.store.get(filter.workspace)].filter((d) => d !== undefined) : this.api.store.list();
    return workspaces
      .flatMap((data) => data.jobs.values().map((record) => toJobView(data, record)))
      .filter((job) => !filter.statuses || filter.statuses.includes(job.status))
      .filter((job) => filter.includeDemo || !job.isDemo)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async updateJobStatus(ref: JobRef, status: JobStatus, extra: JobUpdate = {}): Promise<JobView> {
    if (!isJobStatus(status)) throw new TypeError(`'${String(status)}' is not a job status.`);
    return this.change(ref, (record) => {
      if (isTerminal(record.status) && record.status !== status) {
        throw new Error(`Job '${record.name}' is already ${record.status}; its status cannot change to ${status}.`);
      }
      const now = this.api.now().toISOString();
      record.status = status;
      if (status === 'Running' && !record.startTimeUtc && !extra.startTimeUtc) record.startTimeUtc = now;
      if (isTerminal(status) && !record.endTimeUtc && !extra.endTimeUtc) record.endTimeUtc = now;
      applyUpdate(record, extra);
    });
  }

  updateJob(ref: JobRef, update: JobUpdate): Promise<JobView> {
    return this.change(ref, (record) => applyUpdate(record, update));
  }

  private async change(ref: JobRef, mutate: (record: JobRecord) => void): Promise<JobView> {
    const view = await this.api.store.exclusive(async () => {
      const found = this.locate(ref);
      if (!found) throw new Error(`No job ${typeof ref === 'string' ? `'${ref}'` : `'${ref.name}' in workspace '${ref.workspace}'`}.`);
      mutate(found.record);
      touchAudit(found.record, this.api.now(), this.api.user);
      found.data.jobs.touch();
      await this.api.store.commit();
      return toJobView(found.data, found.record);
    });
    await this.changed.emit(view);
    return view;
  }

  /** Called by the PUT handler after a new job was stored. */
  jobCreated(data: WorkspaceData, record: JobRecord): void {
    void this.created.emit(toJobView(data, record));
  }

  /**
   * Marks an active job CancelRequested, saves that, then lets the runner stop it (without
   * waiting for it). The job becomes Canceled when the listeners have settled (unless a runner
   * set it first). Called by the cancel handler, which holds the store's change lock.
   */
  async requestCancel(data: WorkspaceData, record: JobRecord): Promise<void> {
    if (record.status === 'CancelRequested') return;
    record.status = 'CancelRequested';
    touchAudit(record, this.api.now(), this.api.user);
    data.jobs.touch();
    await this.api.store.commit();
    const view = toJobView(data, record);
    void (async () => {
      await this.changed.emit(view);
      await this.cancelRequested.emit(view);
      const current = data.jobs.get(record.name);
      if (current && current.status === 'CancelRequested') {
        await this.updateJobStatus({ workspace: data.record.name, name: record.name }, 'Canceled').catch(() => undefined);
      }
    })();
  }

  onJobCreated(listener: (job: JobView) => void): Disposable {
    return this.created.add(listener);
  }

  onCancelRequested(listener: (job: JobView) => void | Promise<void>): Disposable {
    return this.cancelRequested.add(listener);
  }

  onJobChanged(listener: (job: JobView) => void): Disposable {
    return this.changed.add(listener);
  }
}

function applyUpdate(record: JobRecord, update: JobUpdate): void {
  if (update.startTimeUtc) record.startTimeUtc = update.startTimeUtc;
  if (update.endTimeUtc) record.endTimeUtc = update.endTimeUtc;
  if (update.error) record.error = { ...update.error };
  if (update.logFiles) record.logFiles = [...new Set(update.logFiles)];
  if (update.warnings) record.warnings = update.warnings.map((w) => ({ ...w }));
  if (update.properties) {
    const bag = isObject(record.properties['properties']) ? (record.properties['properties'] as Record<string, string>) : {};
    for (const [key, value] of Object.entries(update.properties)) if (!(key in bag)) bag[key] = value;
    record.properties['properties'] = bag;
  }
}
