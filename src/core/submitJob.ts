import * as l10n from '@vscode/l10n';
import type { CommandJobInput, Job } from '../azure/domain';
import { AzureMlError, toAzureMlError } from '../azure/errors';
import type { WorkspaceClient } from '../azure/workspaceClient';
import type { JobDraft, JobSpecContext } from './jobSpec/jobDraft';
import { JobSpecError } from './jobSpec/jobSpecError';
import { jobNamePattern, newJobName } from './jobSpec/names';
import { createCodeSnapshot, type CodeSnapshot, type SnapshotProgress, type UploadSnapshotFiles } from './snapshot/codeSnapshot';
import type { ListSnapshotFiles } from './snapshot/snapshotFile';

export type SubmitProgress = SnapshotProgress | { phase: 'submitting' };

export interface SnapshotTransfer {
  listFiles: ListSnapshotFiles;
  uploadFiles: UploadSnapshotFiles;
}

export interface SubmitJobOptions {
  client: Pick<WorkspaceClient, 'codes' | 'jobs'> & Partial<Pick<WorkspaceClient, 'storageIdentity'>>;
  draft: JobDraft;
  /** Start of the generated job id when the draft names none (e.g. the script's name). */
  nameStem: string;
  transfer: SnapshotTransfer;
  signal?: AbortSignal;
  onProgress?: (progress: SubmitProgress) => void;
}

export interface SubmittedJob {
  job: Job;
  /** The code snapshot made (or reused) for the job's code folder. */
  snapshot?: CodeSnapshot;
}

/** Snapshots the draft's code folder (reusing an identical one) and creates the command job. */
export async function submitJob(options: SubmitJobOptions): Promise<SubmittedJob> {
  const { client, draft, signal } = options;
  const name = draft.job.name ?? newJobName(options.nameStem);
  if (!jobNamePattern.test(name)) {
    throw new JobSpecError(l10n.t('"{0}" is not a valid job name: use letters, digits, \'-\' and \'_\' (up to 255), starting with a letter or digit.', name));
  }
  let snapshot: CodeSnapshot | undefined;
  let codeId = draft.codeId;
  if (draft.codeFolder) {
    snapshot = await refusedBeforeTheJob(createCodeSnapshot({
      codes: client.codes,
      folder: draft.codeFolder,
      listFiles: options.transfer.listFiles,
      uploadFiles: options.transfer.uploadFiles,
      ...(client.storageIdentity ? { storageIdentity: client.storageIdentity } : {}),
      ...(signal ? { signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    }));
    codeId = snapshot.codeId;
  }
  signal?.throwIfAborted();
  options.onProgress?.({ phase: 'submitting' });
  const job = await createJobOnce(client.jobs, { ...draft.job, name, ...(codeId ? { codeId } : {}) });
  return snapshot ? { job, snapshot } : { job };
}

/**
 * A service's refusal (or a lost answer) before the job's PUT: no job exists, and the message says
 * so. Errors of ours (a bad folder, a cancel) are already clear and pass unchanged.
 */
async function refusedBeforeTheJob<T>(step: Promise<T>): Promise<T> {
  try {
    return await step;
  } catch (error) {
    throw isServiceError(error) ? notSubmitted(error) : error;
  }
}

function isServiceError(error: unknown): boolean {
  return error instanceof AzureMlError || (error instanceof Error && error.name === 'RestError');
}

function notSubmitted(error: unknown): AzureMlError {
  const e = toAzureMlError(error);
  return new AzureMlError(l10n.t('The job was not submitted, and nothing was created: {0}', e.message), e.status, e.code, e.target);
}

/** No answer, or the service failed while handling it: the job may or may not have been created. */
function outcomeUnknown(error: unknown): boolean {
  const status = (error as { status?: number }).status;
  return status === undefined || status >= 500;
}

/**
 * Creates the job under its client-made name, so a PUT sent again (by the pipeline's retries)
 * updates the same job instead of making a second one. When the last answer was lost, the
 * name tells whether the job exists: then it is the submitted job; otherwise none was made.
 */
async function createJobOnce(jobs: WorkspaceClient['jobs'], input: CommandJobInput): Promise<Job> {
  try {
    return await jobs.createCommandJob(input);
  } catch (error) {
    // The service answered and refused (an expired token, a bad request): nothing was created.
    if (!outcomeUnknown(error)) throw isServiceError(error) ? notSubmitted(error) : error;
    try {
      return await jobs.get(input.name);
    } catch (lookup) {
      if ((lookup as { status?: number }).status === 404) {
        const e = toAzureMlError(error);
        throw new AzureMlError(l10n.t('The job was not submitted ({0}); nothing was created. Submit it again.', e.message), e.status, e.code);
      }
      throw new AzureMlError(
        l10n.t('Job "{0}" may or may not have been created ({1}). Look for it in the Jobs view before submitting again.', input.name, (error as Error).message),
        undefined, 'SubmitOutcomeUnknown');
    }
  }
}

/** What job files need resolved against a workspace (its ARM id, environments' latest versions). */
export function jobSpecContextOf(client: Pick<WorkspaceClient, 'resourceId' | 'environments'>): JobSpecContext {
  return { workspaceId: client.resourceId, latestEnvironmentVersion: (name) => client.environments.latestVersion(name) };
}
