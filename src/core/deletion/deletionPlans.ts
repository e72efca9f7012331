import * as l10n from '@vscode/l10n';
import type { TokenCredential } from '@azure/core-auth';
import { isTerminalJobStatus } from '../../azure/jobs';
import { artifactDatastoreName, jobArtifactFolder } from '../../azure/artifactPaths';
import type { DatastoreStorage } from '../../azure/datastoreStorage';
import type { Job, ModelVersion } from '../../azure/domain';
import { AzureMlError, toAzureMlError } from '../../azure/errors';
import type { LongRunningOptions } from '../../azure/longRunningDelete';
import { maskSecrets } from '../../azure/secrets';
import type { WorkspaceClient } from '../../azure/workspaceClient';
import type { ModelListOptions } from '../../azure/models';
import { modelFilesLocation } from '../models/modelLocation';
import { collectPages } from '../pages';
import { openDatastoreForTransfer } from '../transfer/openDatastore';
import { JobPool } from '../transfer/scheduler';

/**
 * A deletion, named exactly before anything happens: what goes, what stays. The CLI and the
 * extension show the same sentences and ask before `run`.
 */
export interface DeletionPlan {
  /** "Delete model churn version 2?" */
  question: string;
  /** Everything removed, one line each (a listing, never "all of them"). */
  removed: string[];
  /** What stays, in sentences. */
  kept: string[];
  /** The button or word that goes ahead ("Delete", "Archive"). */
  action: string;
  run(options?: LongRunningOptions): Promise<void>;
}

/** At most this many names are listed one by one; the rest are counted. */
const listedNames = 20;

function listed(lines: string[]): string[] {
  return lines.length <= listedNames ? lines : [...lines.slice(0, listedNames), l10n.t('… and {0} more', lines.length - listedNames)];
}

/** The files under a model's path, and the storage to delete them from. */
interface ModelFiles { storage: DatastoreStorage; names: string[] }

async function listModelFiles(client: WorkspaceClient, version: ModelVersion, userCredential: TokenCredential | undefined): Promise<ModelFiles> {
  const location = modelFilesLocation(version);
  const storage = await openDatastoreForTransfer(client, await client.datastores.get(location.datastoreName), userCredential);
  const names: string[] = [];
  try {
    if (storage.kind === 'blob') {
      if (!location.isFolder && await storage.container.getBlobClient(location.path).exists()) names.push(location.path);
      else for await (const blob of storage.container.listBlobsFlat({ prefix: location.path.replace(/\/?$/, '/') })) names.push(blob.name);
    } else {
      const walk = async (folder: string): Promise<void> => {
        for await (const entry of storage.share.getDirectoryClient(folder).listFilesAndDirectories()) {
          const full = `${folder}/${entry.name}`;
          if (entry.kind === 'directory') await walk(full);
          else names.push(full);
        }
      };
      const file = storage.share.rootDirectoryClient.getFileClient(location.path);
      if (!location.isFolder && await file.exists()) names.push(location.path);
      else await walk(location.path.replace(/\/+$/, ''));
    }
  } catch (error) {
    throw toAzureMlError(error);
  }
  return { storage, names };
}

async function deleteFiles(files: ModelFiles): Promise<void> {
  for (const name of files.names) {
    if (files.storage.kind === 'blob') await files.storage.container.getBlobClient(name).deleteIfExists();
    else await files.storage.share.rootDirectoryClient.getFileClient(name).deleteIfExists();
  }
}

/** Where a version's files are: its datastore, and its path without a trailing "/" (a folder or a file). */
interface FilesPlace { datastore: string; path: string }

function filesPlace(version: ModelVersion): FilesPlace {
  const location = modelFilesLocation(version);
  return { datastore: location.datastoreName, path: location.path.replace(/\/+$/, '') };
}

function describePlace(place: FilesPlace): string {
  return `${place.datastore}/${place.path}`;
}

