import type { Job } from '../azure/domain';
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
  client: Pick<WorkspaceClient, 'codes' | 'jobs'>;
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
    throw new JobSpecError(`"${name}" is not a valid job name: use letters, digits, '-' and '_' (up to 255), starting with a letter or digit.`);
  }
  let snapshot: CodeSnapshot | undefined;
  let codeId = draft.codeId;
  if (draft.codeFolder) {
    snapshot = await createCodeSnapshot({
      codes: client.codes,
      folder: draft.codeFolder,
      listFiles: options.transfer.listFiles,
      uploadFiles: options.transfer.uploadFiles,
      ...(signal ? { signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    codeId = snapshot.codeId;
  }
  signal?.throwIfAborted();
  options.onProgress?.({ phase: 'submitting' });
  const job = await client.jobs.createCommandJob({ ...draft.job, name, ...(codeId ? { codeId } : {}) });
  return snapshot ? { job, snapshot } : { job };
}

/** What job files need resolved against a workspace (its ARM id, environments' latest versions). */
export function jobSpecContextOf(client: Pick<WorkspaceClient, 'resourceId' | 'environments'>): JobSpecContext {
  return { workspaceId: client.resourceId, latestEnvironmentVersion: (name) => client.environments.latestVersion(name) };
}
