import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { StorageSharedKeyCredential } from '@azure/storage-blob';
import { localStorageEndpointSuffix } from '../azure/cloud';
import { startAzurite, type RunningAzurite } from './azuriteProcess';
import { startBlobGateway } from './blobGateway';
import { findUnlistableBlobs, renameUnlistableBlobs } from './unlistableBlobs';
import { devStorageAccount } from './devStorageAccount';
import { readOrCreateStorageKey, storageKeyFilePath } from './storageKeyFile';
import {
  discoveryFilePath, readDiscoveryFile, removeDiscoveryFile, writeDiscoveryFile,
  type LocalWorkspaceConnection, type LocalWorkspaceInfo,
} from './discovery';
import { startFileService, type RunningFileService } from './fileService';
import { startDemoProgress } from './demoProgress';
import type { StorageKeyAccess } from './storageKeyAccess';
import { createLocalStorageTargets, seedDemoStorage } from './demoStorage';
import { createWorkspaceApi, trackingPath, trackingToken, type WorkspaceApi } from './workspaceApi';
import { restDatastoreResolver, startJobRunner } from './jobRunner';
import { startEventPublisher } from './eventPublisher';

export interface LocalServiceOptions {
  dataDir: string;
  /** Port for the REST API; 0 picks a free one. */
  port: number;
  seed?: 'demo';
  /** Items per list page; small values make paging visible. */
  pageSize?: number;
  /** The demo's Queued and Running runs stay as they are instead of progressing (for tests that need those states). */
  freezeDemo?: boolean;
  log: (line: string) => void;
  /** Aborting stops a start that is still under way, and everything it started. */
  signal?: AbortSignal;
  /**
   * False: its storage refuses account keys and SAS tokens (403 KeyBasedAuthenticationNotPermitted)
   * and takes only the bearer token, like an Azure account with key access disabled. Default true.
   */
  sharedKeyAccess?: boolean;
  /** Publishes job status changes and model registrations to this Azurite queue (`--events-queue`). */
  eventsQueue?: string;
}

export interface RunningLocalService {
  connection: LocalWorkspaceConnection;
  /** Resolves when a component fails on its own after start (e.g. Azurite crashed). */
  readonly failed: Promise<Error>;
  /** Resolves when a client holding the token asked the service to stop. */
  readonly stopRequested: Promise<void>;
  stop(): Promise<void>;
}

const identity = {
  tenantId: '00000000-0000-0000-0000-000000000001',
  subscriptionId: '00000000-0000-0000-0000-00000000000a',
  resourceGroup: 'local-rg',
  workspace: 'local',
  location: 'local',
};

export class LocalServiceAlreadyRunningError extends Error {}