/** Whether two places share files: the same path, or one inside the other (by whole folder names). */
function overlap(a: FilesPlace, b: FilesPlace): boolean {
  if (a.datastore !== b.datastore) return false;
  const inside = (inner: string, outer: string): boolean => outer === '' || inner === outer || inner.startsWith(`${outer}/`);
  return inside(a.path, b.path) || inside(b.path, a.path);
}

/** Archived models and versions too: the service lists active ones only unless asked. */
function allViews(continuationToken: string | undefined): ModelListOptions {
  return { listViewType: 'All', ...(continuationToken ? { continuationToken } : {}) };
}

/**
 * The model versions that stay, with where their files are: the model's other versions and every
 * version of the workspace's other models (one may be registered from the same job output).
 */
async function keptPlaces(client: WorkspaceClient, name: string, all: ModelVersion[], deleted: ModelVersion[]): Promise<Array<{ version: ModelVersion; place: FilesPlace }>> {
  const gone = new Set(deleted.map((v) => v.version));
  const others = (await collectPages((t) => client.models.list(allViews(t)))).filter((m) => m.name !== name);
  const kept = all.filter((v) => !gone.has(v.version));
  const listings = new JobPool(8);
  for (const model of others) {
    await listings.add(async () => {
      kept.push(...await collectPages((t) => client.models.listVersions(model.name, allViews(t))));
    });
  }
  await listings.drain();
  return kept.flatMap((version) => {
    try {
      return [{ version, place: filesPlace(version) }];
    } catch {
      return []; // stored elsewhere: shares nothing with these
    }
  });
}

export interface ModelDeletionRequest {
  client: WorkspaceClient;
  name: string;
  /** One version; the whole model (all its versions) when absent. */
  version?: string;
  /** Delete the versions' files from storage too (they stay otherwise). */
  deleteFiles: boolean;
  userCredential?: TokenCredential;
}

export async function planModelDeletion(request: ModelDeletionRequest): Promise<DeletionPlan> {
  const { client, name } = request;
  const workspace = client.workspace.workspaceName;
  const all = await collectPages((t) => client.models.listVersions(name, allViews(t)));
  const versions = request.version === undefined ? all : [await client.models.getVersion(name, request.version)];
  if (versions.length === 0 && request.version === undefined) await client.models.get(name);
  const files: ModelFiles[] = [];
  const removed = versions.map((v) => l10n.t('model {0} version {1}', name, v.version));
  const lastVersion = request.version !== undefined && all.length === 1;
  if (lastVersion) removed.push(l10n.t('model {0} itself (this is its only version)', name));
  const kept: string[] = [];
  if (request.deleteFiles) {
    const stay = await keptPlaces(client, name, all, versions);
    for (const v of versions) {
      const place = filesPlace(v);
      const user = stay.find((other) => overlap(other.place, place));
      if (user) {
        kept.push(l10n.t('The files of version {0} ({1}) stay: model {2} version {3} uses them too ({4}).',
          v.version, describePlace(place), user.version.name, user.version.version, describePlace(user.place)));
        continue;
      }
      const found = await listModelFiles(client, v, request.userCredential);
      files.push(found);
      removed.push(...listed(found.names.map((n) => l10n.t('file {0}/{1}', found.storage.datastore.name, n))));
    }
  } else {
    for (const v of versions) {
      kept.push(l10n.t('The files of version {0} stay in storage ({1}).', v.version, maskSecrets(v.modelUri ?? '—')));
    }
  }
  if (request.version !== undefined && all.length > 1) {
    kept.push(l10n.t('The other versions of model {0} stay ({1}).', name, all.filter((v) => v.version !== request.version).map((v) => v.version).join(', ')));
  }
  return {
    question: request.version !== undefined
      ? l10n.t('Delete model {0} version {1} from workspace {2}?', name, request.version, workspace)
      : l10n.t('Delete model {0} and all {1} of its versions from workspace {2}?', name, versions.length, workspace),
    removed,
    kept,
    action: l10n.t('Delete'),
    async run() {
      for (const found of files) await deleteFiles(found);
      if (request.version !== undefined) {
        await client.models.deleteVersion(name, request.version);
        // Left without versions it would stay as an empty entry; the plan lists it as removed.
        if (lastVersion) await client.models.delete(name);
      } else {
        for (const v of versions) await client.models.deleteVersion(name, v.version);
        await client.models.delete(name);
      }
    },
  };
}

