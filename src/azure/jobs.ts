import * as l10n from '@vscode/l10n';
import type { CommandJobInput, Job, JobCancelResult, JobListOptions, Page } from './domain';
import { commandJobBody, mapJob, type ArmResource } from './mappers';
import { readSdkPage } from './paging';
import { deleteAndWait, type LongRunningOptions } from './longRunningDelete';
import { callService, sendJson } from './serviceCall';
import { workspaceArmUrl, type WorkspaceContext } from './workspaceContext';

/**
 * With an experiment filter, how many service pages one `list` call reads at most while looking
 * for matches. It may then return an empty page with a continuation token ("Load more").
 */
export const maxServicePagesPerFilteredList = 5;

/** Job statuses after which nothing changes any more. */
export const terminalJobStatuses: ReadonlySet<string> = new Set(['Completed', 'Failed', 'Canceled', 'NotResponding', 'Paused']);

export function isTerminalJobStatus(status: string): boolean {
  return terminalJobStatuses.has(status);
}

/**
 * Jobs of one workspace: get and list through @azure/arm-machinelearning; submit and cancel go
 * raw through the same client pipeline (see commandJobBody and cancel).
 */
export class JobOperations {
  constructor(
    private readonly context: WorkspaceContext,
    /** The job as run history has it, for the jobs whose ARM view is bare (a pipeline's children). */
    private readonly fromRunHistory?: (name: string, armId: string | undefined) => Promise<Job>,
  ) {}

  private get rg(): string {
    return this.context.workspace.resourceGroup;
  }
  private get ws(): string {
    return this.context.workspace.workspaceName;
  }

  /** Submits a command job (PUT, synchronous). */
  async createCommandJob(input: CommandJobInput): Promise<Job> {
    const url = workspaceArmUrl(this.context, `/jobs/${encodeURIComponent(input.name)}`);
    const { body } = await sendJson<ArmResource>(this.context.client, { method: 'PUT', url, body: commandJobBody(input) });
    return mapJob(body ?? {});
  }

  async get(name: string): Promise<Job> {
    const job = await callService(() => this.context.client.jobs.get(this.rg, this.ws, name));
    // A pipeline's child job: ARM answers id, name, type and systemData only.
    if (!job.properties && job.name && this.fromRunHistory) return this.fromRunHistory(job.name, job.id);
    return mapJob(job);
  }

  /**
   * One page of jobs (`listViewType` defaults to ActiveOnly). The service cannot filter by
   * experiment, so `experimentName` is applied here, per page; to avoid handing back empty pages
   * it reads on until a page has matches, the list ends, or it has read
   * `maxServicePagesPerFilteredList` pages.
   */
  async list(options: JobListOptions = {}): Promise<Page<Job>> {
    const listOnce = (continuationToken: string | undefined): Promise<Page<Job>> => readSdkPage(
      this.context.client.jobs.list(this.rg, this.ws, {
        listViewType: options.listViewType ?? 'ActiveOnly',
        ...(options.jobType ? { jobType: options.jobType } : {}),
        ...(options.tag ? { tag: options.tag } : {}),
      }),
      continuationToken,
      mapJob);

    const experimentName = options.experimentName;
    if (experimentName === undefined) return listOnce(options.continuationToken);

    let token = options.continuationToken;
    let examined = 0;
    for (let read = 0; read < maxServicePagesPerFilteredList; read++) {
      const page = await listOnce(token);
      const items = page.items.filter((job) => job.experimentName === experimentName);
      examined += page.items.length;
      token = page.continuationToken;
      if (items.length > 0 || token === undefined) return token ? { items, continuationToken: token, examined } : { items, examined };
    }
    return token ? { items: [], continuationToken: token, examined } : { items: [], examined };
  }

  /**
   * Asks the service to cancel (`POST .../cancel`) and returns at once: 200 means canceled,
   * 202 means accepted (watch the job's status). Raw rather than the SDK's beginCancel, whose
   * poller also polls the Location right away, so a failing poll would report an accepted
   * cancel as an error.
   */
  async cancel(name: string): Promise<JobCancelResult> {
    const url = workspaceArmUrl(this.context, `/jobs/${encodeURIComponent(name)}/cancel`);
    const { status } = await sendJson<unknown>(this.context.client, { method: 'POST', url });
    return { completed: status !== 202 };
  }

  /**
   * Archives or restores a job: ARM has no PATCH for jobs, so the job is read and PUT back
   * with `isArchived` changed (read-only fields left to the service to ignore).
   */
  async setArchived(name: string, archived: boolean): Promise<Job> {
    const url = workspaceArmUrl(this.context, `/jobs/${encodeURIComponent(name)}`);
    const { body: current } = await sendJson<ArmResource>(this.context.client, { method: 'GET', url });
    const properties = { ...(current?.properties ?? {}), isArchived: archived };
    const { body } = await sendJson<ArmResource>(this.context.client, { method: 'PUT', url, body: { properties } });
    return mapJob(body ?? {});
  }

  /** Deletes a finished job (its record and run history; ARM long-running: waits until it is gone). */
  delete(name: string, options: LongRunningOptions = {}): Promise<void> {
    const url = workspaceArmUrl(this.context, `/jobs/${encodeURIComponent(name)}`);
    return deleteAndWait(this.context.client, url, l10n.t('run {0}', name), options);
  }
}