async function refuseIfAlreadyRunning(dataDir: string): Promise<void> {
  try {
    const existing = await readDiscoveryFile(dataDir);
    throw new LocalServiceAlreadyRunningError(
      `A local workspace is already running for ${dataDir} (process ${existing.pid}, ${existing.armEndpoint}). ` +
      'Stop it first, or use another --data folder.');
  } catch (e) {
    if (e instanceof LocalServiceAlreadyRunningError) throw e;
    // Not running (no file, or a stale one from a crash): go on.
  }
}

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/** Starts Azurite, the file share service and the Azure ML REST API for one data folder. */
export async function startLocalService(options: LocalServiceOptions): Promise<RunningLocalService> {
  const dataDir = path.resolve(options.dataDir);
  await fs.mkdir(dataDir, { recursive: true });
  await refuseIfAlreadyRunning(dataDir);

  const stops: Array<() => Promise<void>> = [];
  const checkNotAborted = (): void => {
    if (options.signal?.aborted) throw new Error('Start canceled.');
  };
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.splice(0).reverse()) {
      try {
        await stop();
      } catch (e) {
        options.log(`while stopping: ${(e as Error).message}`);
      }
    }
  };

  try {
    const { key: accountKey, created, madePrivate } = await readOrCreateStorageKey(dataDir);
    options.log(`storage key: ${created ? 'made' : 'read'} ${storageKeyFilePath(dataDir)}${madePrivate ? ' (it was readable by others; now by its owner only)' : ''}`);
    const account = { name: devStorageAccount.name, key: accountKey };
    await fs.mkdir(path.join(dataDir, 'azurite'), { recursive: true });
    const unlistable = await findUnlistableBlobs(path.join(dataDir, 'azurite'), account.name);
    const azurite: RunningAzurite = await startAzurite({
      location: path.join(dataDir, 'azurite'), accountName: account.name, accountKey, log: options.log,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    stops.push(() => azurite.stop());
    checkNotAborted();
    if (unlistable.length > 0) {
      const credential = new StorageSharedKeyCredential(account.name, accountKey);
      for (const line of await renameUnlistableBlobs(unlistable, azurite.blobEndpoint, credential)) options.log(line);
    }
    const token = randomBytes(32).toString('base64url');
    const access: StorageKeyAccess = { sharedKeyAccess: options.sharedKeyAccess ?? true, bearerToken: token };
    const blobs = await startBlobGateway(azurite.blobEndpoint, { account, access });
    stops.push(() => blobs.close());

    const files: RunningFileService = await startFileService({
      rootDir: path.join(dataDir, 'files'), accountName: account.name, accountKey, access,
    });
    stops.push(() => files.close());
    checkNotAborted();

    const api: WorkspaceApi = await createWorkspaceApi({
      stateDir: path.join(dataDir, 'workspace'),
      token,
      ...identity,
      storage: {
        accountName: account.name,
        accountKey,
        blobEndpoint: blobs.blobEndpoint,
        fileEndpoint: files.url,
        endpointSuffix: localStorageEndpointSuffix,
      },
      ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
      log: options.log,
    });
    stops.push(() => api.close());
    const stopRequested = new Promise<void>((resolve) => api.onStopRequested(resolve));

    const storageEndpoints = { blobEndpoint: blobs.blobEndpoint, fileEndpoint: files.url, accountKey, access };
    await createLocalStorageTargets(storageEndpoints, api.storageTargets());
    api.onWorkspaceStorageNeeded((targets, signal) => createLocalStorageTargets(storageEndpoints, targets, signal));
    if (options.seed === 'demo') {
      await api.seedDemo();
      await seedDemoStorage(storageEndpoints, api.storageTargets(), path.join(dataDir, 'workspace'));
    }

    checkNotAborted();
    const server = http.createServer((req, res) => api.handle(req, res));
    server.keepAliveTimeout = 5000;
    const port = await listen(server, options.port);
    stops.push(() => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }));

    const info: LocalWorkspaceInfo = {
      ready: true,
      pid: process.pid,
      armEndpoint: `http://127.0.0.1:${port}`,
      blobEndpoint: blobs.blobEndpoint,
      fileEndpoint: files.url,
      queueEndpoint: azurite.queueEndpoint,
      ...identity,
      storageAccount: account.name,
      ...(options.eventsQueue ? { eventsQueue: options.eventsQueue } : {}),
    };
    const connection: LocalWorkspaceConnection = { ...info, token };
    await writeDiscoveryFile(dataDir, connection);
    stops.push(() => removeDiscoveryFile(dataDir));
    options.log(`discovery file: ${discoveryFilePath(dataDir)}`);

    if (options.eventsQueue) {
      const publisher = await startEventPublisher({
        api,
        queueEndpoint: azurite.queueEndpoint,
        account,
        queueName: options.eventsQueue,
        workspacesIdPrefix: `/subscriptions/${identity.subscriptionId}/resourceGroups/${identity.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/`,
        log: options.log,
      });
      stops.push(() => publisher.stop());
    }

    // Last to start, first to stop: running jobs end (and their logs are flushed) while storage is still up.
    const runner = await startJobRunner({
      jobs: api.jobs,
      workDir: path.join(dataDir, 'jobs'),
      storage: { accountName: account.name, accountKey, blobEndpoint: blobs.blobEndpoint, access },
      datastores: restDatastoreResolver(connection),
      tracking: (job) => ({
        uri: `${info.armEndpoint}${trackingPath({ subscriptionId: identity.subscriptionId, resourceGroup: identity.resourceGroup, workspace: job.workspace })}`,
        token: trackingToken(token, job.workspace),
      }),
      log: options.log,
    });
    stops.push(() => runner.stop());
    if (!options.freezeDemo) {
      const progress = startDemoProgress({
        api,
        storage: { accountName: account.name, accountKey, blobEndpoint: blobs.blobEndpoint },
        log: options.log,
      });
      stops.push(() => progress.stop());
    }

    const failed = azurite.exited.then((code) => new Error(`Azurite exited unexpectedly (code ${code}).`));
    return { connection, failed, stopRequested, stop: stopAll };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

/** The ready line's fields: everything but the bearer token. */
export function readyLine(connection: LocalWorkspaceConnection): string {
  const { token: _token, ...info } = connection;
  return JSON.stringify(info);
}