async function jobsNamed(client: WorkspaceClient, names: string[]): Promise<Job[]> {
  if (names.length === 0) throw new AzureMlError(l10n.t('Name at least one run.'), 400, 'NothingNamed');
  return Promise.all(names.map((n) => client.jobs.get(n)));
}

function runLine(job: Job): string {
  return l10n.t('run {0} ({1}, experiment {2})', job.name, job.status, job.experimentName);
}

export async function planRunDeletion(client: WorkspaceClient, names: string[]): Promise<DeletionPlan> {
  const jobs = await jobsNamed(client, names);
  const active = jobs.filter((j) => !isTerminalJobStatus(j.status));
  if (active.length > 0) {
    throw new AzureMlError(l10n.t('Run {0} is still {1}: cancel it (and wait until it stops) before deleting it.', active[0]!.name, active[0]!.status), 409, 'RunStillActive');
  }
  return {
    question: jobs.length === 1
      ? l10n.t('Delete run {0} from workspace {1}?', jobs[0]!.name, client.workspace.workspaceName)
      : l10n.t('Delete these {0} runs from workspace {1}?', jobs.length, client.workspace.workspaceName),
    removed: jobs.map(runLine),
    kept: [
      l10n.t('Their outputs and logs in datastore {0} ({1}) stay.', artifactDatastoreName, jobs.length === 1 ? jobArtifactFolder(jobs[0]!.name) : 'ExperimentRun/dcid.<run>/'),
      l10n.t('Models registered from them stay.'),
    ],
    action: l10n.t('Delete'),
    async run(options) {
      for (const job of jobs) await client.jobs.delete(job.name, options ?? {});
    },
  };
}

export async function planRunArchive(client: WorkspaceClient, names: string[], archive: boolean): Promise<DeletionPlan> {
  const jobs = await jobsNamed(client, names);
  return {
    question: archive
      ? l10n.t('Archive {0} run(s) in workspace {1}?', jobs.length, client.workspace.workspaceName)
      : l10n.t('Restore {0} run(s) in workspace {1}?', jobs.length, client.workspace.workspaceName),
    removed: jobs.map(runLine),
    kept: [archive
      ? l10n.t('Archived runs are hidden from lists, not deleted: their metrics, outputs and logs stay, and Restore brings them back.')
      : l10n.t('Restored runs are listed again.')],
    action: archive ? l10n.t('Archive') : l10n.t('Restore'),
    async run() {
      for (const job of jobs) await client.jobs.setArchived(job.name, archive);
    },
  };
}

export function planWorkspaceDeletion(client: WorkspaceClient, isLocal: boolean): DeletionPlan {
  const name = client.workspace.workspaceName;
  return {
    question: l10n.t('Delete workspace {0}?', name),
    removed: [isLocal
      ? l10n.t('workspace {0} of the local service: its runs, run history and metrics, registered models, datastore registrations and code snapshots (the local service starts it anew, empty)', name)
      : l10n.t('workspace {0} (resource group {1}): its runs, models, datastore registrations, environments and computes', name, client.workspace.resourceGroup)],
    kept: [isLocal
      ? l10n.t('Files in its blob containers and file share stay in local storage.')
      : l10n.t('Its storage account (the files in its datastores), key vault, container registry and Application Insights stay; delete them in the Azure portal if you no longer need them.')],
    action: l10n.t('Delete Workspace'),
    run: (options) => client.deleteWorkspace(options ?? {}),
  };
}

/** The plan as text for a terminal or a modal's detail. */
export function describePlan(plan: DeletionPlan): string {
  return [
    l10n.t('Removed:'), ...plan.removed.map((line) => `  - ${line}`),
    ...(plan.kept.length ? [l10n.t('Kept:'), ...plan.kept.map((line) => `  - ${line}`)] : []),
  ].join('\n');
}
