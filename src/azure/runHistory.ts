import * as l10n from '@vscode/l10n';
import type { Experiment, Job, ListViewType, Page, RunDetails } from './domain';
import { mapExperiment, mapRunAsJob, mapRunDetails } from './mappers';
import { pageOf } from './paging';
import { sendJson } from './serviceCall';
import { mayReceiveStorageCredential, originOf } from './trustedHosts';
import { workspaceResourceId, type WorkspaceContext } from './workspaceContext';

interface RunList { value?: unknown[]; nextLink?: string | null }

export interface ExperimentListOptions {
  continuationToken?: string;
  viewType?: ListViewType;
  /** Page size asked of the service. */
  top?: number;
}

/**
 * The run-history service (`{api}/history/v1.0/...`), reached at the workspace's discovered
 * `api` base URL with the same pipeline (ARM token, retries, errors) as the ARM calls.
 */
export class RunHistoryOperations {
  constructor(
    private readonly context: WorkspaceContext,
    /** The discovered `api` base URL, without a trailing slash. */
    private readonly apiBaseUrl: () => Promise<string>,
  ) {}

  private async url(subPath: string): Promise<string> {
    return `${await this.apiBaseUrl()}/history/v1.0${workspaceResourceId(this.context.workspace)}${subPath}`;
  }

  /**
   * Status, times, log file URLs and error of a run (a job's name is its run id). Log URLs carry
   * a SAS: one that is not on this cloud's storage is left out, with a warning saying so.
   */
  async getRunDetails(runId: string): Promise<RunDetails> {
    const url = await this.url(`/runs/${encodeURIComponent(runId)}/details`);
    const { body } = await sendJson<unknown>(this.context.client, { method: 'GET', url });
    const details = mapRunDetails(body);
    const logFiles: Record<string, string> = {};
    const warnings = [...details.warnings];
    for (const [name, logUrl] of Object.entries(details.logFiles)) {
      if (mayReceiveStorageCredential(this.context.cloud, logUrl)) logFiles[name] = logUrl;
      else warnings.push({ source: 'Azure ML extension', message: l10n.t('The log {0} is not read: its address ({1}) is not storage of {2}.', name, originOf(logUrl), this.context.cloud.displayName) });
    }
    return { ...details, logFiles, warnings };
  }

  /** A run (a job's name is its run id) as run history has it: where ARM answers only a job's id and name. */
  async getRunAsJob(runId: string, armId?: string): Promise<Job> {
    const { body } = await sendJson<unknown>(this.context.client, { method: 'GET', url: await this.url(`/runs/${encodeURIComponent(runId)}`) });
    return mapRunAsJob(body, armId);
  }

  /** One page of the child runs of a run (a pipeline's steps); `continuationToken` is the nextLink. */
  async listChildren(runId: string, continuationToken?: string): Promise<Page<Job>> {
    const url = continuationToken ?? await this.url(`/runs/${encodeURIComponent(runId)}/children`);
    const { body } = await sendJson<RunList>(this.context.client, { method: 'GET', url });
    return pageOf((body?.value ?? []).map((run) => mapRunAsJob(run)), body?.nextLink);
  }

  /** One page of experiments (`POST .../experiments:query`). */
  async listExperiments(options: ExperimentListOptions = {}): Promise<Page<Experiment>> {
    const url = await this.url('/experiments:query?urlSafeExperimentNamesOnly=true');
    const { body } = await sendJson<{ value?: unknown[]; continuationToken?: string | null }>(this.context.client, {
      method: 'POST',
      url,
      body: {
        viewType: options.viewType ?? 'ActiveOnly',
        filter: null,
        continuationToken: options.continuationToken ?? null,
        orderBy: null,
        top: options.top ?? 100,
      },
    });
    return pageOf((body?.value ?? []).map(mapExperiment), body?.continuationToken);
  }
}
