import * as path from 'node:path';
import { defaultWorkspaceName, localUserName, type ApiContext } from './context';
import { Router } from './http/router';
import { runHistoryRoutes } from './history/runHistory';
import { mlflowRoutes } from './mlflow/mlflowRoutes';
import { TrackingLog } from './mlflow/trackingLog';
import { JobStoreImpl } from './jobs/jobStore';
import { AssetRegistry } from './resources/assets';
import { ensureBuiltInDatastores } from './resources/builtinDatastores';
import { refreshLocalAccountKeys } from './resources/localAccountKeys';
import { codeRoutes } from './resources/codes';
import { computeRoutes } from './resources/computes';
import { datastoreRoutes } from './resources/datastores';
import { jobRoutes } from './resources/jobs';
import { modelKind } from './resources/models';
import { subscriptionRoutes } from './resources/subscriptions';
import { discoveryRoutes, newWorkspaceRecord, workspaceRoutes } from './resources/workspaces';
import { serviceControlRoutes } from './resources/serviceControl';
import { seedDemoData, seedDemoMetrics } from './seed/demoSeed';
import { storageTargetsOf, type StorageTargets } from './storage/layout';
import { createSasSigner } from './storage/sas';
import { defaultStorageTimeoutMs, storageNeededWithDeadline } from './storage/storageNeeded';
import { JsonFileWriter } from './store/jsonFileWriter';
import { WorkspaceStore, type WorkspaceData } from './store/workspaceStore';
import type { JobRef } from './jobs/jobStore';
import type { JobRecord } from './store/records';
import type { Disposable, WorkspaceApi, WorkspaceApiOptions } from './types';

export type { Disposable, LocalStorageOptions, StorageTargets, WorkspaceApi, WorkspaceApiOptions } from './types';
export type { JobListFilter, JobRef, JobStore, JobUpdate, JobView } from './jobs/jobStore';
export { demoJobProperty } from './jobs/jobStore';
export type { JobError } from './store/records';
export type { TrackingEntry } from './mlflow/trackingLog';
export type { RegisteredVersion } from './resources/assets';
export { demoTrainingOf } from './seed/demoSeed';
export { isTerminal, jobStatuses, terminalJobStatuses, type JobStatus } from './jobs/jobStatus';
export { artifactContainer, jobArtifactPrefix, stdLogFile } from './storage/layout';
export { stopServicePath } from './resources/serviceControl';
export { trackingPath, trackingToken } from './mlflow/trackingAddress';

/**
 * The local workspace's REST API: an in-process emulator of the Azure ML control plane
 * (ARM resources of one subscription and resource group) and the run-history service.
 */
export async function createWorkspaceApi(options: WorkspaceApiOptions): Promise<WorkspaceApi> {
  const writer = new JsonFileWriter();
  const store = await WorkspaceStore.open(path.resolve(options.stateDir), writer);
  const api: ApiContext = {
    options,
    store,
    sas: createSasSigner(options.storage, () => new Date()),
    tracking: new TrackingLog(),
    pageSize: Math.max(1, Math.floor(options.pageSize ?? 20)),
    user: localUserName(),
    now: () => new Date(),
  };

  if (!store.get(defaultWorkspaceName)) {
    const data = await store.create(newWorkspaceRecord(api, defaultWorkspaceName, true));
    ensureBuiltInDatastores(api, data);
  }
  const replaced = store.list().reduce((sum, data) => sum + refreshLocalAccountKeys(api, data), 0);
  if (replaced > 0) options.log?.(`storage key: ${replaced} registered datastore(s) of ${options.storage.accountName} had Azurite's published key, which is no longer accepted; they now have this data folder's key`);

  const storageListeners = new Set<(targets: StorageTargets, signal: AbortSignal) => void | Promise<void>>();
  const storageNeeded = storageNeededWithDeadline(async (targets, signal) => {
    for (const listener of storageListeners) await listener(targets, signal);
  }, options.storage, options.storageTimeoutMs ?? defaultStorageTimeoutMs);
  const stopListeners = new Set<() => void>();
  const jobs = new JobStoreImpl(api);
  const models = new AssetRegistry(api, modelKind);
  const jobRecordOf = (ref: JobRef): { data: WorkspaceData; record: JobRecord } | undefined => {
    const { workspace, name } = typeof ref === 'string' ? { workspace: defaultWorkspaceName, name: ref } : ref;
    const data = store.get(workspace);
    const record = data?.jobs.get(name);
    return data && record ? { data, record } : undefined;
  };
  const router = new Router([
    ...discoveryRoutes(),
    ...subscriptionRoutes(api),
    ...workspaceRoutes(api, { storageNeeded }),
    ...datastoreRoutes(api),
    ...codeRoutes(api, storageNeeded),
    ...models.routes(),
    ...computeRoutes(api),
    ...jobRoutes(api, jobs),
    ...runHistoryRoutes(api),
    ...mlflowRoutes(api),
    ...serviceControlRoutes(() => {
      for (const listener of stopListeners) listener();
    }),
  ], options.token, (handler) => store.transaction(handler));
  await writer.flush();

  return {
    handle: (req, res) => router.handle(req, res),
    // The local workspace first, so blobContainers[0] is its blob store container.
    storageTargets: () => storageTargetsOf([
      store.get(defaultWorkspaceName)!,
      ...store.list().filter((d) => !d.record.builtIn),
    ].map((d) => d.record.workspaceId)),
    onWorkspaceStorageNeeded(listener): Disposable {
      storageListeners.add(listener);
      return { dispose: () => storageListeners.delete(listener) };
    },
    onStopRequested(listener): Disposable {
      stopListeners.add(listener);
      return { dispose: () => stopListeners.delete(listener) };
    },
    async seedDemo() {
      const data = store.get(defaultWorkspaceName)!;
      const runs = seedDemoData(api, data, models);
      await writer.flush();
      await seedDemoMetrics(api, data, runs);
    },
    onModelRegistered: (listener) => models.onVersionRegistered(listener),
    jobs,
    async logToRun(ref, entry) {
      const found = jobRecordOf(ref);
      if (!found) throw new Error(`No job ${JSON.stringify(ref)}.`);
      await api.tracking.append(found.data.dir, found.record.runUuid, entry);
    },
    async loggedPoints(ref, metricKey) {
      const found = jobRecordOf(ref);
      return found ? (await api.tracking.read(found.data.dir, found.record.runUuid)).history(metricKey).length : 0;
    },
    close: () => writer.flush(),
  };
}
